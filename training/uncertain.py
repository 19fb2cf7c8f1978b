"""``jingwen uncertain``: the paragraphs the model is least sure of, as labelled data to correct.

Reads documents (``{"id", "text"}`` lines), scores every paragraph with a model and keeps the ``n``
least certain — smallest margin between the two highest final scores (``by="margin"``), or highest
entropy of the final scores (``by="entropy"``). A line a site repeats on every page is offered once
(paragraphs are de-duplicated by their normalised text, keeping the least certain occurrence), so
``n`` corrections cover ``n`` different lines. Each uncertain paragraph is written with ``context``
neighbours on either side, in the labelled-data format, every paragraph pre-labelled with the
model's label; windows that overlap in a document are merged into one record::

    {"id": "doc-7#3-8", "source_id": "doc-7", "window": [3, 8], "model": "jingwen-zh-0.1.0",
     "score_margin": 0.031, "paragraphs": [
        {"text": "...", "label": "content", "uncertain": false},
        {"text": "...", "label": "chrome", "uncertain": true, "score_margin": 0.031,
         "entropy": 0.98, "scores": {"content": 0.47, "chrome": 0.5, ...}}, ...]}

``window`` is the ``[first, last + 1)`` range of paragraph indices in the source document. Correct
the labels and pass the file to ``jingwen train --data``; only ``text`` and ``label`` are read.
Records come out least certain first, so labelling the top of the file pays most.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from service.decision import document_labels
from service.document import build_documents
from service.model import ParagraphClassifier
from service.settings import LABELS

from .data import LabelledDataError, read_json_lines

MEASURES = ("margin", "entropy")
CONTEXT_DEFAULT = 2
BATCH_DOCS = 64


@dataclass(slots=True)
class InputDoc:
    seq: int
    id: str
    text: str
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class _Candidate:
    key: tuple[float, int, int]  # (uncertainty rank value: lower = less certain, doc seq, paragraph index)
    norm: str
    doc: InputDoc
    index: int
    window: list[tuple[int, str, str]]  # (paragraph index, text, model label)
    margin: float
    entropy: float
    scores: dict[str, float]


def read_documents(path: Path, text_field: str = "text", id_field: str = "id", site_field: str = "site") -> Iterator[InputDoc]:
    """Documents of a JSONL file; a line that is not an object with a string text names its line.

    The record's site (``site_field``) and ``url`` are carried to the output as ``site`` and ``url``,
    so cross-validation on the corrected records can group them by site.
    """
    for lineno, where, record in read_json_lines(path):
        if not isinstance(record, dict):
            raise LabelledDataError(f"{where}: a record must be a JSON object")
        text = record.get(text_field)
        if not isinstance(text, str):
            raise LabelledDataError(f"{where}: field {text_field!r} must be a string")
        rid = record.get(id_field)
        extra: dict[str, object] = {}
        for out_name, name in (("site", site_field), ("url", "url")):
            if record.get(name) not in (None, ""):
                extra[out_name] = record[name]
        yield InputDoc(seq=lineno, id=str(rid) if rid is not None else f"{Path(path).name}:{lineno}", text=text, extra=extra)


def uncertainty(final: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: margin between the two highest scores, and entropy (natural log) of the scores."""
    if len(final) == 0:
        return np.zeros(0), np.zeros(0)
    top2 = np.sort(final, axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    p = np.clip(final.astype(np.float64), 1e-12, 1.0)
    entropy = -(p * np.log(p)).sum(axis=1)
    return margin, entropy


class _TopN:
    """The ``n`` least certain paragraphs seen so far, at most one per normalised text.

    A max-heap (keys negated) finds the most certain one held in O(log n); entries replaced by a
    less certain occurrence of the same text stay in the heap as stale and are skipped lazily.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.by_norm: dict[str, _Candidate] = {}
        self.heap: list[tuple[tuple[float, int, int], str]] = []

    @staticmethod
    def _neg(key: tuple[float, int, int]) -> tuple[float, int, int]:
        return (-key[0], -key[1], -key[2])

    def _top(self) -> tuple[tuple[float, int, int], str]:
        while True:
            negkey, norm = self.heap[0]
            held = self.by_norm.get(norm)
            if held is not None and self._neg(held.key) == negkey:
                return negkey, norm
            heapq.heappop(self.heap)

    def threshold(self) -> tuple[float, int, int] | None:
        """The key a new paragraph must beat once ``n`` are held (None while there is room)."""
        if len(self.by_norm) < self.n:
            return None
        return self._neg(self._top()[0])

    def _add(self, cand: _Candidate) -> None:
        self.by_norm[cand.norm] = cand
        heapq.heappush(self.heap, (self._neg(cand.key), cand.norm))

    def offer(self, cand: _Candidate) -> None:
        held = self.by_norm.get(cand.norm)
        if held is not None:
            if cand.key < held.key:
                self._add(cand)
            return
        threshold = self.threshold()
        if threshold is None:
            self._add(cand)
        elif cand.key < threshold:
            _, norm = heapq.heappop(self.heap)  # _top() in threshold() left the live worst on top
            del self.by_norm[norm]
            self._add(cand)

    def items(self) -> list[_Candidate]:
        return sorted(self.by_norm.values(), key=lambda c: c.key)


def find_uncertain(
    classifier: ParagraphClassifier,
    docs: Iterable[InputDoc],
    n: int = 200,
    by: str = "margin",
    context: int = CONTEXT_DEFAULT,
    model_name: str = "",
    batch_docs: int = BATCH_DOCS,
) -> list[dict[str, object]]:
    """Labelled-format records around the ``n`` least certain distinct paragraphs of ``docs``."""
    if by not in MEASURES:
        raise ValueError(f"by must be one of {MEASURES}, got {by!r}")
    if n <= 0:
        return []
    top = _TopN(n)
    batch: list[InputDoc] = []

    def flush() -> None:
        built = build_documents([d.text for d in batch], [d.id for d in batch])
        for src, doc, (final, _) in zip(batch, built, classifier.predict_proba_docs(built)):
            if not doc.paragraphs:
                continue
            margin, entropy = uncertainty(final)
            labels = [LABELS[i] for i in document_labels(doc, final)]
            rank = margin if by == "margin" else -entropy
            threshold = top.threshold()
            for i in np.argsort(rank, kind="stable"):
                key = (round(float(rank[i]), 6), src.seq, int(i))
                if threshold is not None and key >= threshold:
                    break  # sorted: no later paragraph of this document can enter
                lo, hi = max(0, i - context), min(len(doc.paragraphs), i + context + 1)
                top.offer(_Candidate(
                    key=key, norm=doc.paragraphs[i].norm, doc=src, index=int(i),
                    window=[(j, doc.paragraphs[j].text, labels[j]) for j in range(lo, hi)],
                    margin=float(margin[i]), entropy=float(entropy[i]),
                    scores={lab: round(float(s), 4) for lab, s in zip(LABELS, final[i])},
                ))
                threshold = top.threshold()
        batch.clear()

    for d in docs:
        batch.append(d)
        if len(batch) >= batch_docs:
            flush()
    if batch:
        flush()
    return _records(top.items(), model_name)


def _records(chosen: list[_Candidate], model_name: str) -> list[dict[str, object]]:
    """Merge overlapping windows per document into records, least certain record first."""
    by_doc: dict[int, list[_Candidate]] = {}
    for c in chosen:
        by_doc.setdefault(c.doc.seq, []).append(c)
    out: list[tuple[tuple[float, int, int], dict[str, object]]] = []
    for cands in by_doc.values():
        doc = cands[0].doc
        rows: dict[int, tuple[str, str]] = {}
        for c in cands:
            for j, text, label in c.window:
                rows[j] = (text, label)
        marks = {c.index: c for c in cands}
        run: list[int] = []
        for j in sorted(rows) + [None]:  # type: ignore[list-item]
            if run and (j is None or j != run[-1] + 1):
                inside = [marks[k] for k in run if k in marks]
                paragraphs: list[dict[str, object]] = []
                for k in run:
                    text, label = rows[k]
                    item: dict[str, object] = {"text": text, "label": label, "uncertain": k in marks}
                    if k in marks:
                        m = marks[k]
                        item |= {"score_margin": round(m.margin, 4), "entropy": round(m.entropy, 4), "scores": m.scores}
                    paragraphs.append(item)
                record: dict[str, object] = {
                    "id": f"{doc.id}#{run[0]}-{run[-1] + 1}",
                    "source_id": doc.id,
                    **doc.extra,
                    "window": [run[0], run[-1] + 1],
                    "model": model_name,
                    "score_margin": round(min(m.margin for m in inside), 4),
                    "paragraphs": paragraphs,
                }
                out.append((min(m.key for m in inside), record))
                run = []
            if j is not None:
                run.append(j)
    out.sort(key=lambda x: x[0])
    return [r for _, r in out]


def write_records(records: Iterable[dict[str, object]], path: Path) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            count += 1
    return count
