from hypothesis import given, settings
from hypothesis import strategies as st

from service.document import build_document
from service.normalize import normalize, normalize_many


def test_traditional_becomes_simplified_and_fullwidth_becomes_ascii():
    assert normalize("當前位置：首頁 ＞ 新聞中心") == "当前位置:首页 > 新闻中心"


def test_whitespace_including_ideographic_space_and_nbsp_collapses():
    assert normalize("時間:2019-04-01\u3000\u3000瀏覽量:128\xa0\xa0次") == "时间:2019-04-01 浏览量:128 次"


def test_zero_width_characters_that_hide_keywords_are_removed():
    assert normalize("毛\u200b片\ufeff") == "毛片"


def test_control_characters_become_spaces_and_never_split_a_batch():
    out = normalize_many(["a\x00b", "c\x1fd", "e\x85f"])
    assert out == ["a b", "c d", "e f"]


def test_features_see_the_normalised_copy_but_offsets_stay_original():
    doc = build_document("  【字體：　打印\n")
    (p,) = doc.paragraphs
    assert p.text == "【字體：　打印" and p.norm == "【字体: 打印"
    assert doc.text[p.start : p.end] == p.text


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet=" \t\n\x00\x0b\x1f\x85\xa0\u3000\u200b\u00ad\ud800ｆ臺a中", max_size=8), max_size=12))
def test_a_batch_normalises_each_paragraph_as_if_it_were_alone(texts):
    """Batch normalisation joins paragraphs with newlines: nothing may leak across them, and a
    stray newline inside a paragraph is white space like any other."""
    assert normalize_many(texts) == [normalize(t) for t in texts]
    assert all("\n" not in t and t == t.strip() for t in normalize_many(texts))
