"""Shape features of normalised paragraphs: what a line looks like, not what it says.

Menus, bylines and footers are recognisable by their form (short, separators, dates, ICP numbers,
no sentence punctuation) in any site's wording; these features carry that across sites.

Computed for a whole batch at once: each pattern runs once over the newline-joined paragraphs
(normalised text holds no newline and no white space but single spaces, so no match crosses
paragraphs) and matches are counted per paragraph; character classes come from code points.
"""

from __future__ import annotations


import re
from collections.abc import Sequence

import numpy as np

from .codepoints import CJK_RANGES, codepoints, in_ranges

# Single characters are counted from code points; patterns are for what spans characters.
_SENTENCE_END = "。!?…;"
_COMMA = ",、"
_FINAL = re.compile(r"(?:[。!?…]|[。!?][”’\"')\]]*)$", re.M)
_SEPARATOR = "|>›»·/<«‹•-_"
_DATE = re.compile(r"(?:19|20)\d\d *[-/.年] *\d{1,2}(?: *[-/.月] *\d{1,2})?")
_TIME = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b|\d{1,2}时\d{1,2}分")
# Every phone number has at least ten digits, every time a ":" or a "时", every URL a "." or a
# ":", every ICP cue a "备" or a "证": paragraphs without them are skipped (see ``matches``).
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4})(?!\d)")
# Bounded repeats: an unbounded [\w.]+ before a literal backtracks quadratically on a long line.
# Anchored at "@" (one look-behind character): scanning from every word character costs 4x.
_EMAIL = re.compile(r"(?<=[\w.+-])@[\w-]{1,63}\.[\w.]{1,63}")
_URL = re.compile(r"(?:https?://|www\.)[^ \n]{1,200}|\b[\w-]{1,63}\.(?:com|cn|net|org|gov|edu|cc|info|top|vip)\b", re.I)
_ICP = re.compile(r"icp[备证]|公网安备|许可证|备案号", re.I)
_BRACKET = "【】[]"
_QUOTE_OPEN = re.compile(r"^[“\"《「『(]", re.M)
_LIST_MARK = re.compile(r"^(?:\d{1,3}[.、)]|[·•*#>-]|\(\d+\)|[一二三四五六七八九十]+[、.])", re.M)
_COUNT_PAREN = re.compile(r"\(\d+\) *$", re.M)
_COLON_EARLY = re.compile(r"^[^\n:]{0,6}:", re.M)

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
    n = len(norms)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if not n:
        return out
    joined = "\n".join(norms)
    lens = np.fromiter((len(t) for t in norms), dtype=np.int64, count=n)
    starts = np.concatenate([[0], np.cumsum(lens + 1)[:-1]])
    cp = codepoints(joined)
    row_of = np.repeat(np.arange(n), lens + 1)[: len(cp)]

    def per_row(mask: np.ndarray) -> np.ndarray:
        return np.bincount(row_of[mask], minlength=n).astype(np.float32)

    def chars(chars: str) -> np.ndarray:
        return per_row(np.isin(cp, np.array([ord(c) for c in chars], dtype=np.uint32)))

    def matches(pattern: re.Pattern[str], only: np.ndarray | None = None) -> np.ndarray:
        """Matches per paragraph; ``only`` masks the paragraphs that can match at all (a
        pattern that needs a character skips every paragraph without one)."""
        if only is None:
            text, text_starts, rows = joined, starts, None
        else:
            rows = np.flatnonzero(only)
            text = "\n".join([norms[i] for i in rows.tolist()])
            text_starts = np.concatenate([[0], np.cumsum(lens[rows] + 1)[:-1]])
        pos = np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64)
        hit = np.searchsorted(text_starts, pos, side="right") - 1
        return np.bincount(hit if rows is None else rows[hit], minlength=n).astype(np.float32)

    inv = 1.0 / np.maximum(lens, 1)
    cjk = per_row(in_ranges(cp, CJK_RANGES))
    latin = per_row(in_ranges(cp, ((0x41, 0x5A), (0x61, 0x7A))))
    digit = per_row(in_ranges(cp, ((0x30, 0x39),)))
    space = per_row(cp == 0x20)
    # Punctuation and symbols: ASCII ones, general punctuation, CJK symbols, full-width forms.
    punct = per_row(
        in_ranges(cp, ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0xA1, 0xBF), (0x2000, 0x2BFF),
                       (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF5B, 0xFF65)))
        & (cp != 0x2028)
    )
    sentences = chars(_SENTENCE_END)
    separators = chars(_SEPARATOR)
    tokens = space + 1
    out[:, 0] = np.log1p(lens)
    out[:, 1] = cjk * inv
    out[:, 2] = latin * inv
    out[:, 3] = digit * inv
    out[:, 4] = punct * inv
    out[:, 5] = space * inv
    out[:, 6] = np.minimum(sentences, 20)
    out[:, 7] = 100.0 * sentences * inv
    out[:, 8] = 100.0 * chars(_COMMA) * inv
    out[:, 9] = matches(_FINAL) > 0
    out[:, 10] = np.minimum(separators, 20)
    out[:, 11] = separators * inv
    out[:, 12] = np.minimum(tokens, 30)
    out[:, 13] = lens / tokens
    out[:, 14] = matches(_DATE)
    out[:, 15] = matches(_TIME, chars(":时") > 0)
    out[:, 16] = matches(_PHONE, digit >= 10)
    out[:, 17] = matches(_EMAIL, chars("@") > 0)
    out[:, 18] = matches(_URL, chars(".:") > 0)
    out[:, 19] = matches(_ICP, chars("备证") > 0) > 0
    out[:, 20] = chars(_BRACKET)
    out[:, 21] = matches(_QUOTE_OPEN) > 0
    out[:, 22] = matches(_LIST_MARK) > 0
    out[:, 23] = matches(_COUNT_PAREN) > 0
    out[:, 24] = chars(":")
    out[:, 25] = matches(_COLON_EARLY) > 0
    out[lens == 0] = 0.0
    return out



