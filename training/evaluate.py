"""Scoring a classifier on labelled documents (grouped cross-validation lives in :mod:`training.quality`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from service.decision import document_labels
from service.document import build_documents
from service.model import ParagraphClassifier
from service.records import Document
from service.settings import LABELS

from .data import LabelledDoc
from .metrics import evaluate


def as_documents(docs: Sequence[LabelledDoc]) -> list[Document]:
    """Labelled documents built as the cleaner builds its input (segmented, normalised, in one
    normalisation pass), so prediction and the decision rule read them alike."""
    return build_documents(["\n".join(d.texts) for d in docs])


def predict_proba(model: ParagraphClassifier, built: Sequence[Document]) -> tuple[np.ndarray, np.ndarray]:
    """Final and first-pass probabilities of every paragraph of ``built``, stacked in order."""
    pairs = model.predict_proba_docs(built)
    empty = np.zeros((0, len(LABELS)), dtype=np.float32)
    return np.vstack([p2 for p2, _ in pairs] or [empty]), np.vstack([p1 for _, p1 in pairs] or [empty])


def final_labels(final: np.ndarray, built: Sequence[Document]) -> list[str]:
    """Label names of the final scores of ``built`` (stacked in order), by the cleaner's decision
    rule, which reads each document as a whole."""
    labels: list[str] = []
    pos = 0
    for doc in built:
        n = len(doc.paragraphs)
        labels += [LABELS[i] for i in document_labels(doc, final[pos : pos + n])]
        pos += n
    if pos != len(final):
        raise ValueError(f"{len(final)} rows of scores for {pos} paragraphs")
    return labels


def to_labels(final: np.ndarray, first: np.ndarray, built: Sequence[Document]) -> tuple[list[str], list[str]]:
    """Final labels (the cleaner's decision rule) and first-pass labels (argmax) of stacked scores."""
    return final_labels(final, built), [LABELS[i] for i in first.argmax(axis=1)]


def predict_labels(model: ParagraphClassifier, docs: Sequence[LabelledDoc]) -> tuple[list[str], list[str]]:
    """Final and first-pass labels of every paragraph of ``docs``, flattened in order."""
    built = as_documents(docs)
    return to_labels(*predict_proba(model, built), built)


def score(model: ParagraphClassifier, docs: Sequence[LabelledDoc]) -> dict[str, object]:
    final, first = predict_labels(model, docs)
    true = [lab for d in docs for lab in d.labels]
    lengths = [len(t) for d in docs for t in d.texts]
    report = evaluate(true, final, lengths)
    report["first_pass"] = evaluate(true, first, lengths)
    return report
