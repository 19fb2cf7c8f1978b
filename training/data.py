"""Labelled documents: reading, validating and turning them into what the classifier fits on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from service.document import document_from_paragraphs
from service.records import Document
from service.segment import segment
from service.settings import LABELS


class LabelledDataError(ValueError):
    """A labelled file that cannot be used as it is; the message names the file and line."""


@dataclass(slots=True)
class LabelledDoc:
    """One labelled document: its paragraphs' texts and labels, plus where it came from."""

    id: str
    texts: list[str]
    labels: list[str]
    site: str = ""
    source: str = ""
    meta: dict[str, object] = field(default_factory=dict)
    group: str = ""
    """What cross-validation groups by: the record's ``site``, else its ``url``'s host, else the
    document it was cut from (``source_id``, as ``jingwen uncertain`` writes it), else its id."""

    def document(self) -> Document:
        return document_from_paragraphs(self.texts, self.id)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "site": self.site,
            "paragraphs": [{"text": t, "label": lab} for t, lab in zip(self.texts, self.labels)],
        }


def _paragraph(text: object, label: object, where: str) -> tuple[str, str] | None:
    if not isinstance(text, str):
        raise LabelledDataError(f"{where}: paragraph text must be a string")
    if label not in LABELS:
        raise LabelledDataError(f"{where}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
    spans = segment(text)
    if len(spans) > 1:
        raise LabelledDataError(f"{where}: paragraph text contains a line break")
    if not spans:
        return None  # blank or invisible-only: not a paragraph at serving time either
    return text, str(label)


ORIGINAL_FIELD = "original_text"
"""Where ``jingwen clean --jsonl --keep-original`` keeps the text it cleaned: the offsets of its
``paragraphs`` index this field, because the record's ``text`` is the cleaned text."""

_IGNORED_KEYS = ("id", "paragraphs", "site", "source", ORIGINAL_FIELD)


def _span(p: dict, where: str) -> tuple[int, int]:
    start, end = p.get("start"), p.get("end")
    if type(start) is not int or type(end) is not int:  # bool is an int subclass: refuse it too
        raise LabelledDataError(f"{where}: 'start' and 'end' must be integers (or give the paragraph's 'text')")
    return start, end


def _spans_text(record: dict, paragraphs: list, where: str) -> tuple[str, str] | None:
    """The text the paragraphs' offsets index, and its field name; None for the ``text`` form.

    ``original_text`` wins (``jingwen clean --jsonl --keep-original`` output, whose ``text`` is the
    cleaned text). Without it the offsets must index ``text`` (a raw document annotated by hand):
    checked by requiring every span to be exactly a paragraph of ``text``, which the cleaned text of
    a ``clean`` record practically never satisfies, so such a record is refused with the fix.
    """
    if not any(isinstance(p, dict) and "text" not in p and ("start" in p or "end" in p) for p in paragraphs):
        return None
    if ORIGINAL_FIELD in record:
        text = record[ORIGINAL_FIELD]
        if not isinstance(text, str):
            raise LabelledDataError(f"{where}: {ORIGINAL_FIELD!r} must be a string")
        return text, ORIGINAL_FIELD
    text = record.get("text")
    if not isinstance(text, str):
        raise LabelledDataError(
            f"{where}: paragraphs give offsets but the record has neither {ORIGINAL_FIELD!r} nor 'text' to index"
        )
    return text, "text"


def _by_offsets(text: str, field_name: str, paragraphs: list, where: str) -> list[tuple[str, str, int]]:
    """``(text, label, start)`` of offset-annotated paragraphs in text order, checked against segmentation."""
    spans = segment(text)
    starts = {s: e for s, e in spans}
    out: list[tuple[str, str, int]] = []
    seen: dict[int, int] = {}
    for i, p in enumerate(paragraphs):
        here = f"{where}: paragraph {i}"
        if not isinstance(p, dict):
            raise LabelledDataError(f"{here} must be an object")
        if "text" in p:
            raise LabelledDataError(f"{here}: mixes 'text' with offset-annotated paragraphs; use one form per record")
        start, end = _span(p, here)
        if starts.get(start) != end:
            hint = (
                f"; this looks like `jingwen clean --jsonl` output, whose 'text' is the cleaned text: rerun clean with "
                f"--keep-original so the original is kept under {ORIGINAL_FIELD!r}"
                if field_name == "text"
                else ""
            )
            raise LabelledDataError(
                f"{here}: span [{start}, {end}) is not a paragraph of {field_name!r} "
                f"(a paragraph is a non-blank line without its surrounding white space){hint}"
            )
        if start in seen:
            raise LabelledDataError(f"{here}: span [{start}, {end}) already labelled by paragraph {seen[start]}")
        seen[start] = i
        label = p.get("label")
        if label not in LABELS:
            raise LabelledDataError(f"{here}: unknown label {label!r} (expected one of {', '.join(LABELS)})")
        out.append((text[start:end], str(label), start))
    missing = [(s, e) for s, e in spans if s not in seen]
    if missing:
        s, e = missing[0]
        raise LabelledDataError(
            f"{where}: {len(missing)} paragraph(s) of {field_name!r} have no label, the first at [{s}, {e}): "
            f"{text[s:e][:40]!r}; label every paragraph (a partly labelled page trains a different page than it serves)"
        )
    out.sort(key=lambda x: x[2])
    return out


def parse_record(record: object, where: str) -> LabelledDoc:
    """Validate one labelled record, in any of the accepted forms (README, "Retraining on your own labels"):

    - ``{"id", "paragraphs": [{"text", "label"}, ...]}`` (``seeds/labelled.jsonl``, ``jingwen uncertain``);
    - ``{"id", "original_text", "paragraphs": [{"start", "end", "label", ...}, ...]}``: the output of
      ``jingwen clean --jsonl --keep-original`` with labels corrected; offsets index ``original_text``;
    - ``{"id", "text", "paragraphs": [{"start", "end", "label"}, ...]}`` without ``original_text``:
      offsets index ``text``, which must then be the raw document (every span one of its paragraphs).

    Only ``label`` is read from an offset-annotated paragraph (``scores``, ``kept``, ``first_pass``
    are the model's and ignored). Offset-annotated records must label every paragraph of the text.
    """
    if not isinstance(record, dict):
        raise LabelledDataError(f"{where}: a record must be a JSON object")
    paragraphs = record.get("paragraphs")
    if not isinstance(paragraphs, list):
        raise LabelledDataError(f"{where}: missing 'paragraphs' list")
    texts: list[str] = []
    labels: list[str] = []
    source = _spans_text(record, paragraphs, where)
    if source is not None:
        for text, label, _ in _by_offsets(source[0], source[1], paragraphs, where):
            texts.append(text)
            labels.append(label)
    else:
        for i, p in enumerate(paragraphs):
            if not isinstance(p, dict):
                raise LabelledDataError(f"{where}: paragraph {i} must be an object")
            kept = _paragraph(p.get("text"), p.get("label"), f"{where}: paragraph {i}")
            if kept:
                texts.append(kept[0])
                labels.append(kept[1])
    doc_id = record.get("id")
    doc_key = str(doc_id) if doc_id is not None else where
    meta_skip = _IGNORED_KEYS + (("text",) if source is not None else ())
    return LabelledDoc(
        id=doc_key,
        texts=texts,
        labels=labels,
        site=str(record.get("site") or record.get("source") or ""),
        source=str(record.get("source") or ""),
        meta={k: v for k, v in record.items() if k not in meta_skip},
        group=str(record.get("site") or _host(record.get("url")) or record.get("source_id") or doc_key),
    )


def _host(url: object) -> str:
    if not isinstance(url, str) or not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def read_json_lines(path: Path) -> Iterator[tuple[int, str, object]]:
    """``(line number, "path:line", value)`` for each non-blank line of a JSONL file; a line that is
    not valid JSON raises :class:`LabelledDataError` naming its file and line."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelledDataError(f"{where}: invalid JSON ({exc.msg})") from None
            yield lineno, where, record


def read_labelled(path: Path) -> list[LabelledDoc]:
    """Read a labelled JSONL file; any malformed line raises with its file and line number."""
    return [parse_record(record, where) for _, where, record in read_json_lines(path)]


def write_labelled(docs: Iterable[LabelledDoc], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.to_json(), ensure_ascii=False) + "\n")


def from_dicts(records: Sequence[dict], where: str) -> list[LabelledDoc]:
    return [parse_record(r, f"{where}[{i}]") for i, r in enumerate(records)]
