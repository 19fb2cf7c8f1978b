"""Labelled documents: reading, validating and turning them into what the classifier fits on."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


def parse_record(record: object, where: str) -> LabelledDoc:
    """Validate one labelled record: ``{"id", "paragraphs": [{"text", "label"}, ...]}``."""
    if not isinstance(record, dict):
        raise LabelledDataError(f"{where}: a record must be a JSON object")
    paragraphs = record.get("paragraphs")
    if not isinstance(paragraphs, list):
        raise LabelledDataError(f"{where}: missing 'paragraphs' list")
    texts: list[str] = []
    labels: list[str] = []
    for i, p in enumerate(paragraphs):
        if not isinstance(p, dict):
            raise LabelledDataError(f"{where}: paragraph {i} must be an object")
        kept = _paragraph(p.get("text"), p.get("label"), f"{where}: paragraph {i}")
        if kept:
            texts.append(kept[0])
            labels.append(kept[1])
    doc_id = record.get("id")
    return LabelledDoc(
        id=str(doc_id) if doc_id is not None else where,
        texts=texts,
        labels=labels,
        site=str(record.get("site") or record.get("source") or ""),
        source=str(record.get("source") or ""),
        meta={k: v for k, v in record.items() if k not in ("id", "paragraphs", "site", "source")},
    )


def read_labelled(path: Path) -> list[LabelledDoc]:
    """Read a labelled JSONL file; any malformed line raises with its file and line number."""
    docs: list[LabelledDoc] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelledDataError(f"{where}: invalid JSON ({exc.msg})") from None
            docs.append(parse_record(record, where))
    return docs


def write_labelled(docs: Iterable[LabelledDoc], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.to_json(), ensure_ascii=False) + "\n")


def from_dicts(records: Sequence[dict], where: str) -> list[LabelledDoc]:
    return [parse_record(r, f"{where}[{i}]") for i, r in enumerate(records)]
