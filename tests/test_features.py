"""The batch-vectorised features equal their plain definitions, computed one paragraph at a time.

The fast forms (document-private columns, Gram-matrix diagonals, one jieba call per batch, the
stage-1 decision function without stacking) are rewrites for speed; these tests pin them to the
definitions the model was trained on.
"""

from __future__ import annotations

import pickle
import re
import zlib

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from service.context import LOCAL_RADIUS, TOPIC_NAMES, batch_context, context_feature_names, topic_features
from service.document import build_documents
from service.model import _linear_proba, _weights
from service.settings import LABELS
from service.text_vectors import char_ngram_counts, cjk_words, count_matrix, word_counts


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    denom = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / denom) if denom > 1e-9 else 0.0


@pytest.fixture(scope="module")
def batch(cleaner, seed_texts):
    """Three seed documents and a one-paragraph one, as the classifier sees them."""
    docs = build_documents([seed_texts["001"], seed_texts["002"], seed_texts["004"], "只有一段文字的页面。"])
    norms = [p.norm for d in docs for p in d.paragraphs]
    clf = cleaner.model.classifier
    return docs, norms, clf


def test_topic_fit_is_the_cosine_to_the_rest_of_the_document(batch):
    docs, norms, clf = batch
    sizes = [len(d.paragraphs) for d in docs]
    T = clf.topics_.transform(norms)
    G = clf.ngrams_.transform(norms)
    rng = np.random.default_rng(0)
    w_doc = rng.uniform(0.0, 5.0, len(norms))
    w_seg = w_doc * (rng.uniform(size=len(norms)) > 0.5)
    lengths = np.array([len(t) for t in norms], dtype=np.float32)
    got = topic_features(T, G, sizes, w_doc, w_seg, lengths)
    col = {name: i for i, name in enumerate(TOPIC_NAMES)}

    Td, Gd = T.toarray().astype(np.float64), G.toarray().astype(np.float64)
    start = 0
    for size in sizes:
        rows = range(start, start + size)
        for i in rows:
            others = [j for j in rows if j != i]
            window = [j for j in others if abs(j - i) <= LOCAL_RADIUS]
            for name, X, w in (("topic_doc", Td, w_doc), ("topic_seg", Td, w_seg), ("gram_doc", Gd, w_doc), ("gram_seg", Gd, w_seg)):
                centroid = sum((w[j] * X[j] for j in others), np.zeros(X.shape[1]))
                assert got[i, col[name]] == pytest.approx(_cos(X[i], centroid), abs=1e-4), (name, i)
            for name, X in (("topic_local", Td), ("gram_local", Gd)):
                local = sum((X[j] for j in window), np.zeros(X.shape[1]))
                assert got[i, col[name]] == pytest.approx(_cos(X[i], local), abs=1e-4), (name, i)
            prev = Td[i] @ Td[i - 1] if i > start else -1.0
            nxt = Td[i] @ Td[i + 1] if i + 1 < start + size else -1.0
            assert got[i, col["topic_prev"]] == pytest.approx(prev, abs=1e-5)
            assert got[i, col["topic_next"]] == pytest.approx(nxt, abs=1e-5)
        start += size
    assert got[-1, col["topic_doc"]] == pytest.approx(0.0, abs=1e-6) and got[-1, col["topic_prev"]] == -1.0  # a lone paragraph


def test_word_counts_count_each_paragraphs_own_jieba_words(batch):
    _, norms, _ = batch
    texts = [*norms, "", "abc 123", "中", "数据\u3000清洗"]
    n_features = 2**12
    got = word_counts(texts, n_features).toarray()
    for i, text in enumerate(texts):
        expected = np.zeros(n_features)
        for word in cjk_words(text):
            expected[zlib.crc32(word.encode("utf-8")) % n_features] += 1
        np.testing.assert_array_equal(got[i], expected, err_msg=text)


def _plain_ngram_column(gram: str, n_features: int) -> int:
    """The n-gram hash of :func:`char_ngram_counts` in Python integers, modulo 2**64."""
    mask = 2**64 - 1
    h = (ord(gram[0]) + len(gram) * 1_000_003) & mask
    for ch in gram[1:]:
        h = (h * 1_000_003 + ord(ch)) & mask
    h = (h * 0x9E3779B97F4A7C15) & mask
    return (h ^ (h >> 29)) % n_features


@pytest.mark.parametrize("n_features", [2**12, 1009, 2**30])  # a mask, a modulo, 64-bit keys
def test_char_ngram_counts_count_each_paragraphs_own_hashed_ngrams(batch, n_features):
    _, norms, _ = batch
    texts = [*norms[:40], "", "a", "Ab", "中", "数据\u3000清洗😀"]
    got = char_ngram_counts(texts, n_features, (1, 3))
    assert got.has_canonical_format
    for i, text in enumerate(texts):
        expected: dict[int, float] = {}
        lowered = text.lower()
        for n in (1, 2, 3):
            for k in range(len(lowered) - n + 1):
                col = _plain_ngram_column(lowered[k : k + n], n_features)
                expected[col] = expected.get(col, 0.0) + 1.0
        row = got[i]
        assert dict(zip(row.indices.tolist(), row.data.tolist())) == expected, text


def test_count_matrix_equals_scipys_coo_to_csr():
    rng = np.random.default_rng(0)
    for n_rows, n_features, dtype in ((50, 2**10, np.uint32), (7, 1000, np.uint64), (0, 16, np.uint32)):
        rows = rng.integers(0, max(n_rows, 1), 3000) if n_rows else np.zeros(0, dtype=np.int64)
        cols = rng.integers(0, n_features, len(rows)) // 7  # duplicates
        got = count_matrix((rows * n_features + cols).astype(dtype), n_rows, n_features)
        reference = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_rows, n_features))
        reference.sum_duplicates()
        np.testing.assert_array_equal(got.indptr, reference.indptr)
        np.testing.assert_array_equal(got.indices, reference.indices)
        np.testing.assert_array_equal(got.data, reference.data)


_PLAIN_COMMENT_CUE = re.compile(
    r"^(?:# *)?re:|评论|留言|回复|跟帖|网友|楼主|沙发|板凳|地板|^\d+ *楼|发表于|引用|说:$|写道|顶一下|回帖", re.I
)
_CUE_PIECES = ["评论", "留言", "回复", "回帖", "跟帖", "网友", "楼主", "沙发", "板凳", "地板", "发表于", "引用", "说:",
               "写道", "顶一下", "re:", "RE:", "# ", "3", "2 楼", "12楼", "١", " 楼", "楼", "评", "回", "说", "发表", ":", "天", " "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_CUE_PIECES), max_size=6).map("".join), min_size=1, max_size=8))
def test_comment_cues_are_the_lines_that_match_their_plain_pattern(norms):
    n = len(norms)
    lengths = np.array([len(t) for t in norms], dtype=np.float32)
    probs = np.full((n, len(LABELS)), 1.0 / len(LABELS), dtype=np.float32)
    context, _ = batch_context(probs, lengths, norms, [n])
    cue = context[:, context_feature_names(len(LABELS)).index("cue_self")]
    assert cue.tolist() == [float(_PLAIN_COMMENT_CUE.search(t) is not None) for t in norms]


def test_first_pass_probabilities_equal_the_linear_models_own(batch):
    _, norms, clf = batch
    own = clf._own(norms)
    grams = clf.ngrams_.transform(norms)
    fast = _linear_proba(clf.stage1_, _weights(clf.stage1_), grams, clf._scaled(own))
    reference = clf.stage1_.predict_proba(clf._stage1_matrix(grams, own))
    np.testing.assert_allclose(fast, reference, atol=1e-3)  # scikit-learn sums in float32, this in float64
    assert np.allclose(fast.sum(axis=1), 1.0)


def test_the_serving_cache_is_never_persisted(batch):
    docs, _, clf = batch
    clf.predict_proba_docs(docs)
    assert "_stage1_weights_cache" in clf.__dict__
    restored = pickle.loads(pickle.dumps(clf))
    assert "_stage1_weights_cache" not in restored.__dict__
    np.testing.assert_array_equal(restored.predict_proba_docs(docs)[0][0], clf.predict_proba_docs(docs)[0][0])


def test_context_features_of_a_batch_equal_those_of_each_document_alone():
    """Windows, neighbours, runs, repeats and reply cues stop at a document's end: a batch is
    only a speed-up. The documents here share lines (titles, cues) across their boundaries."""
    texts = ["标题\n网友评论\n1楼 回复", "1楼 回复\n标题\n标题\n正文内容很长很长很长的一段文字,讲的是同一件事。", "", "楼主说:"]
    docs = build_documents(texts)
    norms = [p.norm for d in docs for p in d.paragraphs]
    sizes = [len(d.paragraphs) for d in docs]
    probs = np.random.default_rng(1).dirichlet(np.ones(4), len(norms)).astype(np.float32)
    lengths = np.array([len(t) for t in norms], dtype=np.float32)
    together, seg = batch_context(probs, lengths, norms, sizes)
    start = 0
    for size in sizes:
        sl = slice(start, start + size)
        alone, alone_seg = batch_context(probs[sl], lengths[sl], norms[sl], [size])
        np.testing.assert_array_equal(together[sl], alone)  # bit for bit: scores must not depend on the batch
        np.testing.assert_array_equal(seg[sl], alone_seg)
        start += size
    names = context_feature_names()
    cue, dup = names.index("cue_self"), names.index("dup_count")
    assert together[:, cue].tolist() == [0, 1, 1, 1, 0, 0, 0, 1]  # 网友评论, 1楼, 1楼, 楼主说:
    assert together[:, dup].tolist() == [0, 0, 0, 0, np.log1p(1).astype(np.float32), np.log1p(1).astype(np.float32), 0, 0]


def test_tfidf_equals_scikit_learns_transform(batch):
    _, norms, clf = batch
    for vectors, counts in (
        (clf.ngrams_, char_ngram_counts(norms, clf.ngrams_.n_features, clf.ngrams_.ngram_range)),
        (clf.topics_, word_counts(norms, clf.topics_.n_features)),
    ):
        reference = vectors.tfidf_.transform(counts.copy())
        got = vectors.transform(norms)
        assert got.dtype == reference.dtype == np.float32
        # bit for bit: a model retrained on features one ulp off was measurably different
        np.testing.assert_array_equal(got.indptr, reference.indptr)
        np.testing.assert_array_equal(got.indices, reference.indices)
        np.testing.assert_array_equal(got.data, reference.data)


def test_a_batch_scores_every_document_as_if_it_were_cleaned_alone(cleaner, seed_texts):
    """End to end, bit for bit: topic fit, the Gram band and the lexicon scan run batch-wide, and a
    document's probabilities must still not depend on what it was batched with."""
    texts = [seed_texts["001"], "只有一段文字的页面。", seed_texts["002"], "", seed_texts["004"] + "\n" + seed_texts["001"]]
    docs = build_documents(texts)
    clf = cleaner.model.classifier
    together = clf.predict_proba_docs(docs)
    for doc, (final, first) in zip(docs, together):
        (alone_final, alone_first), = clf.predict_proba_docs([doc])
        np.testing.assert_array_equal(final, alone_final)
        np.testing.assert_array_equal(first, alone_first)
