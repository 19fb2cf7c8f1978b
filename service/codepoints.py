"""Text as arrays of Unicode code points: the one place the vectorised features turn strings into
numbers and back, and the character ranges they share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

CJK_RANGES: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""CJK Unified Ideographs, Extension A and the Compatibility Ideographs."""


def codepoints(text: str) -> np.ndarray:
    """One uint32 per character (lone surrogates pass through as their own code points)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def to_text(cp: np.ndarray) -> str:
    """The inverse of :func:`codepoints`."""
    return cp.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def line_starts(lengths: np.ndarray) -> np.ndarray:
    """Where each line starts in the newline-joined text of lines of these lengths: how every
    batch-wide feature maps an offset of its joined text back to a paragraph."""
    return np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64) + 1)[:-1]]).astype(np.int64)


def line_of(starts: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The line holding each offset ``pos`` of a joined text whose lines start at ``starts``."""
    return np.searchsorted(starts, pos, side="right") - 1


def match_lines(pattern: re.Pattern[str], text: str, starts: np.ndarray) -> np.ndarray:
    """The line of every match of ``pattern`` in ``text``, lines starting at ``starts``."""
    return line_of(starts, np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64))


def in_ranges(cp: np.ndarray, ranges: Iterable[tuple[int, int]]) -> np.ndarray:
    """Mask of the code points inside any of the inclusive ``(lo, hi)`` ranges."""
    mask = np.zeros(len(cp), dtype=bool)
    for lo, hi in ranges:
        mask |= (cp >= lo) & (cp <= hi)
    return mask


BMP_SIZE = 0x10000


def class_table(classes: Sequence[Iterable[tuple[int, int]]]) -> np.ndarray:
    """A lookup table from code point to a bit mask: bit ``i`` is set for the code points inside the
    inclusive ranges of ``classes[i]``. One table lookup replaces a comparison pass per class.

    Every range lies in the Basic Multilingual Plane; the table has one extra, empty entry that
    :func:`classes_of` maps every code point above it to.
    """
    if len(classes) > 32:
        raise ValueError("at most 32 classes fit a uint32 mask")
    table = np.zeros(BMP_SIZE + 1, dtype=np.uint32)
    for bit, ranges in enumerate(classes):
        for lo, hi in ranges:
            if not 0 <= lo <= hi < BMP_SIZE:
                raise ValueError(f"range {lo:#x}-{hi:#x} is not inside the BMP")
            table[lo : hi + 1] |= np.uint32(1 << bit)
    return table


def classes_of(cp: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Each code point's class mask from a :func:`class_table` (0 outside the BMP)."""
    return table[np.minimum(cp, BMP_SIZE)]


def chars_to_ranges(chars: str) -> tuple[tuple[int, int], ...]:
    """Single characters as one-point ranges, for :func:`class_table`."""
    return tuple((ord(c), ord(c)) for c in chars)
