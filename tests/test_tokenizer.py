"""Pin the tokenizer: an upgrade of jieba or rjieba that shifts features must fail loudly."""

import jieba
import rjieba

from service.text_vectors import cjk_words

PINNED = {
    "我来到北京清华大学": ["我", "来到", "北京", "清华大学"],
    "民政部加强基层基础工作综述": ["民政部", "加强", "基层", "基础", "工作", "综述"],
    "他来到了网易杭研大厦": ["他", "来到", "了", "网易", "杭研", "大厦"],
}


def test_jieba_segmentation_is_pinned():
    for sentence, words in PINNED.items():
        assert list(jieba.cut(sentence)) == words


def test_rjieba_agrees_with_jieba_on_the_cjk_runs_features_use(seed_texts):
    import re

    runs = [r for text in seed_texts.values() for r in re.findall(r"[\u4e00-\u9fff]{2,}", text)]
    assert len(runs) > 300
    disagree = [r for r in runs if rjieba.cut(r) != list(jieba.cut(r, HMM=True))]
    assert disagree == []


def test_topic_words_drop_single_characters_and_non_cjk():
    assert cjk_words("2019年 我来到北京清华大学 www.86hh.com") == ["来到", "北京", "清华大学"]
