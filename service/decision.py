"""The decision rule: a document's final probabilities in, one label per paragraph out.

Every consumer of final labels (cleaning, evaluation, uncertainty sampling) calls
:func:`decide_labels`, so they all agree. Two steps, in the manner of jusText's context-sensitive
pass: keep or remove is decided for the document as a whole, as the most probable sequence
under a cost for every switch between kept and removed runs (chrome and content come in runs, so
a lone "content" counter among teasers, or a lone "chrome" heading inside the article, is
usually the classifier's mistake); a kept paragraph that repeats an earlier kept one word for
word is the template's second copy; then off-topic passages are cut wherever their own bar is met,
and run on into the kept paragraphs next to them that come near it (jusText's "near-good" idea
turned on off-topic text: a pasted passage is one or a few paragraphs of one foreign source).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .codepoints import CJK_RANGES, codepoints, in_ranges
from .records import Document
from .settings import LABELS, OFF_TOPIC_MIN, OFF_TOPIC_NEAR, REPEAT_MIN_CHARS, SWITCH_CHARS, SWITCH_COST

_CONTENT = LABELS.index("content")
_CHROME = LABELS.index("chrome")
_OFF_TOPIC = LABELS.index("off_topic")
_EPS = 1e-4


def keep_path(p_keep: np.ndarray, lengths: np.ndarray, switch_cost: float = SWITCH_COST) -> np.ndarray:
    """The most probable keep/remove sequence (Viterbi over two states).

    A paragraph's evidence is ``log p`` of either state times its length in units of
    :data:`~service.settings.SWITCH_CHARS` characters (at least once), so a long paragraph holds
    its own against its neighbours and a run of short lines follows the run around it; every
    change of state costs ``switch_cost``.
    """
    n = len(p_keep)
    if n == 0 or switch_cost <= 0:
        return np.asarray(p_keep) > 0.5
    weight = np.maximum(1.0, np.asarray(lengths, dtype=np.float64) / SWITCH_CHARS)
    p = np.asarray(p_keep, dtype=np.float64)
    keep_e = (weight * np.log(p + _EPS)).tolist()
    drop_e = (weight * np.log(1.0 - p + _EPS)).tolist()
    # Plain floats: two states per step, where numpy's per-call overhead would dominate.
    drop, keep = drop_e[0], keep_e[0]
    from_keep_to_drop = bytearray(n)  # back-pointers: did the best path into state X come from the other state?
    from_drop_to_keep = bytearray(n)
    for i in range(1, n):
        d_stay, d_switch = drop, keep - switch_cost
        k_stay, k_switch = keep, drop - switch_cost
        from_keep_to_drop[i] = d_switch > d_stay
        from_drop_to_keep[i] = k_switch > k_stay
        drop = (d_switch if d_switch > d_stay else d_stay) + drop_e[i]
        keep = (k_switch if k_switch > k_stay else k_stay) + keep_e[i]
    path = np.zeros(n, dtype=bool)
    state = keep > drop
    for i in range(n - 1, -1, -1):
        path[i] = state
        if state and from_drop_to_keep[i]:
            state = False
        elif not state and from_keep_to_drop[i]:
            state = True
    return path


def later_copies(norms: Sequence[str], kept: np.ndarray) -> np.ndarray:
    """Mask of kept paragraphs that repeat an earlier kept paragraph exactly.

    A template that prints the article twice (a mobile copy below the desktop one) or a title
    again repeats it exactly, while a writer does not repeat a whole sentence; the first copy
    stays. Only paragraphs of :data:`~service.settings.REPEAT_MIN_CHARS` characters or more, at
    least half of them CJK, count (short lines, code and underscore rules repeat legitimately).
    """
    out = np.zeros(len(norms), dtype=bool)
    seen: set[str] = set()
    for i, (norm, k) in enumerate(zip(norms, kept)):
        if not k or len(norm) < REPEAT_MIN_CHARS:
            continue
        if norm not in seen:
            seen.add(norm)
        elif 2 * int(in_ranges(codepoints(norm), CJK_RANGES).sum()) >= len(norm):
            out[i] = True
    return out


def off_topic_runs(p_off: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Mask of off-topic paragraphs: those at :data:`~service.settings.OFF_TOPIC_MIN` or above,
    grown into adjacent kept paragraphs at :data:`~service.settings.OFF_TOPIC_NEAR` or above.

    A pasted passage's paragraphs share their source's words, so each fits its neighbour and the
    first one's doubt is often the clearest; the rest of the run is judged next to it.
    """
    off = p_off >= OFF_TOPIC_MIN
    if not off.any():
        return off
    near = (p_off >= OFF_TOPIC_NEAR) & kept
    n = len(off)
    for order in (range(1, n), range(n - 2, -1, -1)):  # one sweep each way reaches every run's end
        step = 1 if order.step > 0 else -1
        for i in order:
            if not off[i] and near[i] and off[i - step]:
                off[i] = True
    return off


def decide_labels(
    probs: np.ndarray,
    lengths: np.ndarray | None = None,
    switch_cost: float = SWITCH_COST,
    norms: Sequence[str] | None = None,
) -> np.ndarray:
    """Label indices for one document's paragraphs, in reading order.

    Kept paragraphs are ``content``; removed ones the more probable of the other junk labels;
    with ``norms`` (the paragraphs' normalised texts), :func:`later_copies` of kept paragraphs are
    ``chrome``; and ``off_topic`` wherever its probability reaches
    :data:`~service.settings.OFF_TOPIC_MIN`, whatever the rest says, and in the kept paragraphs next
    to such a one that reach :data:`~service.settings.OFF_TOPIC_NEAR` (:func:`off_topic_runs`).
    ``lengths`` (characters per paragraph) weighs each paragraph's evidence; without it every
    paragraph counts once.
    """
    if not len(probs):
        return np.zeros(0, dtype=np.int64)
    probs = np.asarray(probs, dtype=np.float64)
    junk = probs.copy()
    junk[:, _CONTENT] = -1.0
    junk[:, _OFF_TOPIC] = -1.0
    not_off = probs.sum(axis=1) - probs[:, _OFF_TOPIC]
    p_keep = np.where(not_off > 1e-9, probs[:, _CONTENT] / np.maximum(not_off, 1e-9), 0.5)
    lengths = np.ones(len(probs)) if lengths is None else lengths
    kept = keep_path(p_keep, lengths, switch_cost)
    labels = np.where(kept, _CONTENT, junk.argmax(axis=1))
    if norms is not None:
        copies = later_copies(norms, kept)
        labels[copies] = _CHROME
        kept = kept & ~copies  # a template's copy is not prose an off-topic run can grow into
    labels[off_topic_runs(probs[:, _OFF_TOPIC], kept)] = _OFF_TOPIC
    return labels.astype(np.int64)


def document_labels(doc: Document, final: np.ndarray) -> np.ndarray:
    """:func:`decide_labels` for a segmented document: its paragraphs weighed by their original
    characters, repeats found on their normalised text."""
    lengths = np.fromiter((p.end - p.start for p in doc.paragraphs), dtype=np.float64, count=len(doc.paragraphs))
    return decide_labels(final, lengths, norms=[p.norm for p in doc.paragraphs])
