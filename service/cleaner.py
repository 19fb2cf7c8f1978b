"""The one path from text to cleaned output: segment -> featurise -> classify -> decide."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .artifact import LoadedModel, load_model
from .document import build_documents
from .decision import document_labels
from .records import CleanResult, Document, ParagraphResult
from .settings import CLEAN_BATCH_SIZE_DEFAULT, KEEP_DEFAULT, LABELS


def check_keep(keep: Iterable[str]) -> tuple[str, ...]:
    """Validate a set of labels to keep; unknown labels are a caller's error, not an empty result."""
    keep = tuple(keep)
    unknown = [k for k in keep if k not in LABELS]
    if unknown:
        raise ValueError(f"unknown label(s) in keep: {', '.join(map(repr, unknown))}; expected any of {', '.join(LABELS)}")
    return keep


def decide(doc: Document, final: np.ndarray, first: np.ndarray, keep: Sequence[str]) -> CleanResult:
    """Turn a document's probabilities into labels, kept flags and the cleaned text."""
    paragraphs: list[ParagraphResult] = []
    kept_texts: list[str] = []
    removed: dict[str, int] = {}
    labels = document_labels(doc, final).tolist()
    firsts = first.argmax(axis=1).tolist() if len(first) else []
    # Scores are float32: times 10**4 they are exact in float64, so numpy's rounding equals round(s, 4).
    scores = np.round(final.astype(np.float64), 4).tolist()
    for p, row, li, fi in zip(doc.paragraphs, scores, labels, firsts):
        label = LABELS[li]
        kept = label in keep
        if kept:
            kept_texts.append(p.text)
        else:
            removed[label] = removed.get(label, 0) + 1
        paragraphs.append(ParagraphResult(p.start, p.end, label, dict(zip(LABELS, row)), LABELS[fi], kept))
    return CleanResult(
        text="\n".join(kept_texts), paragraphs=paragraphs, id=doc.id, chars_in=len(doc.text), removed=removed
    )


class Cleaner:
    """A loaded, verified model and the cleaning it does; owned by whoever serves it (app, worker)."""

    def __init__(
        self, model: LoadedModel, keep: Sequence[str] = KEEP_DEFAULT, batch_size: int = CLEAN_BATCH_SIZE_DEFAULT
    ) -> None:
        self.model = model
        self.keep = check_keep(keep)
        self.batch_size = batch_size

    @classmethod
    def from_dir(cls, models_dir: Path, name: str | None = None, **kwargs: object) -> "Cleaner":
        return cls(load_model(models_dir, name), **kwargs)  # type: ignore[arg-type]

    @property
    def version(self) -> str:
        return self.model.version

    def clean(self, text: str, keep: Sequence[str] | None = None, id: object = None) -> CleanResult:
        """Clean one document."""
        return self.clean_many([text], keep=keep, ids=[id])[0]

    def clean_many(
        self, texts: Sequence[str], keep: Sequence[str] | None = None, ids: Sequence[object] | None = None
    ) -> list[CleanResult]:
        """Clean documents in vectorised batches; results come back in input order."""
        keep_labels = self.keep if keep is None else check_keep(keep)
        results: list[CleanResult] = []
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start : start + self.batch_size]
            chunk_ids = None if ids is None else ids[start : start + self.batch_size]
            results += self.clean_documents(build_documents(chunk, chunk_ids), keep_labels)
        return results

    def clean_documents(self, docs: Sequence[Document], keep: Sequence[str] | None = None) -> list[CleanResult]:
        """Classify and decide already segmented documents, for callers that keep the :class:`Document`."""
        keep_labels = self.keep if keep is None else check_keep(keep)
        return [
            decide(doc, final, first, keep_labels)
            for doc, (final, first) in zip(docs, self.model.classifier.predict_proba_docs(docs))
        ]
