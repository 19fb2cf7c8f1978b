"""The shipped model on real text: labels, offsets, options and hostile input."""

from __future__ import annotations

import json

import pytest

from service import LABELS
from tests.conftest import FIXTURES, SEEDS_DIR


def labels_of(cleaner, text):
    result = cleaner.clean(text)
    return result, [(text[p.start : p.end], p.label) for p in result.paragraphs]


def test_seed_002_loses_its_spam_header_and_site_chrome(cleaner, seed_texts):
    text = seed_texts["002"]
    result, labelled = labels_of(cleaner, text)
    def label(prefix: str) -> str:
        (found,) = [lab for t, lab in labelled if t.startswith(prefix)]
        return found

    assert labelled[0] == (text.splitlines()[0], "spam")
    assert label("當前位置:") == "chrome"  # the breadcrumb (its separators are NBSPs)
    assert label("時間:2019-04-01") == "chrome"
    assert label("【字體:") == "chrome"
    assert label("掃一掃在手機端打開當前頁") == "chrome"
    assert label("(來源:中國社會報2019.4.1)") == "chrome"
    assert "厚植新時代民政事業改革發展的根基" in result.text
    assert "日韩精品" not in result.text and "當前位置" not in result.text


def test_seed_001_off_topic_passages_are_removed(cleaner, seed_texts):
    result, labelled = labels_of(cleaner, seed_texts["001"])
    removed = {t[:6] for t, lab in labelled if lab == "off_topic"}
    assert "辽宁抚顺:表" in removed and "方玫突然动了" in removed
    assert "洪湖市集分蓄洪区" in result.text


def test_cleaned_text_is_the_kept_original_paragraphs(cleaner, seed_texts):
    text = seed_texts["004"]
    result = cleaner.clean(text)
    kept = [text[p.start : p.end] for p in result.paragraphs if p.kept]
    assert result.text == "\n".join(kept)
    starts = [p.start for p in result.paragraphs]
    assert starts == sorted(starts)
    for p in result.paragraphs:
        assert set(p.scores) == set(LABELS)
        assert abs(sum(p.scores.values()) - 1) < 1e-3
        assert p.label == max(p.scores, key=p.scores.get)
        assert p.first_pass in LABELS
        assert p.kept == (p.label == "content")


def test_a_body_printed_twice_is_kept_once(cleaner, seed_texts):
    # A mobile template's second copy of the article below the first (LABELS.md: a repeated copy is chrome).
    text = seed_texts["002"]
    once = cleaner.clean(text)
    body = [text[p.start : p.end] for p in once.paragraphs if p.kept and p.end - p.start >= 60]
    assert len(body) >= 3
    doubled = text + "\n" + "\n".join(body)
    result = cleaner.clean(doubled)
    for paragraph in body:
        assert result.text.count(paragraph) == 1
    copies = [p for p in result.paragraphs if p.start > len(text)]
    assert [p.label for p in copies] == ["chrome"] * len(body)
    assert all(p.kept for p in result.paragraphs if doubled[p.start : p.end] in body and p.start < len(text))


def test_keep_option_decides_which_labels_survive(cleaner, seed_texts):
    text = seed_texts["004"]
    everything = cleaner.clean(text, keep=LABELS)
    assert all(p.kept for p in everything.paragraphs)
    chrome_too = cleaner.clean(text, keep=("content", "chrome"))
    assert "苏ICP备18039698号-1" in chrome_too.text
    assert "苏ICP备18039698号-1" not in cleaner.clean(text).text


def test_unknown_keep_label_is_an_error(cleaner):
    with pytest.raises(ValueError, match="unknown label"):
        cleaner.clean("正文", keep=("content", "ads"))


def test_harmless_words_that_contain_spam_terms_stay(cleaner):
    text = "\n".join(
        [
            "三黄片是一种常见的中成药，常用于清热解毒，医生提醒服用三黄片前应仔细阅读说明书。",
            "药店同时销售一次性医用口罩，药品和医疗器械的性质不同，储存要求也不一样。",
            "药店位于市中心，早高峰时门前路口交通繁忙，顾客多在上午十点以后前来购药。",
        ]
    )
    result = cleaner.clean(text)
    assert [p.label for p in result.paragraphs] == ["content"] * 3


@pytest.mark.parametrize(
    "doc_id",
    [
        "tutorial_code",  # a miss of models 0.4.0-0.4.2 (the prose between code lines called off-topic)
        "digest_headlines",
        "forum_thread",
        "single_paragraph",
        "harmless_overlaps",
    ],
)
def test_hard_cases_keep_their_content_and_drop_their_chrome(cleaner, doc_id):
    docs = {d["id"]: d for d in map(json.loads, (FIXTURES / "hard_cases.jsonl").read_text("utf-8").splitlines())}
    doc = docs[doc_id]
    text = "\n".join(p["text"] for p in doc["paragraphs"])
    result = cleaner.clean(text)
    true = [p["label"] for p in doc["paragraphs"]]
    pred = [p.label for p in result.paragraphs]
    content_chars = sum(len(p["text"]) for p in doc["paragraphs"] if p["label"] == "content")
    kept_chars = sum(len(p["text"]) for p, r in zip(doc["paragraphs"], result.paragraphs) if p["label"] == "content" and r.kept)
    junk_chars = sum(len(p["text"]) for p in doc["paragraphs"] if p["label"] != "content")
    junk_removed = sum(len(p["text"]) for p, r in zip(doc["paragraphs"], result.paragraphs) if p["label"] != "content" and not r.kept)
    assert kept_chars / content_chars >= 0.9, list(zip(true, pred))
    if junk_chars:
        assert junk_removed / junk_chars >= 0.6, list(zip(true, pred))


# Cases earlier models missed. A miss of the shipped model is kept as a strict expected failure
# (the README lists it), so that the model that fixes it fails the test and the marker goes.
def test_one_paragraph_page_drops_all_its_chrome(cleaner):
    """A nav item and the contact footer score ~0.5-0.7 content on their own; the document-level
    decision (a switch costs :data:`~service.settings.SWITCH_COST`) removes them with their runs
    and keeps the lone paragraph of prose."""
    doc = next(d for d in map(json.loads, (FIXTURES / "hard_cases.jsonl").read_text("utf-8").splitlines()) if d["id"] == "single_paragraph")
    result = cleaner.clean("\n".join(p["text"] for p in doc["paragraphs"]))
    assert [p.label for p in result.paragraphs] == [p["label"] for p in doc["paragraphs"]]


def test_forum_replies_are_all_chrome(cleaner):
    """A short reply right after the first reply's header reads like the post on its own; it
    follows the run of replies it sits in."""
    doc = next(d for d in map(json.loads, (FIXTURES / "hard_cases.jsonl").read_text("utf-8").splitlines()) if d["id"] == "forum_thread")
    result = cleaner.clean("\n".join(p["text"] for p in doc["paragraphs"]))
    assert [p.label for p in result.paragraphs] == [p["label"] for p in doc["paragraphs"]]


# -- hostile and odd input: always labelled, never a crash ---------------------------------------


def test_empty_and_blank_text_give_an_empty_result(cleaner):
    for text in ("", "\n\n", " \u3000\r\n\t"):
        result = cleaner.clean(text)
        assert result.text == "" and result.paragraphs == []


@pytest.mark.parametrize(
    "text",
    [
        "没有换行的一段文字，" * 50,
        "a\x00b\x01c\x7f 控制字符\x1b[31m 红色",
        "今天天气真好😀🎉👍，我们去公园玩吧！",
        "This page is written entirely in English, with no Chinese at all.",
        "混合 scripts: 中文、English、日本語のテキスト、한국어 and 繁體字。",
        "\ud800 lone surrogate 孤立代理",
        "\ue5e5\ue5e5",
    ],
)
def test_odd_input_is_labelled(cleaner, text):
    result = cleaner.clean(text)
    assert len(result.paragraphs) >= 1
    for p in result.paragraphs:
        assert p.label in LABELS and 0 <= p.start < p.end <= len(text)


def test_a_five_megabyte_single_line_is_labelled(cleaner):
    text = "这是一段很长的没有换行的文字，用来测试极端输入。" * (5 * 1024 * 1024 // 75)
    result = cleaner.clean(text)
    assert len(result.paragraphs) == 1 and result.paragraphs[0].end == len(text)


def test_batch_results_equal_one_by_one_results(cleaner, seed_texts):
    texts = list(seed_texts.values()) + ["", "短"]
    batched = cleaner.clean_many(texts, ids=list(range(len(texts))))
    for i, text in enumerate(texts):
        single = cleaner.clean(text)
        assert batched[i].id == i
        assert [p.label for p in batched[i].paragraphs] == [p.label for p in single.paragraphs]


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_giant_keyword_block_changes_no_other_verdict(cleaner, where):
    """Real pages hide 100,000-character keyword blocks before or after the article (one dev-set
    page has 174,000 characters in one line). It must go, and every other line must keep the
    verdict it has without it: document-level measures in characters cap a line's length."""
    doc = next(json.loads(line) for line in (SEEDS_DIR / "labelled.jsonl").open(encoding="utf-8") if '"002_' in line)
    texts = [p["text"] for p in doc["paragraphs"]]
    spam = next(p["text"] for p in doc["paragraphs"] if p["label"] == "spam")
    giant = " ".join([spam] * (100_000 // len(spam) + 1))
    plain = [p.kept for p in cleaner.clean("\n".join(texts)).paragraphs]
    lines = [giant, *texts] if where == "first" else [*texts, giant]
    result = cleaner.clean("\n".join(lines)).paragraphs
    block = result[0] if where == "first" else result[-1]
    rest = result[1:] if where == "first" else result[:-1]
    assert not block.kept and block.label in ("spam", "chrome")
    assert [p.kept for p in rest] == plain
    assert plain == [p["label"] == "content" for p in doc["paragraphs"]]


def test_scores_are_the_final_probabilities_rounded_to_four_places(cleaner, seed_texts):
    from service.document import build_document

    text = seed_texts["002"]
    result = cleaner.clean(text)
    (final, first), = cleaner.model.classifier.predict_proba_docs([build_document(text)])
    assert len(result.paragraphs) == len(final)
    for p, row, first_row in zip(result.paragraphs, final.tolist(), first):
        assert p.scores == {label: round(float(s), 4) for label, s in zip(LABELS, row)}
        assert p.first_pass == LABELS[int(first_row.argmax())]
