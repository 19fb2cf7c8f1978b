"""Spam-lexicon evidence: Aho-Corasick over a symbol-free skeleton of the normalised text.

The automaton is the Rust ``aho-corasick`` crate (``ahocorasick_rs``): a batch scan took a seventh
of the cleaner's time with pyahocorasick, whose root node, with thousands of CJK children, is searched
per character. The automaton is rebuilt from the stored terms on load (tens of milliseconds), never
pickled.

Hits are features for the classifier, never verdicts: a term found inside ordinary words
(口交 in 路口交通, 黄片 in 三黄片) is counted separately from a term that starts and ends on
word boundaries, so the model can tell keyword stuffing from an unlucky substring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ahocorasick_rs
import numpy as np
import rjieba
from sklearn.base import BaseEstimator, TransformerMixin

from .codepoints import CJK_RANGES, codepoints, in_ranges, line_starts, to_text

# What spammers put between the characters of a keyword to dodge filters (毛*片, 毛.片, 毛 片)
# is dropped: the skeleton keeps only letters, digits and CJK, as code-point ranges.
_SKELETON_RANGES = ((0x30, 0x39), (0x61, 0x7A), *CJK_RANGES)
_NEWLINE = 10
_MIN_TERM = 2


def skeleton(text: str) -> tuple[str, list[int]]:
    """Lower-cased letters, digits and CJK of ``text`` and, for each kept character, its index in ``text``."""
    cp = codepoints(text.lower())
    index = np.flatnonzero(in_ranges(cp, _SKELETON_RANGES))
    return to_text(cp[index]), index.tolist()


class SpamLexicon(BaseEstimator, TransformerMixin):
    """Per-paragraph lexicon features; ``terms`` maps a category name to its terms.

    Fitting builds the automaton from the terms (already normalised by the caller), so the
    persisted model carries its lexicon and serving needs no data files.
    """

    def __init__(self, terms: Mapping[str, Sequence[str]] | None = None) -> None:
        self.terms = terms

    def fit(self, X: object = None, y: object = None) -> "SpamLexicon":
        categories = sorted((self.terms or {}).keys())
        entries: dict[str, set[int]] = {}
        for ci, category in enumerate(categories):
            for term in (self.terms or {})[category]:
                key, _ = skeleton(term)
                if len(key) >= _MIN_TERM:
                    entries.setdefault(key, set()).add(ci)
        self.categories_ = categories
        self.patterns_ = sorted(entries)
        self.pattern_categories_ = [tuple(sorted(entries[k])) for k in self.patterns_]
        self.n_terms_ = len(self.patterns_)
        self._derive()
        return self

    def _derive(self) -> None:
        """What serving needs and a pickle never holds: the automaton (a Rust object) and the
        pattern x category indicator that sums a batch's hits per category at once."""
        self._automaton = _build_automaton(self.patterns_)
        self._categories_of = np.zeros((len(self.patterns_), len(self.categories_)), dtype=np.float32)
        for i, cats in enumerate(self.pattern_categories_):
            self._categories_of[i, list(cats)] = 1.0

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_automaton", None)
        state.pop("_categories_of", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if "patterns_" in state:
            self._derive()

    def feature_names(self) -> list[str]:
        return [
            "lex_hits_aligned",
            "lex_hits_inside",
            "lex_distinct",
            "lex_cover",
            "lex_max_len",
        ] + [f"lex_cat_{c}" for c in self.categories_]

    def transform(self, norms: Sequence[str]) -> np.ndarray:
        """One row per normalised paragraph, from one scan of the batch's newline-joined skeleton.

        Normalised text holds no newline and no term does, so no hit spans two paragraphs. All
        offsets are into the lower-cased joined text: the word-boundary test of a hit reads a
        boundary mask of the same text, segmented only where there are hits.
        """
        n_rows, n_cat = len(norms), len(self.categories_)
        out = np.zeros((n_rows, 5 + n_cat), dtype=np.float32)
        if self._automaton is None or not n_rows:
            return out
        lowered = "\n".join(norms).lower()
        cp = codepoints(lowered)
        newline = cp == _NEWLINE
        # skeleton position -> joined-text position
        pos = np.flatnonzero(in_ranges(cp, _SKELETON_RANGES) | newline)
        skel_newline = newline[pos]
        hits = self._automaton.find_matches_as_indexes(to_text(cp[pos]), overlapping=True)
        if not hits:
            return out
        pattern, start, stop = np.array(hits, dtype=np.int64).T
        skel_row = np.cumsum(skel_newline) - skel_newline  # the newline closing a row belongs to it
        row = skel_row[start]
        # Skeleton characters covered by at least one hit, and the skeleton's length, per row.
        depth = np.zeros(len(pos) + 1, dtype=np.int64)
        np.add.at(depth, start, 1)
        np.add.at(depth, stop, -1)
        covered = np.cumsum(depth[:-1]) > 0
        skel_len = np.bincount(skel_row, weights=~skel_newline, minlength=n_rows)
        cover = np.bincount(skel_row, weights=covered, minlength=n_rows)
        aligned = _on_word_bounds(lowered, newline, pos[start], pos[stop - 1] + 1, row)
        out[:, 0] = np.bincount(row, weights=aligned, minlength=n_rows)
        out[:, 1] = np.bincount(row, weights=~aligned, minlength=n_rows)
        out[:, 2] = np.bincount(np.unique(row * len(self.patterns_) + pattern) // len(self.patterns_), minlength=n_rows)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, 3] = np.where(skel_len > 0, cover / np.maximum(skel_len, 1), 0.0)
        np.maximum.at(out[:, 4], row, (stop - start).astype(np.float32))
        cats = np.zeros((n_rows, n_cat), dtype=np.float32)
        np.add.at(cats, row, self._categories_of[pattern])
        out[:, 5:] = np.log1p(cats)
        return out


def _build_automaton(patterns: Sequence[str]) -> ahocorasick_rs.AhoCorasick | None:
    if not patterns:
        return None
    return ahocorasick_rs.AhoCorasick(
        patterns, matchkind=ahocorasick_rs.MatchKind.Standard, implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )


def _on_word_bounds(lowered: str, newline: np.ndarray, first: np.ndarray, after: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Whether each hit, spanning offsets ``[first, after)`` of the lower-cased joined text
    ``lowered``, starts and ends where jieba's words do (a paragraph's start and end count as word
    boundaries).

    Only the paragraphs with hits are segmented, in one rjieba call: jieba's dictionary, in Rust;
    a newline is a token of its own, so no word spans two paragraphs.
    """
    row_start = np.concatenate([[0], np.flatnonzero(newline) + 1])
    row_end = np.append(np.flatnonzero(newline), len(lowered))
    rows = np.unique(row)
    lengths = row_end[rows] - row_start[rows]
    words = rjieba.cut("\n".join([lowered[row_start[r] : row_end[r]] for r in rows.tolist()]))
    sub_start = line_starts(lengths)  # each row's offset in the segmented text
    bound = np.zeros(int(lengths.sum() + len(lengths)) + 1, dtype=bool)
    bound[0] = True
    bound[np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)))] = True
    shift = (sub_start - row_start[rows])[np.searchsorted(rows, row)]
    return bound[first + shift] & bound[after + shift]
