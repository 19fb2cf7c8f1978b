"""Request and response shapes of the HTTP service, and the worked examples its docs show.

Requests are validated strictly (no coercion of ``"yes"`` to ``true`` or of ``1.0`` to ``1``) and
unknown fields are refused, so a typo such as ``"paragraph": false`` is a 422 naming the field
rather than silently ignored. Responses are built directly from :mod:`service.records`; these
models describe them for the OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from .settings import LABELS

Label = Literal["content", "chrome", "spam", "off_topic"]
assert tuple(Label.__args__) == LABELS  # type: ignore[attr-defined]  # one list of labels


def _valid_unicode(value: str) -> str:
    """Refuse lone UTF-16 surrogates (JSON ``"\\ud800"``): they are not text and cannot be answered as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"lone surrogate {value[exc.start]!r} at character {exc.start}: JSON strings must be valid Unicode "
            "(characters outside the BMP are written as a surrogate pair, e.g. \"\\ud83d\\ude00\")"
        ) from None
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("Input should be a valid string")
    return _valid_unicode(value)


def _doc_id(value: Any) -> int | str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        return _valid_unicode(value)
    raise ValueError("id should be a string, an integer or null")


Text = Annotated[
    str,
    PlainValidator(_text),
    WithJsonSchema({"type": "string", "description": "The document: one paragraph per line (\\n, \\r\\n, \\r, U+2028, U+2029)."}),
]
DocId = Annotated[
    int | str | None,
    PlainValidator(_doc_id),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
            "description": "Your identifier, returned unchanged with the document's result.",
        }
    ),
]
KEEP_DESCRIPTION = (
    "Labels whose paragraphs survive cleaning (default: the server's JINGWEN_KEEP, normally [\"content\"])."
)
PARAGRAPHS_DESCRIPTION = "Return every paragraph's label, scores and offsets (false: `paragraphs` is null)."

# --- worked example: the first lines of seeds/002 (a repost in Traditional script) -------------------

SEED_002_EXCERPT = (
    "日韩精品电影一区亚洲,1000部毛片A片免费视频偷拍,伺候含尿皇上h,欧美精品欧美激情在线观看\n"
    "\n"
    "當前位置: 首頁 \xa0>\xa0 新聞中心 \xa0>\xa0 媒體報道 >\xa0正文\n"
    "\n"
    "厚植新時代民政事業改革發展的根基\n"
    "——近年來民政部加強基層基礎工作綜述\n"
    "\n"
    "時間:2019-04-01 \xa0\xa0瀏覽量:128\xa0次\xa0\xa0來源:中國社會報\n"
    "【字體:\xa0\xa0\xa0\xa0打印\n"
    "\n"
    "  本報記者\xa0周\xa0亮\n"
    "\n"
    "  如果說抓基層、強基礎是一次行軍,那么1250個村的調研、2946戶民政服務對象的走訪、6.2萬件困難群眾急難個案的解決、"
    "200多篇調研報告的撰寫,展現出的就是民政干部隊伍為民愛民使命擔當的整齊步伐。\n"
)

CLEAN_EXAMPLES: dict[str, dict[str, Any]] = {
    "seed_002": {
        "summary": "A reposted article: spam line, breadcrumb, byline widgets, then the article (seeds/002)",
        "value": {"text": SEED_002_EXCERPT, "keep": ["content"], "paragraphs": True},
    },
    "text_only": {
        "summary": "Only the cleaned text and counts, no per-paragraph detail",
        "value": {"text": SEED_002_EXCERPT, "paragraphs": False},
    },
    "keep_chrome": {
        "summary": "Keep the article and the page furniture, drop spam and off-topic text",
        "value": {"text": SEED_002_EXCERPT, "keep": ["content", "chrome"]},
    },
}
BATCH_EXAMPLES: dict[str, dict[str, Any]] = {
    "two_documents": {
        "summary": "Two documents with your own ids (strings or integers), returned in order",
        "value": {
            "documents": [
                {"id": "seed-002", "text": SEED_002_EXCERPT},
                {"id": 17, "text": "當前位置: 首頁 \xa0>\xa0 新聞中心\n厚植新時代民政事業改革發展的根基"},
            ],
            "keep": ["content"],
            "paragraphs": False,
        },
    }
}


# --- requests -----------------------------------------------------------------------------------------


class CleanRequest(BaseModel):
    """One document to clean."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: Text
    keep: list[Label] | None = Field(default=None, min_length=1, description=KEEP_DESCRIPTION)
    paragraphs: bool = Field(default=True, description=PARAGRAPHS_DESCRIPTION)


class BatchDocument(BaseModel):
    """One document of a batch."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: DocId = None
    text: Text


class BatchRequest(BaseModel):
    """Documents cleaned together (one vectorised pass); at most the server's ``max_batch_documents``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    documents: list[BatchDocument]
    keep: list[Label] | None = Field(default=None, min_length=1, description=KEEP_DESCRIPTION)
    paragraphs: bool = Field(default=True, description=PARAGRAPHS_DESCRIPTION)


# --- responses ----------------------------------------------------------------------------------------


class ParagraphOut(BaseModel):
    """The verdict on one paragraph; ``text[start:end]`` of the request's text is the paragraph."""

    start: int = Field(description="Offset of the paragraph's first character in the request text (Unicode code points).")
    end: int = Field(description="Offset just past its last character; white space around a line is not part of it.")
    label: Label = Field(description="Final label, after the document context is taken into account.")
    scores: dict[str, float] = Field(description="Probability of each label.")
    first_pass: Label = Field(description="Label from the paragraph's own text alone, before context.")
    kept: bool = Field(description="Whether the paragraph is in the cleaned text (its label is in `keep`).")


class Stats(BaseModel):
    paragraphs: int = Field(description="Non-blank lines in the document.")
    removed: dict[str, int] = Field(description="Removed paragraphs per label (every label present).")
    chars_in: int
    chars_out: int


class ModelInfo(BaseModel):
    version: str
    name: str = Field(description="The model's directory name.")


class CleanResponse(BaseModel):
    text: str = Field(description="The kept paragraphs, in order, joined by \\n (each without its surrounding white space).")
    paragraphs: list[ParagraphOut] | None
    model: ModelInfo
    stats: Stats


class BatchResult(BaseModel):
    id: int | str | None
    text: str
    paragraphs: list[ParagraphOut] | None
    stats: Stats


class BatchResponse(BaseModel):
    results: list[BatchResult]
    model: ModelInfo


class ErrorResponse(BaseModel):
    detail: str
    byte_offset: int | None = Field(default=None, description="For an undecodable text/plain body: the first bad byte.")


class ValidationIssue(BaseModel):
    loc: list[str | int] = Field(description='Where: ["body", "text"], ["body", "documents", 3, "id"], ["query", "keep"]...')
    msg: str
    type: str


class ValidationErrorResponse(BaseModel):
    detail: list[ValidationIssue]


class Health(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    model: ModelInfo
