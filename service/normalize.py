"""The normalised copy of each paragraph that features see; output always uses the original."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Zero-width and formatting characters that only hide keywords from filters (毛\u200b片).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# Control characters (C0 except tab, DEL, C1) become spaces, then every white-space run collapses.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
# Lone surrogates (from JSON "\ud800" or bad decoders) cannot be encoded for OpenCC.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SEPARATOR = "\n"


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC, Traditional to Simplified (OpenCC ``t2s``), invisible characters dropped, spaces collapsed."""
    return normalize_many([text])[0]


def normalize_many(texts: list[str]) -> list[str]:
    """Normalise many single-line strings with one OpenCC call, which dominates the cost."""
    if not texts:
        return []
    cleaned = [
        _SPACES.sub(" ", _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", unicodedata.normalize("NFKC", t)).translate(_INVISIBLE))).strip()
        for t in texts
    ]
    joined = _t2s().convert(_SEPARATOR.join(cleaned))
    out = joined.split(_SEPARATOR)
    if len(out) != len(cleaned):  # a conversion never should merge or split lines; be safe if it does
        out = [_t2s().convert(t) for t in cleaned]
    return out
