import numpy as np

from service.lexicon import SpamLexicon, skeleton

TERMS = {"porn": ["毛片", "口交", "黄片"], "gambling": ["娱乐城"]}


def features(texts):
    lex = SpamLexicon(TERMS).fit()
    return dict(zip(lex.feature_names(), np.asarray(lex.transform(texts)).T))


def test_skeleton_drops_inserted_symbols_and_maps_back():
    skel, index = skeleton("毛*片 A.片")
    assert skel == "毛片a片"
    assert [index[i] for i in range(len(skel))] == [0, 2, 4, 6]


def test_keywords_split_by_symbols_are_still_found():
    f = features(["免费毛*片在线", "毛·片", "正常的句子"])
    assert list(f["lex_distinct"]) == [1, 1, 0]


def test_term_inside_ordinary_words_is_counted_apart_from_whole_word_hits():
    f = features(["路口交通拥堵", "在线口交视频"])
    # 口交 inside 路口|交通 straddles a word boundary; in the spam line it is a word of its own.
    assert f["lex_hits_inside"][0] == 1 and f["lex_hits_aligned"][0] == 0
    assert f["lex_hits_aligned"][1] == 1


def test_categories_and_coverage():
    f = features(["娱乐城,毛片,娱乐城"])
    assert f["lex_cat_gambling"][0] > 0 and f["lex_cat_porn"][0] > 0
    assert 0.5 < f["lex_cover"][0] <= 1.0


def test_empty_lexicon_gives_zero_features():
    lex = SpamLexicon({}).fit()
    assert not lex.transform(["毛片"]).any()
