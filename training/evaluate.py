"""Scoring a classifier on labelled documents (grouped cross-validation lives in :mod:`training.quality`)."""

from __future__ import annotations

from collections.abc import Sequence

from service.document import build_documents
from service.model import ParagraphClassifier
from service.settings import LABELS

from .data import LabelledDoc
from .metrics import evaluate


def predict_labels(model: ParagraphClassifier, docs: Sequence[LabelledDoc]) -> tuple[list[str], list[str]]:
    """Final and first-pass labels of every paragraph of ``docs``, flattened in order."""
    built = build_documents(["\n".join(d.texts) for d in docs])
    final: list[str] = []
    first: list[str] = []
    for p2, p1 in model.predict_proba_docs(built):
        final += [LABELS[i] for i in p2.argmax(axis=1)]
        first += [LABELS[i] for i in p1.argmax(axis=1)]
    return final, first

def score(model: ParagraphClassifier, docs: Sequence[LabelledDoc]) -> dict[str, object]:
    final, first = predict_labels(model, docs)
    true = [lab for d in docs for lab in d.labels]
    lengths = [len(t) for d in docs for t in d.texts]
    report = evaluate(true, final, lengths)
    report["first_pass"] = evaluate(true, first, lengths)
    return report
