import pickle

import numpy as np
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

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


def reference_row(lex: SpamLexicon, text: str) -> np.ndarray:
    """The plain definition, one paragraph at a time: every occurrence of every term in the skeleton,
    a hit aligned when both its ends fall on jieba word boundaries of the paragraph."""
    skel, index = skeleton(text)
    bounds, pos = {0}, 0
    for word in rjieba.cut(text.lower()):
        pos += len(word)
        bounds.add(pos)
    covered = np.zeros(len(skel), dtype=bool)
    aligned = inside = longest = 0
    distinct = set()
    cats = np.zeros(len(lex.categories_))
    for k, term in enumerate(lex.patterns_):
        at = skel.find(term)
        while at >= 0:
            stop = at + len(term)
            covered[at:stop] = True
            distinct.add(term)
            longest = max(longest, len(term))
            if index[at] in bounds and index[stop - 1] + 1 in bounds:
                aligned += 1
            else:
                inside += 1
            cats[list(lex.pattern_categories_[k])] += 1
            at = skel.find(term, at + 1)
    cover = covered.sum() / len(skel) if distinct else 0.0
    return np.array([aligned, inside, len(distinct), cover, longest, *np.log1p(cats)], dtype=np.float32)


OVERLAPPING = {"porn": ["毛片", "口交", "黄片", "交通事故"], "gambling": ["娱乐城", "城市"], "ads": ["ab1", "b1c"]}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="毛片口交黄娱乐城市路通事故在线 *·.ABab1c\u3000", max_size=30), min_size=1, max_size=8))
def test_batch_features_equal_the_plain_definition_row_by_row(texts):
    """One scan of the joined batch, with offsets shared between rows, gives each row exactly what
    the paragraph alone gives (overlapping and nested terms included)."""
    lex = SpamLexicon(OVERLAPPING).fit()
    got = lex.transform(texts)
    want = np.array([reference_row(lex, t) for t in texts])
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_the_pickled_lexicon_rebuilds_its_automaton():
    lex = SpamLexicon(TERMS).fit()
    blob = pickle.dumps(lex)
    assert b"ahocorasick" not in blob  # the Rust automaton is rebuilt, never stored
    again = pickle.loads(blob)
    texts = ["免费毛*片在线", "路口交通拥堵", "娱乐城"]
    np.testing.assert_array_equal(again.transform(texts), lex.transform(texts))
