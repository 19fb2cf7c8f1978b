"""The decision rule: per-paragraph probabilities of one document in, labels out."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.decision import decide_labels, keep_path, later_copies, off_topic_runs
from service.settings import LABELS, OFF_TOPIC_MIN, OFF_TOPIC_NEAR, REPEAT_MIN_CHARS, SWITCH_CHARS

C, H, S, O = (LABELS.index(x) for x in ("content", "chrome", "spam", "off_topic"))


def _names(labels: np.ndarray) -> list[str]:
    return [LABELS[i] for i in labels]


def test_off_topic_is_decided_by_its_own_bar_and_otherwise_the_best_other_label_wins(monkeypatch):
    monkeypatch.setattr("service.decision.OFF_TOPIC_MIN", 0.35)
    probs = np.array(
        [
            [0.55, 0.05, 0.00, 0.40],  # content is the argmax, but off-topic reaches its bar
            [0.25, 0.10, 0.35, 0.30],  # off-topic under the bar: spam, the best of the others
            [0.05, 0.20, 0.10, 0.34],  # ... and here chrome, although off-topic is the argmax
            [0.20, 0.00, 0.00, 0.80],
            [0.70, 0.30, 0.00, 0.00],
        ]
    )
    assert _names(decide_labels(probs, switch_cost=0.0)) == ["off_topic", "spam", "chrome", "off_topic", "content"]
    assert decide_labels(np.zeros((0, 4))).tolist() == []


def test_a_pasted_passage_is_cut_as_a_run_from_its_clearest_paragraph():
    near = (OFF_TOPIC_NEAR + OFF_TOPIC_MIN) / 2
    below = OFF_TOPIC_NEAR / 2
    # article, a three-paragraph passage whose first paragraph alone reaches the bar, article again
    p_off = np.array([below, OFF_TOPIC_MIN, near, near, below, below])
    probs = np.zeros((6, 4))
    probs[:, O] = p_off
    probs[:, C] = 1.0 - p_off
    lengths = np.full(6, 80.0)
    assert _names(decide_labels(probs, lengths)) == ["content", "off_topic", "off_topic", "off_topic", "content", "content"]
    # Growth runs both ways, and only through kept paragraphs next to the run.
    kept = np.ones(6, dtype=bool)
    assert off_topic_runs(p_off[::-1].copy(), kept).tolist() == [False, False, True, True, True, False]
    kept[2] = False  # removed as chrome: stays what it is, and the run stops there
    assert off_topic_runs(p_off, kept).tolist() == [False, True, False, False, False, False]
    # Without a paragraph at the bar, doubt alone cuts nothing.
    assert not off_topic_runs(np.full(6, near), np.ones(6, dtype=bool)).any()


def _doc(p_content: list[float], junk: int = H) -> np.ndarray:
    probs = np.zeros((len(p_content), 4))
    probs[:, C] = p_content
    probs[:, junk] = 1.0 - np.asarray(p_content)
    return probs


def test_a_lone_short_line_follows_the_run_around_it():
    # A counter the classifier calls 70 % content, among teaser chrome: the run wins.
    probs = _doc([0.05, 0.1, 0.7, 0.1, 0.05])
    assert _names(decide_labels(probs, np.full(5, 4.0))) == ["chrome"] * 5
    assert _names(decide_labels(probs, np.full(5, 4.0), switch_cost=0.0))[2] == "content"
    # A heading the classifier calls 30 % content, inside the article: kept with it.
    probs = _doc([0.95, 0.9, 0.3, 0.95, 0.9])
    assert _names(decide_labels(probs, np.array([80.0, 90.0, 6.0, 120.0, 70.0]))) == ["content"] * 5


def test_long_prose_holds_its_own_and_confident_lines_are_never_smoothed_away():
    # The same 70 % paragraph, 400 characters long: its evidence counts once per SWITCH_CHARS.
    lengths = np.array([8.0, 8.0, 400.0, 8.0, 8.0])
    assert SWITCH_CHARS < 400
    assert _names(decide_labels(_doc([0.05, 0.1, 0.7, 0.1, 0.05]), lengths))[2] == "content"
    # A keyword-stuffing line the model is sure of stays spam in the middle of the article.
    probs = _doc([0.95, 0.9, 0.01, 0.95, 0.9])
    probs[2] = [0.01, 0.0, 0.99, 0.0]
    assert _names(decide_labels(probs, np.full(5, 50.0))) == ["content", "content", "spam", "content", "content"]
    # Off-topic prose is cut wherever its bar is met, whatever the smoothing decided.
    probs = _doc([0.95, 0.9, 0.9, 0.95])
    probs[2] = [0.4, 0.0, 0.0, 0.6]
    assert _names(decide_labels(probs, np.full(4, 50.0)))[2] == "off_topic"


def test_a_second_copy_of_kept_prose_is_the_templates_and_the_first_copy_stays():
    prose = "自治区财政厅传出最新消息，决定延续二零二一年底到期的涉及四个税种的税收优惠政策，预计四年为纳税人减负。"
    title = "内蒙古延续部分到期税收优惠政策"
    assert len(prose) >= REPEAT_MIN_CHARS > len(title)
    norms = [title, prose, "打印", title, prose]
    probs = _doc([0.9, 0.95, 0.05, 0.9, 0.95])
    lengths = np.array([len(t) for t in norms], dtype=float)
    assert _names(decide_labels(probs, lengths)) == ["content", "content", "chrome", "content", "content"]
    # With the texts: the repeated prose goes, the short title repeat is left to the model.
    assert _names(decide_labels(probs, lengths, norms=norms)) == ["content", "content", "chrome", "content", "chrome"]
    # Next to a pasted passage, the copy stays the template's: the off-topic run does not grow into it
    # (nor through it), although its own doubt reaches OFF_TOPIC_NEAR.
    near = (OFF_TOPIC_NEAR + OFF_TOPIC_MIN) / 2
    norms = [title, prose, "琥珀是一种有机宝石，由远古树脂石化而成。", prose, "琥珀的颜色多为黄色。"]
    probs = _doc([0.9, 0.95, 0.95, 0.95, 0.95])
    probs[:, O] = [0.0, 0.0, OFF_TOPIC_MIN, near, near]
    probs[:, C] -= probs[:, O]
    lengths = np.array([len(t) for t in norms], dtype=float)
    assert _names(decide_labels(probs, lengths)) == ["content", "content", "off_topic", "off_topic", "off_topic"]
    assert _names(decide_labels(probs, lengths, norms=norms)) == ["content", "content", "off_topic", "chrome", "content"]


def test_only_repeats_of_kept_cjk_prose_count_as_copies():
    prose = "上述政策三年执行期满后，为了进一步优化营商环境，更好地服务大局，支持全区民营经济高质量发展。"
    code = "document.querySelector('#app').addEventListener('click', handler);"
    rule = "_" * 60
    assert min(len(prose), len(code), len(rule)) >= REPEAT_MIN_CHARS
    every = np.ones(6, dtype=bool)
    assert later_copies([code, rule, code, rule, prose, prose], every).tolist() == [False] * 5 + [True]
    # A removed first copy does not count: the kept second one is then the only copy.
    assert later_copies([prose, prose], np.array([False, True])).tolist() == [False, False]
    assert later_copies([prose, "打印", prose, prose], np.array([True, False, True, True])).tolist() == [False, False, True, True]


def _path_score(path: tuple[bool, ...], p: np.ndarray, w: np.ndarray, cost: float) -> float:
    eps = 1e-4
    total = sum(wi * math.log((pi if k else 1 - pi) + eps) for k, pi, wi in zip(path, p, w))
    return total - cost * sum(a != b for a, b in zip(path, path[1:]))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(1.0, 500.0)), min_size=1, max_size=9),
    st.sampled_from([0.5, 1.0, 2.5]),
)
def test_keep_path_is_the_best_of_all_paths(rows, cost):
    """Viterbi against brute force: no other keep/remove sequence scores higher."""
    p = np.array([r[0] for r in rows])
    lengths = np.array([r[1] for r in rows])
    w = np.maximum(1.0, lengths / SWITCH_CHARS)
    got = tuple(bool(x) for x in keep_path(p, lengths, cost))
    best = max(_path_score(path, p, w, cost) for path in itertools.product([False, True], repeat=len(p)))
    assert _path_score(got, p, w, cost) == pytest.approx(best, abs=1e-9)
