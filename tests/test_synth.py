"""Behaviour of the synthetic page generator, on an invented fixture corpus (no shared data needed)."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import opencc
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training import synth_pools as P  # noqa: E402
from training.synth import LABELS, inject_noise, load_corpora, spam_terms, synthesize  # noqa: E402
from training.synth_corpus import sentences, split_news_title  # noqa: E402
from training.synth_util import EDGE  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpora"
BREAKS = re.compile(r"[\r\n\u2028\u2029]")
# Characters that exist only in Simplified script and that OpenCC s2t always converts.
SIMPLIFIED_ONLY = set("们这个来时为说国会对经过动与当页将体关开从见实问学长门车东网闻评论")
TRADITIONAL_ONLY = set("們這個來時為說國會對經過動與當頁將體關開從見實問學長門車東網聞評論")


@pytest.fixture(scope="module")
def corpora():
    return load_corpora(FIXTURE)


@pytest.fixture(scope="module")
def train_docs(corpora):
    return synthesize(corpora, 240, seed=11, split="train")


@pytest.fixture(scope="module")
def test_docs(corpora):
    return synthesize(corpora, 160, seed=11, split="test")


def _texts(docs, labels=LABELS):
    return [p["text"] for d in docs for p in d["paragraphs"] if p["label"] in labels]


# --- loading and partitioning ------------------------------------------------------------------

def test_load_corpora_reads_every_genre_into_both_splits(corpora):
    genres = {"news", "encyclopedia", "law", "fiction", "review", "qa", "poetry", "classical", "technical"}
    for split in P.SPLITS:
        assert set(corpora.genres(split)) == genres
    news = corpora.docs["train"]["news"] + corpora.docs["test"]["news"]
    # THUCNews-style glued titles are recovered and the body is split into sentences.
    assert any(d.title and d.title.endswith("夜间公交线路") for d in news)
    assert all(len(d.paragraphs) > 3 for d in news)


def test_source_documents_are_partitioned_by_id_hash(corpora):
    train_ids = {d.id for docs in corpora.docs["train"].values() for d in docs}
    test_ids = {d.id for docs in corpora.docs["test"].values() for d in docs}
    assert train_ids and test_ids and not train_ids & test_ids
    for i in train_ids:
        assert P.split_of(i) == "train"
    for i in test_ids:
        assert P.split_of(i) == "test"
    all_ids = {json.loads(line)["id"] for f in FIXTURE.glob("*/*.jsonl") for line in f.open(encoding="utf-8")}
    assert train_ids | test_ids == all_ids


def test_spam_terms_are_partitioned(corpora):
    every = spam_terms(corpora)
    train, test = spam_terms(corpora, "train"), spam_terms(corpora, "test")
    assert set(every) == set(train) == set(test)
    assert "gambling" in every and "illegal_urls" in every
    for cat in every:
        assert not set(train[cat]) & set(test[cat])
        assert set(train[cat]) | set(test[cat]) == set(every[cat])
        assert all(P.split_of(t) == "test" for t in test[cat])
    assert sum(len(v) for v in test.values()) > 0
    with pytest.raises(ValueError):
        spam_terms(corpora, "dev")


def test_every_template_pool_has_disjoint_train_and_test_variants():
    pools = P.all_pools()
    assert len(pools) > 50
    train_strings: dict[str, str] = {}
    for name, pool in pools.items():
        tr, te = pool.of("train"), pool.of("test")
        assert tr and te, name
        if len(pool.items) >= 2:
            assert not set(map(repr, tr)) & set(map(repr, te)), name
        assert set(map(repr, tr)) | set(map(repr, te)) == set(map(repr, pool.items)), name
        for item in tr:
            if isinstance(item, str):
                train_strings[item] = name
    # A test-only wording must not be reachable through another pool's train half either.
    for name, pool in pools.items():
        for item in pool.of("test"):
            if isinstance(item, str) and len(pool.items) >= 2 and len(item) >= 4:
                assert item not in train_strings, (name, item, train_strings.get(item))


def test_news_title_splitting():
    assert split_news_title("某地开通夜间公交本报讯（记者 张三）昨日，某地开通") == ("某地开通夜间公交", "本报讯（记者 张三）昨日，某地开通")
    assert split_news_title("标题重复一遍标题重复一遍正文开始了。") == ("标题重复一遍", "正文开始了。")
    assert split_news_title("没有任何标记的一段文字，无法可靠地切出标题。")[0] is None
    assert sentences("第一句。第二句！“第三句？”尾巴") == ["第一句。", "第二句！", "“第三句？”", "尾巴"]


# --- output format -----------------------------------------------------------------------------

def test_documents_have_the_labelled_format(train_docs, test_docs):
    ids = set()
    for d in train_docs + test_docs:
        assert set(d) == {"id", "source", "site", "script", "genre", "paragraphs"}
        assert d["source"] == "synthetic"
        assert isinstance(d["site"], str) and d["site"]
        assert d["script"] in ("simplified", "traditional")
        assert isinstance(d["genre"], str) and d["genre"]
        assert d["id"] not in ids
        ids.add(d["id"])
        assert d["paragraphs"]
    # Nearly every page has an article; a rare one is template only (article loaded by script).
    empty = [d for d in train_docs + test_docs if not any(p["label"] == "content" for p in d["paragraphs"])]
    assert len(empty) <= 0.03 * len(train_docs + test_docs)
    assert all(any(p["label"] == "chrome" for p in d["paragraphs"]) for d in empty)
    for d in train_docs + test_docs:
        for p in d["paragraphs"]:
            assert set(p) == {"text", "label"}
            assert p["label"] in LABELS


def test_paragraphs_are_single_non_blank_lines(train_docs, test_docs):
    for d in train_docs + test_docs:
        for p in d["paragraphs"]:
            t = p["text"]
            assert isinstance(t, str) and t.strip(), d["id"]
            assert not BREAKS.search(t), (d["id"], t)
            assert t == t.strip(EDGE), (d["id"], t)  # what the segmenter sees is exactly this line


def test_every_label_occurs_in_a_batch(train_docs, test_docs):
    for docs in (train_docs, test_docs):
        labels = {p["label"] for d in docs for p in d["paragraphs"]}
        assert labels == set(LABELS)


def test_rates_and_variety(train_docs):
    n = len(train_docs)
    has = lambda d, lab: any(p["label"] == lab for p in d["paragraphs"])  # noqa: E731
    assert 0.25 <= sum(has(d, "spam") for d in train_docs) / n <= 0.55
    assert 0.2 <= sum(has(d, "off_topic") for d in train_docs) / n <= 0.5
    assert 0.2 <= sum(d["script"] == "traditional" for d in train_docs) / n <= 0.45
    assert any(not has(d, "chrome") for d in train_docs)  # bare pages
    assert any(sum(p["label"] == "chrome" for p in d["paragraphs"]) > 0.8 * len(d["paragraphs"]) for d in train_docs)
    assert any(sum(p["label"] == "content" for p in d["paragraphs"]) == 1 for d in train_docs)
    assert len({d["genre"] for d in train_docs}) >= 9
    assert len({d["site"] for d in train_docs}) > n // 3
    # Off-topic passages are long-ish prose.
    assert all(len(t) >= 20 for t in _texts(train_docs, ("off_topic",)))
    # Tutorials carry generated code lines as content.
    content = _texts(train_docs, ("content",))
    assert any(re.match(r"^(var|let|const) \w+ = ", t) for t in content)
    assert any(t == "}" for t in content)


def test_off_topic_sits_inside_or_right_after_the_article(train_docs):
    for d in train_docs:
        labels = [p["label"] for p in d["paragraphs"]]
        for i, lab in enumerate(labels):
            if lab != "off_topic":
                continue
            before = [x for x in labels[:i] if x not in ("off_topic", "spam")]
            assert "content" in before, d["id"]  # never above the article


# --- determinism -------------------------------------------------------------------------------

def test_same_arguments_give_identical_output(corpora):
    a = synthesize(corpora, 30, seed=5)
    b = synthesize(corpora, 30, seed=5)
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
    # Document i depends on (seed, split, i) only, not on how many are requested.
    assert json.dumps(synthesize(corpora, 10, seed=5), ensure_ascii=False) == json.dumps(a[:10], ensure_ascii=False)


def test_different_seed_or_split_gives_different_output(corpora):
    a = synthesize(corpora, 20, seed=5)
    assert json.dumps(a) != json.dumps(synthesize(corpora, 20, seed=6))
    t = synthesize(corpora, 20, seed=5, split="test")
    assert json.dumps(a) != json.dumps(t)
    assert all(d["site"].startswith("t-") for d in t) and all(d["site"].startswith("s-") for d in a)
    with pytest.raises(ValueError):
        synthesize(corpora, 1, seed=5, split="validation")


# --- held-out split ----------------------------------------------------------------------------

def _split_strings(corpora, split):
    out = set()
    for docs in corpora.docs[split].values():
        for d in docs:
            out.update(s for p in d.paragraphs for s in sentences(p) if len(s) >= 10)
            if d.title and len(d.title) >= 6:
                out.add(d.title)
    return out


def test_no_source_prose_leaks_across_splits(corpora, train_docs, test_docs):
    s2t = opencc.OpenCC("s2t")
    train_only = _split_strings(corpora, "train") - _split_strings(corpora, "test")
    test_only = _split_strings(corpora, "test") - _split_strings(corpora, "train")
    train_text = "\n".join(_texts(train_docs))
    test_text = "\n".join(_texts(test_docs))
    assert any(s in test_text or s2t.convert(s) in test_text for s in test_only)  # the check can fire
    for s in test_only:
        assert s not in train_text and s2t.convert(s) not in train_text, s
    for s in train_only:
        assert s not in test_text and s2t.convert(s) not in test_text, s


def test_no_spam_term_leaks_across_splits(corpora, train_docs, test_docs):
    train_terms = {t for ts in spam_terms(corpora, "train").values() for t in ts}
    test_terms = {t for ts in spam_terms(corpora, "test").values() for t in ts}

    def only(mine, other):  # terms that cannot show up as part of the other half's terms
        return {t for t in mine if len(t) >= 4 and not any(t in o or o in t for o in other)}

    train_spam = "\n".join(_texts(train_docs, ("spam",)))
    test_spam = "\n".join(_texts(test_docs, ("spam",)))
    assert any(t in test_spam for t in only(test_terms, train_terms))
    assert any(t in train_spam for t in only(train_terms, test_terms))
    all_train = "\n".join(_texts(train_docs))
    for t in only(test_terms, train_terms):
        assert t not in all_train, t
    for t in only(train_terms, test_terms):
        assert t not in test_spam, t


def test_test_only_template_wordings_never_appear_in_train_pages(train_docs, test_docs):
    train_lines = set(_texts(train_docs, ("chrome",)))
    test_lines = set(_texts(test_docs, ("chrome",)))
    s2t = opencc.OpenCC("s2t")
    for pool in (P.SLOGANS, P.RELATED_HEADINGS, P.TEMPLATE_ADS, P.NO_COMMENT_LINES, P.AD_HEADINGS):
        for item in pool.of("test"):
            assert item not in train_lines and s2t.convert(item) not in train_lines, item
    seen_test = {i for i in P.RELATED_HEADINGS.of("test") if i in test_lines or s2t.convert(i) in test_lines}
    assert seen_test  # and the test pages do use them
    prefixes = [t.split("{")[0][:12] for t in P.DISCLAIMERS.of("test") if len(t.split("{")[0]) >= 8]
    for line in train_lines:
        for pre in prefixes:
            assert not line.startswith(pre) and not line.startswith(s2t.convert(pre)), line


# --- script ------------------------------------------------------------------------------------

def test_traditional_documents_are_traditional(train_docs):
    trad = [d for d in train_docs if d["script"] == "traditional"]
    assert trad
    for d in trad:
        text = "".join(p["text"] for p in d["paragraphs"] if p["label"] != "spam")
        assert not SIMPLIFIED_ONLY & set(text), (d["id"], SIMPLIFIED_ONLY & set(text))
    assert all(TRADITIONAL_ONLY & set("".join(p["text"] for p in d["paragraphs"])) for d in trad if len(d["paragraphs"]) > 5)
    simp = [d for d in train_docs if d["script"] == "simplified"]
    assert any(SIMPLIFIED_ONLY & set(p["text"]) for d in simp for p in d["paragraphs"])


# --- inject_noise ------------------------------------------------------------------------------

REAL_PAGE = {
    "id": "page-1",
    "source": "example/repo:page.html",
    "site": "example.com",
    "script": "simplified",
    "paragraphs": [
        {"text": "首页 > 新闻 > 正文", "label": "chrome"},
        {"text": "某县新建一座社区图书馆", "label": "content"},
        {"text": "发布时间：2020-01-01 来源：某某日报", "label": "chrome"},
        {"text": "近日，某县新建的社区图书馆正式向居民开放，馆内藏书两万余册，设有儿童阅读区。", "label": "content"},
        {"text": "图书馆负责人介绍，开馆以来每天接待读者三百多人次，周末人数更多。", "label": "content"},
        {"text": "不少家长表示，孩子放学后有了好去处，希望以后能多举办读书活动。", "label": "content"},
        {"text": "责任编辑：张三", "label": "chrome"},
        {"text": "Copyright © 2020 某某网", "label": "chrome"},
    ],
}


def _strip_added(doc, original):
    return [p for p in doc["paragraphs"] if p not in original["paragraphs"] or p["label"] not in ("spam", "off_topic")]


def test_inject_noise_adds_spam_and_off_topic_and_keeps_the_page(corpora):
    page = copy.deepcopy(REAL_PAGE)
    out = inject_noise(page, corpora, seed=3)
    assert page == REAL_PAGE  # input untouched
    assert {k: v for k, v in out.items() if k != "paragraphs"} == {k: v for k, v in REAL_PAGE.items() if k != "paragraphs"}
    labels = [p["label"] for p in out["paragraphs"]]
    assert labels.count("spam") >= 1
    assert 1 <= labels.count("off_topic") <= 2
    original = [p for p in out["paragraphs"] if p["label"] not in ("spam", "off_topic")]
    assert original == REAL_PAGE["paragraphs"]  # every original paragraph, in order
    # Off-topic passages sit between two content paragraphs of the article body.
    for i, lab in enumerate(labels):
        if lab == "off_topic":
            prev = next(labels[j] for j in range(i - 1, -1, -1) if labels[j] not in ("spam", "off_topic"))
            nxt = next(labels[j] for j in range(i + 1, len(labels)) if labels[j] not in ("spam", "off_topic"))
            assert prev == nxt == "content"
            assert len(out["paragraphs"][i]["text"]) >= 20
    for p in out["paragraphs"]:
        assert p["text"].strip() and not BREAKS.search(p["text"])
    assert inject_noise(page, corpora, seed=3) == out
    assert any(inject_noise(page, corpora, seed=s) != out for s in range(4, 8))


def test_inject_noise_switches_and_short_pages(corpora):
    only_spam = inject_noise(REAL_PAGE, corpora, seed=1, off_topic=False)
    assert not any(p["label"] == "off_topic" for p in only_spam["paragraphs"])
    assert any(p["label"] == "spam" for p in only_spam["paragraphs"])
    only_off = inject_noise(REAL_PAGE, corpora, seed=1, spam=False)
    assert not any(p["label"] == "spam" for p in only_off["paragraphs"])
    assert any(p["label"] == "off_topic" for p in only_off["paragraphs"])
    short = {**REAL_PAGE, "paragraphs": [REAL_PAGE["paragraphs"][0], REAL_PAGE["paragraphs"][3], REAL_PAGE["paragraphs"][7]]}
    noisy = inject_noise(short, corpora, seed=2)
    assert not any(p["label"] == "off_topic" for p in noisy["paragraphs"])  # fewer than 2 content paragraphs
    assert [p for p in noisy["paragraphs"] if p["label"] != "spam"] == short["paragraphs"]


def test_inject_noise_uses_the_requested_split(corpora):
    test_terms = {t for ts in spam_terms(corpora, "test").values() for t in ts}
    train_terms = {t for ts in spam_terms(corpora, "train").values() for t in ts}
    train_only = {t for t in train_terms if len(t) >= 4 and not any(t in o or o in t for o in test_terms)}
    spam_text = "\n".join(p["text"] for s in range(40) for p in inject_noise(REAL_PAGE, corpora, seed=s)["paragraphs"] if p["label"] == "spam")
    assert not any(t in spam_text for t in train_only)
    trad = inject_noise({**REAL_PAGE, "script": "traditional"}, corpora, seed=9, spam=False)
    off = [p["text"] for p in trad["paragraphs"] if p["label"] == "off_topic"]
    assert off and not SIMPLIFIED_ONLY & set("".join(off))
