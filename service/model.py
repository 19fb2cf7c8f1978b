"""The two-stage paragraph classifier: every feature lives here, so training and serving share it.

Stage 1 labels each paragraph from its own text (character n-grams, shape, spam lexicon). Stage 2
relabels it from its own evidence plus the document around it (:mod:`service.context`): the
neighbours' first-pass scores, where the article's dense run of prose is, repeats, and topic fit.
Stage 2 is trained on out-of-fold stage-1 scores, so it learns how much to trust a first pass it
has not seen the answers of. It can be several boosted-tree members whose probabilities are
averaged, each trained on the labelled documents and its own share of the synthetic pages: which
pages the generator happens to draw moves single real pages by whole blocks, and an average over
draws moves them less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from .context import TOPIC_NAMES, batch_context, context_feature_names, topic_features
from .lexicon import SpamLexicon
from .records import Document
from .settings import LABELS
from .shape import FEATURE_NAMES as SHAPE_NAMES
from .shape import shape_features
from .text_vectors import CharNgrams, TopicVectors


TOPIC_CHUNK_DOCS = 64


class ParagraphClassifier(BaseEstimator, ClassifierMixin):
    """Labels every paragraph of a batch of :class:`Document` with probabilities over :data:`LABELS`."""

    def __init__(
        self,
        lexicon_terms: Mapping[str, Sequence[str]] | None = None,
        ngram_features: int = 2**19,
        topic_features: int = 2**18,
        stage1_alpha: float = 2e-6,
        stage1_epochs: int = 15,
        stage2_iter: int = 100,
        stage2_lr: float = 0.16,
        stage2_leaves: int = 63,
        oof_folds: int = 5,
        stage2_bags: int = 1,
        random_state: int = 0,
    ) -> None:
        self.lexicon_terms = lexicon_terms
        self.ngram_features = ngram_features
        self.topic_features = topic_features
        self.stage1_alpha = stage1_alpha
        self.stage1_epochs = stage1_epochs
        self.stage2_iter = stage2_iter
        self.stage2_lr = stage2_lr
        self.stage2_leaves = stage2_leaves
        self.oof_folds = oof_folds
        self.stage2_bags = stage2_bags
        self.random_state = random_state

    # -- features -----------------------------------------------------------------------------
    def _own(self, norms: list[str]) -> np.ndarray:
        return np.hstack([shape_features(norms), self.lexicon_.transform(norms)])

    def _scaled(self, own: np.ndarray) -> np.ndarray:
        return self.scaler_.transform(own).astype(np.float32)

    def _stage1_matrix(self, grams: sp.csr_matrix, own: np.ndarray) -> sp.csr_matrix:
        return sp.hstack([grams, sp.csr_matrix(self._scaled(own))], format="csr")

    def _stage2_matrix(
        self, docs: Sequence[Document], norms: list[str], own: np.ndarray, grams: sp.csr_matrix, p1: np.ndarray
    ) -> np.ndarray:
        lengths = np.fromiter((len(t) for t in norms), dtype=np.float32, count=len(norms))
        sizes = [len(doc.paragraphs) for doc in docs]
        context, seg = batch_context(p1, lengths, norms, sizes)
        weight = np.log1p(lengths)
        T = self.topics_.transform(norms)
        # Topic fit multiplies every paragraph with every document centroid of the batch: chunked,
        # so fitting on thousands of documents stays linear in time and memory.
        topics = []
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        for lo in range(0, len(sizes), TOPIC_CHUNK_DOCS):
            hi = min(lo + TOPIC_CHUNK_DOCS, len(sizes))
            sl = slice(int(bounds[lo]), int(bounds[hi]))
            topics.append(
                topic_features(T[sl], grams[sl], sizes[lo:hi], (p1[sl, 0] * weight[sl]), seg[sl] * weight[sl], lengths[sl])
            )
        topics = np.vstack(topics) if topics else np.zeros((0, len(TOPIC_NAMES)), dtype=np.float32)
        return np.hstack([own, context, topics])

    @staticmethod
    def _norms(docs: Sequence[Document]) -> list[str]:
        return [p.norm for d in docs for p in d.paragraphs]

    # -- estimator API --------------------------------------------------------------------------
    def fit(
        self,
        docs: Sequence[Document],
        labels: Sequence[Sequence[str]],
        sample_weight: Sequence[np.ndarray] | None = None,
        bags: Sequence[int] | None = None,
        groups: Sequence[int] | None = None,
    ) -> "ParagraphClassifier":
        """Fit on documents; ``labels[i]`` and ``sample_weight[i]`` have one entry per paragraph of ``docs[i]``.

        ``bags[i]`` names the one stage-2 member (``0 .. stage2_bags - 1``) that learns from document
        ``i``, or -1 for every member. Without ``bags``, or with every document at -1, one member
        learns from everything, since identical members would only cost time.
        ``groups[i]`` keeps documents that share lines (a page and its noisy copies) in one fold
        of the out-of-fold first pass, whose scores would otherwise have seen those lines; by
        default every document is its own group.
        """
        self.classes_ = np.array(LABELS)
        index = {label: i for i, label in enumerate(LABELS)}
        y = np.array([index[label] for doc_labels in labels for label in doc_labels], dtype=np.int64)
        norms = self._norms(docs)
        if len(y) != len(norms):
            raise ValueError(f"{len(y)} labels for {len(norms)} paragraphs")
        w = (
            np.concatenate([np.asarray(s, dtype=np.float64) for s in sample_weight])
            if sample_weight is not None
            else np.ones(len(y))
        )
        sizes = [len(d.paragraphs) for d in docs]
        doc_groups = np.arange(len(docs)) if groups is None else np.asarray(groups, dtype=np.int64)
        if len(doc_groups) != len(docs):
            raise ValueError(f"{len(doc_groups)} groups for {len(docs)} documents")
        row_groups = np.repeat(doc_groups, sizes)
        doc_bags = np.full(len(docs), -1, dtype=np.int64) if bags is None else np.asarray(bags, dtype=np.int64)
        if len(doc_bags) != len(docs) or (doc_bags < -1).any() or (doc_bags >= self.stage2_bags).any():
            raise ValueError(f"bags must give every document a member in -1 .. {self.stage2_bags - 1}")
        row_bags = np.repeat(doc_bags, sizes)

        self.lexicon_ = SpamLexicon(self.lexicon_terms).fit()
        self.ngrams_ = CharNgrams(self.ngram_features).fit(norms)
        self.topics_ = TopicVectors(self.topic_features).fit(norms)
        own = self._own(norms)
        self.scaler_ = StandardScaler().fit(own)
        grams = self.ngrams_.transform(norms)
        X1 = self._stage1_matrix(grams, own)

        p1_oof = np.zeros((len(y), len(LABELS)), dtype=np.float32)
        for train, test in GroupKFold(n_splits=self.oof_folds).split(X1, y, row_groups):
            fold = self._fit_stage1(X1[train], y[train], w[train])
            p1_oof[test] = _linear_proba(fold, _weights(fold), grams[test], self._scaled(own[test]))
        self.stage1_ = self._fit_stage1(X1, y, w)

        X2 = self._stage2_matrix(docs, norms, own, grams, p1_oof)
        members = range(self.stage2_bags) if (doc_bags >= 0).any() else [-1]
        self.stage2_ = [self._fit_stage2(X2, y, w, (row_bags == -1) | (row_bags == k)) for k in members]
        self.n_features_in_ = X2.shape[1]
        return self

    def _fit_stage1(self, X: sp.csr_matrix, y: np.ndarray, w: np.ndarray) -> SGDClassifier:
        # Logistic loss by SGD: L-BFGS over ~2M coefficients costs minutes, SGD seconds, same scores.
        return SGDClassifier(
            loss="log_loss",
            alpha=self.stage1_alpha,
            max_iter=self.stage1_epochs,
            tol=None,
            random_state=self.random_state,
        ).fit(X, y, sample_weight=w)

    def _fit_stage2(self, X: np.ndarray, y: np.ndarray, w: np.ndarray, rows: np.ndarray) -> HistGradientBoostingClassifier:
        if not rows.all():  # a member's share; one member learns from the matrix itself, uncopied
            X, y, w = X[rows], y[rows], w[rows]
        return HistGradientBoostingClassifier(
            max_iter=self.stage2_iter,
            learning_rate=self.stage2_lr,
            max_leaf_nodes=self.stage2_leaves,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=self.random_state,
        ).fit(X, y, sample_weight=w)

    @staticmethod
    def _proba(model: SGDClassifier | HistGradientBoostingClassifier, X: object) -> np.ndarray:
        """Probabilities in :data:`LABELS` order, zero for a class the model never saw."""
        out = np.zeros((X.shape[0], len(LABELS)), dtype=np.float32)  # type: ignore[union-attr]
        out[:, model.classes_] = model.predict_proba(X)
        return out

    def predict_proba_docs(self, docs: Sequence[Document]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per document, ``(final, first_pass)`` probability matrices with one row per paragraph."""
        norms = self._norms(docs)
        if not norms:
            empty = np.zeros((0, len(LABELS)), dtype=np.float32)
            return [(empty, empty) for _ in docs]
        own = self._own(norms)
        grams = self.ngrams_.transform(norms)
        p1 = _linear_proba(self.stage1_, self._stage1_weights(), grams, self._scaled(own))
        X2 = self._stage2_matrix(docs, norms, own, grams, p1)
        p2 = self._proba(self.stage2_[0], X2)
        for member in self.stage2_[1:]:
            p2 += self._proba(member, X2)
        p2 /= len(self.stage2_)
        out = []
        pos = 0
        for doc in docs:
            n = len(doc.paragraphs)
            out.append((p2[pos : pos + n], p1[pos : pos + n]))
            pos += n
        return out

    def _stage1_weights(self) -> np.ndarray:
        weights = self.__dict__.get("_stage1_weights_cache")
        if weights is None:
            weights = self.__dict__["_stage1_weights_cache"] = _weights(self.stage1_)
        return weights

    def __getstate__(self) -> dict[str, object]:
        state = super().__getstate__()
        state.pop("_stage1_weights_cache", None)  # derived, 16 MB: never persisted
        return state

    def feature_names(self) -> list[str]:
        """Stage-2 column names, for inspection and the model card."""
        return list(SHAPE_NAMES) + self.lexicon_.feature_names() + context_feature_names(len(LABELS))


def _weights(model: SGDClassifier) -> np.ndarray:
    """The coefficients transposed and C-contiguous. ``X @ coef_.T``, as scikit-learn computes the
    decision function, copies the strided transpose (16 MB) at every call."""
    return np.ascontiguousarray(model.coef_.T)


def _linear_proba(model: SGDClassifier, weights: np.ndarray, grams: sp.csr_matrix, own_scaled: np.ndarray) -> np.ndarray:
    """Stage-1 probabilities in :data:`LABELS` order, without stacking the features into one matrix.

    The same as ``model.predict_proba`` on ``[grams, own_scaled]``: one-vs-rest sigmoids, normalised
    to sum to one (uniform where all are zero), zero for a class the model never saw.
    """
    n_grams = grams.shape[1]
    decision = grams @ weights[:n_grams] + _row_invariant_dot(own_scaled, weights[n_grams:]) + model.intercept_
    prob = expit(decision)
    if prob.shape[1] == 1:
        prob = np.hstack([1.0 - prob, prob])
    else:
        total = prob.sum(axis=1, keepdims=True)
        zero = total[:, 0] == 0
        prob[zero] = 1.0
        total[zero] = prob.shape[1]
        prob /= total
    out = np.zeros((grams.shape[0], len(LABELS)), dtype=np.float32)
    out[:, model.classes_] = prob
    return out


def _row_invariant_dot(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``X @ W`` summed column by column in a fixed order: BLAS picks its kernel (and with it the
    summation order) by the matrix's shape, so a paragraph's score would depend on its batch."""
    out = np.zeros((X.shape[0], W.shape[1]), dtype=np.result_type(X, W))
    for j in range(X.shape[1]):
        out += X[:, j, None] * W[j]
    return out
