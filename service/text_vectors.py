"""Sparse text representations: character n-grams for the first pass, words for topic fit.

Both are hashed (no vocabulary to store, a fixed model size) and computed for a whole batch of
paragraphs at once: per-paragraph Python loops were the cleaner's main cost.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np
import rjieba
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from .codepoints import CJK_RANGES, codepoints

_CJK_RUN = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES) + "]{2,}")
_MULT = np.uint64(0x9E3779B97F4A7C15)
_PRIME = np.uint64(1_000_003)


def cjk_words(text: str) -> list[str]:
    """jieba words (via rjieba) of the CJK runs of ``text``, single characters dropped.

    Only CJK runs are segmented: on Latin, digits and punctuation rjieba and jieba differ, and
    those tokens carry no topic anyway. Single characters are mostly function words.
    """
    return [w for run in _CJK_RUN.findall(text) for w in rjieba.cut(run) if len(w) > 1]


def char_ngram_counts(texts: Sequence[str], n_features: int, ngram_range: tuple[int, int]) -> sp.csr_matrix:
    """Hashed counts of the character n-grams of each text, vectorised over the whole batch.

    Code points are combined by a polynomial hash in uint64 (wrapping arithmetic), salted by n and
    mixed before the modulo. N-grams never cross from one text into the next.
    """
    n_rows = len(texts)
    if not n_rows:
        return sp.csr_matrix((0, n_features), dtype=np.float32)
    lowered = [t.lower() for t in texts]
    # \x00 separates texts; normalised text holds no control characters, so it never occurs inside.
    cp = codepoints("\x00".join(lowered)).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in lowered), dtype=np.int64, count=n_rows)
    key_type = _key_type(n_rows, n_features)
    base_of = np.repeat(np.arange(n_rows, dtype=key_type) * key_type(n_features), lengths + 1)[: len(cp)]
    keys: list[np.ndarray] = []
    total = len(cp)
    with np.errstate(over="ignore"):
        for n in range(ngram_range[0], ngram_range[1] + 1):
            m = total - n + 1
            if m <= 0:
                continue
            h = cp[:m] + np.uint64(n) * _PRIME
            valid = cp[:m] != 0
            for k in range(1, n):
                nxt = cp[k : k + m]
                h = h * _PRIME + nxt
                valid &= nxt != 0
            h = h * _MULT
            h ^= h >> np.uint64(29)
            keys.append(base_of[:m][valid] + _modulo(h[valid], n_features).astype(key_type))
    return count_matrix(np.concatenate(keys) if keys else np.zeros(0, dtype=key_type), n_rows, n_features)


def _key_type(n_rows: int, n_features: int) -> type[np.unsignedinteger]:
    """The narrowest type that holds every ``row * n_features + col`` key: a batch's keys fit 32 bits,
    which halves the sort; a training set's need 64."""
    return np.uint32 if n_rows * n_features < 2**32 else np.uint64


def _modulo(values: np.ndarray, n: int) -> np.ndarray:
    """``values % n`` for unsigned ``values``; a mask when ``n`` is a power of two (the same numbers)."""
    return values & values.dtype.type(n - 1) if n & (n - 1) == 0 else values % values.dtype.type(n)


def count_matrix(keys: np.ndarray, n_rows: int, n_features: int) -> sp.csr_matrix:
    """Canonical CSR counts of the ``row * n_features + col`` keys (unsigned): duplicates summed,
    indices sorted.

    The same matrix as scipy's COO-to-CSR conversion, built by one sort of the keys: scipy sorts
    each row's indices in turn, which took a tenth of the cleaner's time.
    """
    keys = np.sort(keys)
    first = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    unique = keys[starts]
    counts = np.empty(len(starts), dtype=np.float32)
    counts[:-1] = np.diff(starts)
    counts[-1:] = len(keys) - starts[-1:]
    indptr = np.empty(n_rows + 1, dtype=np.int64)
    indptr[0], indptr[-1] = 0, len(unique)
    indptr[1:-1] = np.searchsorted(unique, np.arange(1, n_rows, dtype=keys.dtype) * keys.dtype.type(n_features))
    index_type = np.int32 if max(n_features, len(unique)) < 2**31 else np.int64
    cols = _modulo(unique, n_features).astype(index_type)
    return sp.csr_matrix((counts, cols, indptr.astype(index_type)), shape=(n_rows, n_features))


_NEWLINE, _SKIP = -2, -1
_WORD_COLUMNS: dict[int, dict[str, int]] = {}
"""Per hash width, token -> column (or a _NEWLINE/_SKIP code): hashing each token once, not at
every occurrence, halves the cost of topic vectors. Bounded by clearing when it grows past
_WORD_CACHE_MAX entries."""
_WORD_CACHE_MAX = 1_000_000


def _token_code(token: str, n_features: int) -> int:
    if token == "\n":
        return _NEWLINE
    if len(token) < 2 or not ("\u3400" <= token[0] <= "\ufaff"):
        return _SKIP
    return zlib.crc32(token.encode("utf-8")) % n_features


def word_counts(texts: Sequence[str], n_features: int) -> sp.csr_matrix:
    """Hashed counts of the jieba words (two characters or more) of each text's CJK runs.

    One rjieba call segments the whole batch: runs are joined by spaces and texts by newlines,
    which jieba never merges into a word (each newline is a token of its own). Words hash with
    CRC-32, stable across processes.
    """
    n_rows = len(texts)
    tokens = rjieba.cut("\n".join(" ".join(_CJK_RUN.findall(t)) for t in texts))
    cache = _WORD_COLUMNS.setdefault(n_features, {})
    if len(cache) > _WORD_CACHE_MAX:
        cache.clear()
    for token in set(tokens).difference(cache):
        cache[token] = _token_code(token, n_features)
    arr = np.fromiter(map(cache.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    rows = np.cumsum(arr == _NEWLINE)
    keep = arr >= 0
    key_type = _key_type(n_rows, n_features)
    return count_matrix(rows[keep].astype(key_type) * key_type(n_features) + arr[keep].astype(key_type), n_rows, n_features)


class CharNgrams(BaseEstimator, TransformerMixin):
    """Hashed, sub-linear TF-IDF character 1-3-grams of each paragraph."""

    def __init__(self, n_features: int = 2**19, ngram_range: tuple[int, int] = (1, 3)) -> None:
        self.n_features = n_features
        self.ngram_range = ngram_range

    def fit(self, norms: Sequence[str], y: object = None) -> "CharNgrams":
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(char_ngram_counts(norms, self.n_features, self.ngram_range))
        return self

    def transform(self, norms: Sequence[str]) -> sp.csr_matrix:
        return _apply_tfidf(self.tfidf_, char_ngram_counts(norms, self.n_features, self.ngram_range))


class TopicVectors(BaseEstimator, TransformerMixin):
    """L2-normalised TF-IDF over jieba words: the space in which a paragraph fits its document or not."""

    def __init__(self, n_features: int = 2**18) -> None:
        self.n_features = n_features

    def fit(self, norms: Sequence[str], y: object = None) -> "TopicVectors":
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(word_counts(norms, self.n_features))
        return self

    def transform(self, norms: Sequence[str]) -> sp.csr_matrix:
        return _apply_tfidf(self.tfidf_, word_counts(norms, self.n_features))


def _apply_tfidf(tfidf: TfidfTransformer, counts: sp.csr_matrix) -> sp.csr_matrix:
    """``tfidf.transform(counts)`` (sub-linear tf, idf, rows L2-normalised) computed in place.

    Bit for bit scikit-learn's arithmetic, its own row normaliser included (it sums squares in
    float32; a float64 sum differs in the last bit, and a model retrained on features one ulp off
    was measurably different). Only the input validation is skipped: it cost more than the
    arithmetic on a one-document request.
    """
    data = counts.data.astype(np.float32, copy=False)
    np.log(data, out=data)
    data += 1.0
    data *= tfidf.idf_[counts.indices]
    out = sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
    inplace_csr_row_normalize_l2(out)
    return out
