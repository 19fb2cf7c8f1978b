"""Shape features of one normalised paragraph: what a line looks like, not what it says.

Menus, bylines and footers are recognisable by their form (short, separators, dates, ICP numbers,
no sentence punctuation) in any site's wording; these features carry that across sites.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r" ")
_SENTENCE_END = re.compile(r"[。!?…;]")
_COMMA = re.compile(r"[,、]")
_FINAL = re.compile(r"(?:[。!?…]|[。!?][”’\"')\]]*)$")
_SEPARATOR = re.compile(r"[|>›»·/<«‹•\-_]")
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?")
_TIME = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b|\d{1,2}时\d{1,2}分")
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4})(?!\d)")
# Bounded repeats: an unbounded [\w.]+ before a literal backtracks quadratically on a long line.
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}")
_URL = re.compile(r"(?:https?://|www\.)\S{1,200}|\b[\w-]{1,63}\.(?:com|cn|net|org|gov|edu|cc|info|top|vip)\b", re.I)
_ICP = re.compile(r"icp[备证]|公网安备|许可证|备案号", re.I)
_BRACKET = re.compile(r"[【】\[\]]")
_QUOTE_OPEN = re.compile(r"^[“\"《「『(]")
_LIST_MARK = re.compile(r"^(?:\d{1,3}[.、)]|[·•*#>-]|\(\d+\)|[一二三四五六七八九十]+[、.])")
_COUNT_PAREN = re.compile(r"\(\d+\)\s*$")
_COLON = re.compile(r"[:]")

FEATURE_NAMES: tuple[str, ...] = (
    "log_len",
    "cjk_share",
    "latin_share",
    "digit_share",
    "punct_share",
    "space_share",
    "sentences",
    "sentences_per_100",
    "commas_per_100",
    "ends_final",
    "separators",
    "separator_share",
    "tokens",
    "mean_token_len",
    "dates",
    "times",
    "phones",
    "emails",
    "urls",
    "icp",
    "brackets",
    "starts_quote",
    "list_mark",
    "count_paren",
    "colons",
    "colon_early",
)


def shape_features(norms: Sequence[str]) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per normalised paragraph."""
    out = np.zeros((len(norms), len(FEATURE_NAMES)), dtype=np.float32)
    for row, t in enumerate(norms):
        n = len(t)
        if n == 0:
            continue
        inv = 1.0 / n
        sentences = len(_SENTENCE_END.findall(t))
        separators = len(_SEPARATOR.findall(t))
        tokens = t.count(" ") + 1
        colon = t.find(":")
        out[row] = (
            math.log1p(n),
            len(_CJK.findall(t)) * inv,
            len(_LATIN.findall(t)) * inv,
            len(_DIGIT.findall(t)) * inv,
            len(_PUNCT.findall(t)) * inv,
            len(_SPACE.findall(t)) * inv,
            min(sentences, 20),
            100.0 * sentences * inv,
            100.0 * len(_COMMA.findall(t)) * inv,
            1.0 if _FINAL.search(t) else 0.0,
            min(separators, 20),
            separators * inv,
            min(tokens, 30),
            n / tokens,
            len(_DATE.findall(t)),
            len(_TIME.findall(t)),
            len(_PHONE.findall(t)),
            len(_EMAIL.findall(t)),
            len(_URL.findall(t)),
            1.0 if _ICP.search(t) else 0.0,
            len(_BRACKET.findall(t)),
            1.0 if _QUOTE_OPEN.search(t) else 0.0,
            1.0 if _LIST_MARK.search(t) else 0.0,
            1.0 if _COUNT_PAREN.search(t) else 0.0,
            len(_COLON.findall(t)),
            1.0 if 0 <= colon <= 6 else 0.0,
        )
    return out
