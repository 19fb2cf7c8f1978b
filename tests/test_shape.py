"""The batch-vectorised shape features equal their plain definitions, one paragraph at a time.

``shape_features`` counts characters through a code-point class table, skips paragraphs that
cannot match a pattern, and rewrites some patterns so the regex engine can skip ahead; the plain
definitions below are the readable forms the model was first trained on.
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from service.document import build_documents
from service.shape import FEATURE_NAMES, shape_features

_PUNCT = ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0xA1, 0xBF), (0x2000, 0x2BFF),
          (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF5B, 0xFF65))
_PATTERNS = {
    "ends_final": re.compile(r"(?:[。!?…]|[。!?][”’\"')\]]*)$"),
    "dates": re.compile(r"(?:19|20)\d\d *[-/.年] *\d{1,2}(?: *[-/.月] *\d{1,2})?"),
    "times": re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\b|\d{1,2}时\d{1,2}分"),
    "phones": re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4})(?!\d)"),
    "emails": re.compile(r"(?<=[\w.+-])@[\w-]{1,63}\.[\w.]{1,63}"),
    "urls": re.compile(r"(?:https?://|www\.)[^ \n]{1,200}|\b[\w-]{1,63}\.(?:com|cn|net|org|gov|edu|cc|info|top|vip)\b", re.I),
    "icp": re.compile(r"icp[备证]|公网安备|许可证|备案号", re.I),
    "starts_quote": re.compile(r"^[“\"《「『(]"),
    "list_mark": re.compile(r"^(?:\d{1,3}[.、)]|[·•*#>-]|\(\d+\)|[一二三四五六七八九十]+[、.])"),
    "count_paren": re.compile(r"\(\d+\) *$"),
    "colon_early": re.compile(r"^[^\n:]{0,6}:"),
}
_PRESENCE = {"ends_final", "icp", "starts_quote", "list_mark", "count_paren", "colon_early"}


def plain_shape(text: str) -> dict[str, float]:
    """One paragraph's shape features, straight from their definitions."""
    if not text:
        return dict.fromkeys(FEATURE_NAMES, 0.0)
    n = len(text)
    in_ = lambda ranges: sum(any(lo <= ord(c) <= hi for lo, hi in ranges) for c in text)  # noqa: E731
    of = lambda chars: sum(c in chars for c in text)  # noqa: E731
    cjk = in_(((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)))
    latin = in_(((0x41, 0x5A), (0x61, 0x7A)))
    digit = in_(((0x30, 0x39),))
    space = text.count(" ")
    punct = in_(_PUNCT) - text.count("\u2028")
    sentences = of("。!?…;")
    separators = of("|>›»·/<«‹•-_")
    f = {
        "log_len": np.log1p(n),
        "cjk_share": cjk / n,
        "latin_share": latin / n,
        "digit_share": digit / n,
        "punct_share": punct / n,
        "space_share": space / n,
        "sentences": min(sentences, 20),
        "sentences_per_100": 100.0 * sentences / n,
        "commas_per_100": 100.0 * of(",、") / n,
        "separators": min(separators, 20),
        "separator_share": separators / n,
        "tokens": min(space + 1, 30),
        "mean_token_len": n / (space + 1),
        "brackets": of("【】[]"),
        "colons": of(":"),
    }
    for name, pattern in _PATTERNS.items():
        hits = len(pattern.findall(text))
        f[name] = float(hits > 0) if name in _PRESENCE else hits
    return f


def assert_plain(norms: list[str]) -> None:
    fast = shape_features(norms)
    for i, text in enumerate(norms):
        plain = plain_shape(text)
        expected = np.array([plain[name] for name in FEATURE_NAMES], dtype=np.float32)
        np.testing.assert_array_equal(fast[i], expected, err_msg=repr(text))


def test_shape_features_of_the_seeds_equal_their_plain_definitions(seed_texts):
    norms = [p.norm for doc in build_documents(list(seed_texts.values())) for p in doc.paragraphs]
    assert_plain(norms)


def test_shape_features_cover_the_patterns_they_define():
    norms = [
        "联系电话:13912345678 或 010-12345678,400-123-4567",
        "发布时间:2019-08-01 10:30:05 来源:新华网 浏览次数:(123)",
        "京ICP备12345678号 京公网安备 11010502030143号 网络文化经营许可证",
        "“你好。”他说。",
        "1. 第一条",
        "三、总则",
        "邮箱:abc@example.com 网址:https://www.gov.cn/a.html news.sina.com.cn",
        "8时30分开会",
    ]
    fast = dict(zip(FEATURE_NAMES, shape_features(norms).T))
    assert list(fast["phones"][:1]) == [3] and fast["dates"][1] == 1 and fast["times"][1] == 1
    assert fast["icp"][2] == 1 and fast["ends_final"][3] == 1 and fast["starts_quote"][3] == 1
    assert list(fast["list_mark"][4:6]) == [1, 1] and fast["emails"][6] == 1 and fast["urls"][6] == 3
    assert fast["times"][7] == 1 and fast["count_paren"][1] == 1 and fast["colon_early"][0] == 1
    assert_plain(norms)


# Pieces of what the patterns match and of what sits at their edges (a non-ASCII digit, a dotless
# capital I, characters outside the BMP), joined at random: boundaries are where rewrites go wrong.
_PIECES = [
    "12:30", "8时30分", ":05", "2019-08-01", "2020年3月", "13912345678", "010-12345678", "400-123-4567",
    "0", "1", "4", "7", "-", ":", " ", ".", "/", "@", "x@y.cn", "www.", "http://", ".cn", ".com", "cc", "a", "I",
    "icp备", "ICP证", "公网安备", "许可证", "备案号", "备", "证", "(12)", "(", ")", "“", "\"", "《", "。", "!", "?",
    "…", "”", "’", "]", "一", "三、", "十", "·", "•", "*", "#", ">", "|", "【", "】", ",", "、", "天", "时", "分",
    "\u2028", "١", "İ", "😀", "\U00020000",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), min_size=1, max_size=8))
def test_shape_features_of_any_batch_equal_their_plain_definitions(norms):
    assert_plain(norms)
