"""The normalised copy of each paragraph that features see; output always uses the original."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# Zero-width and formatting characters that only hide keywords from filters (毛\u200b片).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
# Control characters (C0 except tab and newline, DEL, C1) become spaces, then every white-space
# run collapses. Newlines only separate the paragraphs of a batch (a paragraph holds none).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")
# A space next to a paragraph break goes: matching only where there is one skips every bare newline.
_EDGES = re.compile(r" \n ?|\n ")
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
    """Normalise many single-line strings in one pass over their newline-joined text.

    One call per step instead of five per paragraph; OpenCC, the main cost, runs once. NFKC
    stays per paragraph: its quick check skips an already normal paragraph, never a whole batch.
    """
    if not texts:
        return []
    joined = _SEPARATOR.join([unicodedata.normalize("NFKC", t) for t in texts])
    joined = _SPACES.sub(" ", _CONTROL.sub(" ", _SURROGATE.sub("\ufffd", _INVISIBLE.sub("", joined))))
    cleaned = _EDGES.sub(_SEPARATOR, joined).strip(" ")
    out = _t2s().convert(cleaned).split(_SEPARATOR)
    if len(out) != len(texts):  # a paragraph held a newline of its own: a newline is a space there
        return [normalize_many([t.replace(_SEPARATOR, " ")])[0] for t in texts]
    return out
