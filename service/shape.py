"""Shape features of normalised paragraphs: what a line looks like, not what it says.

Menus, bylines and footers are recognisable by their form (short, separators, dates, ICP numbers,
no sentence punctuation) in any site's wording; these features carry that across sites.

Computed for a whole batch at once: each pattern runs once over the newline-joined paragraphs that
can hold a match (normalised text holds no newline and no white space but single spaces, so no
match crosses paragraphs) and matches are counted per paragraph; character classes come from one
table lookup per code point. ``tests/test_shape.py`` pins every feature to its plain definition.
"""

from __future__ import annotations


import re
from collections.abc import Sequence

import numpy as np

from .codepoints import (
    CJK_RANGES, chars_to_ranges, class_table, classes_of, codepoints, line_of, line_starts, match_lines,
)

# Single characters are counted from code points; patterns are for what spans characters.
_SENTENCE_END = "。!?…;"
_COMMA = ",、"
# A paragraph ends a sentence when it ends on 。!?…, or on 。!? and closing quotes (``_ends_final``).
_SEPARATOR = "|>›»·/<«‹•-_"
_DATE = re.compile(r"(?:19|20)\d\d *[-/.年] *\d{1,2}(?: *[-/.月] *\d{1,2})?")
# The look-behind after the first digit is "\b" before it: a pattern that starts with a digit class
# lets the regex engine skip ahead to the next digit, one that starts with "\b" tries every position.
_TIME = re.compile(r"\d(?<!\w\d)\d?:\d\d(?::\d\d)?\b|\d\d?时\d\d?分")
# Every phone number has at least ten digits, every date two, every time a ":" or a "时", every URL
# a "." or a ":" and two Latin letters, every ICP cue a "备" or a "证", every list mark a first
# character that is not a letter or a non-numeral ideograph: paragraphs without them are skipped
# (see ``matches``).
_PHONE = re.compile(r"[014](?<!\d[014])(?:(?<=1)[3-9]\d{9}|(?<=0)\d{2,3}-?\d{7,8}|(?<=4)00-?\d{3}-?\d{4})(?!\d)")
# Bounded repeats: an unbounded [\w.]+ before a literal backtracks quadratically on a long line.
# Anchored at "@" (one look-behind character): scanning from every word character costs 4x.
_EMAIL = re.compile(r"(?<=[\w.+-])@[\w-]{1,63}\.[\w.]{1,63}")
_URL = re.compile(r"(?:https?://|www\.)[^ \n]{1,200}|\b[\w-]{1,63}\.(?:com|cn|net|org|gov|edu|cc|info|top|vip)\b", re.I)
# icp备/icp证, 公网安备, 许可证, 备案号, each found from its 备 or 证 (rare characters the engine skips to).
_ICP = re.compile(r"[备证](?:(?<=icp[备证])|(?<=公网安备)|(?<=许可证)|(?<=备)(?=案号))", re.I)
_BRACKET = "【】[]"
_LIST_MARK = re.compile(r"^(?:\d{1,3}[.、)]|[·•*#>-]|\(\d+\)|[一二三四五六七八九十]+[、.])", re.M)
_COUNT_PAREN = re.compile(r"\(\d+\) *$", re.M)

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


_LATIN = ((0x41, 0x5A), (0x61, 0x7A))
_CLOSERS = "”’\"')]"
# Bits of the code-point class table: one lookup per character replaces a pass per class.
_CLASSES: dict[str, tuple[tuple[int, int], ...]] = {
    "cjk": CJK_RANGES,
    "latin": _LATIN,
    "digit": ((0x30, 0x39),),
    "space": ((0x20, 0x20),),
    # Punctuation and symbols: ASCII ones, general punctuation (but U+2028), CJK symbols, full-width forms.
    "punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0xA1, 0xBF), (0x2000, 0x2027), (0x2029, 0x2BFF),
              (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF5B, 0xFF65)),
    "sentence_end": chars_to_ranges(_SENTENCE_END),
    "comma": chars_to_ranges(_COMMA),
    "separator": chars_to_ranges(_SEPARATOR),
    "bracket": chars_to_ranges(_BRACKET),
    "colon": chars_to_ranges(":"),
    "time_cue": chars_to_ranges(":时"),
    "at": chars_to_ranges("@"),
    "url_cue": chars_to_ranges(".:"),
    "icp_cue": chars_to_ranges("备证"),
    "close_paren": chars_to_ranges(")"),
    "final": chars_to_ranges("。!?…"),
    "closer": chars_to_ranges(_CLOSERS),
    "quote_open": chars_to_ranges("“\"《「『("),
    # A list mark cannot start with an ideograph other than a numeral, nor with a Latin letter.
    "not_list_start": (*_LATIN, *CJK_RANGES),
    "numeral": chars_to_ranges("一二三四五六七八九十"),
}
_BIT = {name: np.uint32(1 << i) for i, name in enumerate(_CLASSES)}
_TABLE = class_table(list(_CLASSES.values()))


def shape_features(norms: Sequence[str]) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per normalised paragraph."""
    n = len(norms)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if not n:
        return out
    joined = "\n".join(norms)
    lens = np.fromiter((len(t) for t in norms), dtype=np.int64, count=n)
    starts = line_starts(lens)
    cp = codepoints(joined)
    cls = classes_of(cp, _TABLE)
    nonempty = lens > 0
    # One empty class past the end: an empty last paragraph starts there, and every paragraph's
    # slice [start, next start) is non-empty (its newline, or this), as reduceat needs.
    padded = np.append(cls, np.uint32(0))
    first = np.where(nonempty, padded[starts], 0)
    last = np.where(nonempty, padded[starts + lens - 1], 0)

    def count(name: str) -> np.ndarray:
        return np.add.reduceat((padded & _BIT[name]) != 0, starts, dtype=np.int32).astype(np.float32)

    def matches(pattern: re.Pattern[str], only: np.ndarray) -> np.ndarray:
        """Matches per paragraph, searched only in the paragraphs ``only`` marks: those that hold
        what every match needs (a time a ":" or a "时", a phone number ten digits, ...)."""
        rows = np.flatnonzero(only)
        text = "\n".join([norms[i] for i in rows.tolist()])
        hit = match_lines(pattern, text, line_starts(lens[rows]))
        return np.bincount(rows[hit], minlength=n).astype(np.float32)

    inv = 1.0 / np.maximum(lens, 1)
    latin = count("latin")
    digit = count("digit")
    space = count("space")
    sentences = count("sentence_end")
    separators = count("separator")
    tokens = space + 1
    out[:, 0] = np.log1p(lens)
    out[:, 1] = count("cjk") * inv
    out[:, 2] = latin * inv
    out[:, 3] = digit * inv
    out[:, 4] = count("punct") * inv
    out[:, 5] = space * inv
    out[:, 6] = np.minimum(sentences, 20)
    out[:, 7] = 100.0 * sentences * inv
    out[:, 8] = 100.0 * count("comma") * inv
    out[:, 9] = _ends_final(norms, last)
    out[:, 10] = np.minimum(separators, 20)
    out[:, 11] = separators * inv
    out[:, 12] = np.minimum(tokens, 30)
    out[:, 13] = lens / tokens
    out[:, 14] = matches(_DATE, digit >= 2)
    out[:, 15] = matches(_TIME, count("time_cue") > 0)
    out[:, 16] = matches(_PHONE, digit >= 10)
    out[:, 17] = matches(_EMAIL, count("at") > 0)
    out[:, 18] = matches(_URL, (count("url_cue") > 0) & (latin >= 2))
    out[:, 19] = matches(_ICP, count("icp_cue") > 0) > 0
    out[:, 20] = count("bracket")
    out[:, 21] = (first & _BIT["quote_open"]) != 0
    list_start = ((first & _BIT["not_list_start"]) == 0) | ((first & _BIT["numeral"]) != 0)
    out[:, 22] = matches(_LIST_MARK, nonempty & list_start) > 0
    out[:, 23] = matches(_COUNT_PAREN, count("close_paren") > 0) > 0
    out[:, 24] = count("colon")
    colon = np.flatnonzero(cls & _BIT["colon"])
    colon_row = line_of(starts, colon)
    out[:, 25] = np.bincount(colon_row[colon - starts[colon_row] <= 6], minlength=n) > 0
    out[lens == 0] = 0.0
    return out


def _ends_final(norms: Sequence[str], last: np.ndarray) -> np.ndarray:
    """Whether a paragraph ends a sentence: on 。!?…, or on 。!? followed by closing quotes."""
    final = (last & _BIT["final"]) != 0
    for i in np.flatnonzero((last & _BIT["closer"]) != 0).tolist():
        final[i] = norms[i].rstrip(_CLOSERS)[-1:] in ("。", "!", "?")
    return final
