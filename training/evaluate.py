"""Scoring a classifier on labelled documents, and cross-validation grouped by site."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.model_selection import GroupKFold

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


def grouped_cv(
    docs: Sequence[LabelledDoc],
    fit: Callable[[Sequence[LabelledDoc]], ParagraphClassifier],
    n_splits: int = 8,
    extra_test: Callable[[Sequence[LabelledDoc]], Sequence[LabelledDoc]] | None = None,
) -> tuple[list[str], list[str], list[str], list[int]]:
    """Out-of-fold predictions with folds grouped by ``site``: no model sees the site it is tested on.

    ``fit`` receives the training documents of a fold (it may add synthetic data of its own);
    ``extra_test`` may turn the test documents into a harder variant (injected spam/off-topic).
    Returns flat ``true, final, first_pass, lengths``.
    """
    groups = np.array([d.site or d.id for d in docs])
    true: list[str] = []
    final: list[str] = []
    first: list[str] = []
    lengths: list[int] = []
    for train_idx, test_idx in GroupKFold(n_splits=min(n_splits, len(set(groups)))).split(docs, groups=groups):
        model = fit([docs[i] for i in train_idx])
        test = [docs[i] for i in test_idx]
        if extra_test is not None:
            test = list(extra_test(test))
        f, p = predict_labels(model, test)
        final += f
        first += p
        true += [lab for d in test for lab in d.labels]
        lengths += [len(t) for d in test for t in d.texts]
    return true, final, first, lengths
