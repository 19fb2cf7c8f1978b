"""Text as arrays of Unicode code points: the one place the vectorised features turn strings into
numbers and back, and the character ranges they share."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

CJK_RANGES: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""CJK Unified Ideographs, Extension A and the Compatibility Ideographs."""


def codepoints(text: str) -> np.ndarray:
    """One uint32 per character (lone surrogates pass through as their own code points)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def to_text(cp: np.ndarray) -> str:
    """The inverse of :func:`codepoints`."""
    return cp.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def in_ranges(cp: np.ndarray, ranges: Iterable[tuple[int, int]]) -> np.ndarray:
    """Mask of the code points inside any of the inclusive ``(lo, hi)`` ranges."""
    mask = np.zeros(len(cp), dtype=bool)
    for lo, hi in ranges:
        mask |= (cp >= lo) & (cp <= hi)
    return mask
