from service.document import build_document
from service.segment import segment


def spans_text(text: str) -> list[str]:
    return [text[s:e] for s, e in segment(text)]


def test_every_line_terminator_of_the_spec_splits():
    text = "一\n二\r\n三\r四\u2028五\u2029六"
    assert spans_text(text) == ["一", "二", "三", "四", "五", "六"]


def test_other_control_characters_do_not_split():
    # str.splitlines() would split at \v, \f, \x1c and \x85; the spec does not.
    text = "甲\x0b乙\x0c丙\x1c丁\x85戊"
    assert spans_text(text) == [text]


def test_blank_and_whitespace_only_lines_are_not_paragraphs():
    text = "\n\n  \u3000\t\n\u200b\n正文\n\xa0\n"
    assert spans_text(text) == ["正文"]


def test_offsets_index_the_original_text_without_edge_whitespace():
    text = "\u3000\u3000本报记者 周 亮  \r\n  如果说抓基层"
    (s1, e1), (s2, e2) = segment(text)
    assert text[s1:e1] == "本报记者 周 亮"
    assert text[s2:e2] == "如果说抓基层"
    assert s1 == 2 and s2 == text.index("如")


def test_empty_text_has_no_paragraphs():
    assert segment("") == []
    assert build_document("").paragraphs == []


def test_a_single_five_megabyte_line_is_one_paragraph():
    text = "内容" * (5 * 1024 * 1024 // 6)
    assert segment(text) == [(0, len(text))]
