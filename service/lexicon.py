"""Spam-lexicon evidence: Aho-Corasick over a symbol-free skeleton of the normalised text.

Hits are features for the classifier, never verdicts: a term found inside ordinary words
(口交 in 路口交通, 黄片 in 三黄片) is counted separately from a term that starts and ends on
word boundaries, so the model can tell keyword stuffing from an unlucky substring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import ahocorasick
import numpy as np
import rjieba
from sklearn.base import BaseEstimator, TransformerMixin

# What spammers put between the characters of a keyword to dodge filters (毛*片, 毛.片, 毛 片).
# Letters, digits and CJK stay: the skeleton keeps only those.
_SKELETON_CHARS = "0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NOT_SKELETON = re.compile(f"[^{_SKELETON_CHARS}]+")
# The same, keeping newlines: the skeletons of a batch's paragraphs, newline-joined, in one pass.
_NOT_SKELETON_OR_NEWLINE = re.compile(f"[^{_SKELETON_CHARS}\n]+")
_MIN_TERM = 2


def skeleton(text: str) -> tuple[str, list[int]]:
    """Lower-cased letters, digits and CJK of ``text`` and, for each kept character, its index in ``text``."""
    lowered = text.lower()
    kept: list[str] = []
    index: list[int] = []
    pos = 0
    for match in _NOT_SKELETON.finditer(lowered):
        kept.append(lowered[pos : match.start()])
        index.extend(range(pos, match.start()))
        pos = match.end()
    kept.append(lowered[pos:])
    index.extend(range(pos, len(lowered)))
    return "".join(kept), index


class SpamLexicon(BaseEstimator, TransformerMixin):
    """Per-paragraph lexicon features; ``terms`` maps a category name to its terms.

    Fitting builds the automaton from the terms (already normalised by the caller), so the
    persisted model carries its lexicon and serving needs no data files.
    """

    def __init__(self, terms: Mapping[str, Sequence[str]] | None = None) -> None:
        self.terms = terms

    def fit(self, X: object = None, y: object = None) -> "SpamLexicon":
        automaton = ahocorasick.Automaton()
        categories = sorted((self.terms or {}).keys())
        entries: dict[str, set[int]] = {}
        for ci, category in enumerate(categories):
            for term in (self.terms or {})[category]:
                key, _ = skeleton(term)
                if len(key) >= _MIN_TERM:
                    entries.setdefault(key, set()).add(ci)
        for key, cats in entries.items():
            automaton.add_word(key, (len(key), tuple(sorted(cats))))
        if entries:
            automaton.make_automaton()
        self.categories_ = categories
        self.automaton_ = automaton if entries else None
        self.n_terms_ = len(entries)
        return self

    def feature_names(self) -> list[str]:
        return [
            "lex_hits_aligned",
            "lex_hits_inside",
            "lex_distinct",
            "lex_cover",
            "lex_max_len",
        ] + [f"lex_cat_{c}" for c in self.categories_]

    def transform(self, norms: Sequence[str]) -> np.ndarray:
        """One row per normalised paragraph."""
        n_cat = len(self.categories_)
        out = np.zeros((len(norms), 5 + n_cat), dtype=np.float32)
        if self.automaton_ is None:
            return out
        hits_by_row = _hits_by_row(self.automaton_, norms)
        rows = sorted(hits_by_row)
        for row, bounds in zip(rows, _word_bounds_many([norms[r] for r in rows])):
            skel, index = skeleton(norms[row])
            covered = np.zeros(len(skel), dtype=bool)
            aligned = inside = 0
            distinct: set[str] = set()
            longest = 0
            cats = np.zeros(n_cat, dtype=np.float32)
            for end, (length, term_cats) in hits_by_row[row]:
                start = end - length + 1
                covered[start : end + 1] = True
                distinct.add(skel[start : end + 1])
                longest = max(longest, length)
                if index[start] in bounds and index[end] + 1 in bounds:
                    aligned += 1
                else:
                    inside += 1
                for c in term_cats:
                    cats[c] += 1
            out[row, 0] = aligned
            out[row, 1] = inside
            out[row, 2] = len(distinct)
            out[row, 3] = covered.sum() / len(skel)
            out[row, 4] = longest
            out[row, 5:] = np.log1p(cats)
        return out


def _hits_by_row(automaton: ahocorasick.Automaton, norms: Sequence[str]) -> dict[int, list[tuple[int, tuple[int, tuple[int, ...]]]]]:
    """Every hit of the batch from one scan, grouped by paragraph, with skeleton-local end offsets.

    The newline-joined skeletons of the paragraphs are the skeleton of their newline-joined text
    (normalised text holds no newline); no term holds one, so no hit spans two paragraphs, and
    most paragraphs have none and never need the offset map and word bounds.
    """
    joined = _NOT_SKELETON_OR_NEWLINE.sub("", "\n".join(norms).lower())
    hits = list(automaton.iter(joined))
    if not hits:
        return {}
    line_starts = np.concatenate(
        [[0], np.flatnonzero(np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32) == 10) + 1]
    )
    ends = np.fromiter((end for end, _ in hits), dtype=np.int64, count=len(hits))
    rows = np.searchsorted(line_starts, ends, side="right") - 1
    local = ends - line_starts[rows]
    grouped: dict[int, list[tuple[int, tuple[int, tuple[int, ...]]]]] = {}
    for row, end, (_, value) in zip(rows.tolist(), local.tolist(), hits):
        grouped.setdefault(row, []).append((end, value))
    return grouped


def _word_bounds_many(texts: Sequence[str]) -> list[set[int]]:
    """Per text, the character offsets (lower-cased) where a jieba word starts or ends.

    One rjieba call for all texts: jieba's dictionary, in Rust; a newline is a token of its own.
    """
    out: list[set[int]] = []
    if not texts:
        return out
    bounds, pos = {0}, 0
    for word in rjieba.cut("\n".join(texts).lower()):
        if word == "\n":
            out.append(bounds)
            bounds, pos = {0}, 0
            continue
        pos += len(word)
        bounds.add(pos)
    out.append(bounds)
    return out
