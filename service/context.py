"""Context features: what the rest of the document says about a paragraph.

Chrome and content come in runs, the article is one dense stretch of prose, a repeated line is
template, and an off-topic passage is prose that does not share the article's words. A text-only
cleaner has to infer where the article is; these features are that inference, computed from the
first-pass probabilities of every paragraph of the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

NEIGHBOUR_OFFSETS: tuple[int, ...] = (-3, -2, -1, 1, 2, 3)
WINDOW_RADII: tuple[int, ...] = (2, 5, 10)
SEGMENT_THRESHOLDS: tuple[float, ...] = (0.3, 0.5, 0.7)
TOPIC_NAMES: tuple[str, ...] = (
    "topic_doc", "topic_seg", "topic_prev", "topic_next", "topic_rel", "topic_words", "topic_local",
    "gram_doc", "gram_seg", "gram_local",
)
LOCAL_RADIUS = 3
# Lines that open or frame reader comments and forum replies: after them, prose is a reply, not
# the article (the first post is content, replies are chrome).
_COMMENT_CUE = re.compile(
    r"^(?:#\s*)?re:|评论|留言|回复|跟帖|网友|楼主|沙发|板凳|地板|^\d+\s*楼|发表于|引用|说:$|写道|顶一下|回帖", re.I
)
SEGMENT_MIN_WEIGHT = 12.0
"""Every line costs at least this many characters' worth in the maximum-sum segment, so a run of
short chrome lines (usernames, dates between comments) breaks the article's segment."""


def _names(n_classes: int) -> list[str]:
    names = ["pos_rel", "pos_rel_end", "pos_log", "pos_log_end", "doc_log_n", "chars_before"]
    names += [f"p1_{k}" for k in range(n_classes)]
    names += [f"nb{o}_p{k}" for o in NEIGHBOUR_OFFSETS for k in range(n_classes)]
    names += [f"nb{o}_len" for o in (-2, -1, 1, 2)]
    for r in WINDOW_RADII:
        names += [f"win{r}_content", f"win{r}_chrome"]
    for t in SEGMENT_THRESHOLDS:
        names += [f"seg{t}_inside", f"seg{t}_dist", f"seg{t}_dist_chars", f"seg{t}_share"]
    names += ["dup_count", "dup_repeat", "prefix_group", "prefix_repeat", "prefix_contains_earlier"]
    names += ["short_run", "long_run", "doc_prose_share", "doc_mean_content"]
    names += ["cue_self", "cues_before", "cues_window", "since_cue"]
    return names + list(TOPIC_NAMES)


def context_feature_names(n_classes: int = 4) -> list[str]:
    return _names(n_classes)


def _max_sum_segment(scores: np.ndarray) -> tuple[int, int]:
    """Kadane: the contiguous run ``[a, b]`` with the largest total score."""
    best, best_a, best_b = -np.inf, 0, 0
    run, run_a = 0.0, 0
    for i, s in enumerate(scores.tolist()):
        if run <= 0:
            run, run_a = s, i
        else:
            run += s
        if run > best:
            best, best_a, best_b = run, run_a, i
    return best_a, best_b


def _signed_log(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.log1p(np.abs(x))


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of True values it belongs to (0 where False)."""
    out = np.zeros(len(mask), dtype=np.float32)
    i, n = 0, len(mask)
    while i < n:
        if not mask[i]:
            i += 1
            continue
        j = i
        while j < n and mask[j]:
            j += 1
        out[i:j] = j - i
        i = j
    return out


def _centroid_similarity(
    T: sp.csr_matrix, doc_id: np.ndarray, n_docs: int, w: np.ndarray, self_norm2: np.ndarray
) -> np.ndarray:
    """Cosine of each row of ``T`` to the ``w``-weighted sum of the *other* rows of its document.

    Computed for a whole batch with two sparse products: per-document centroids ``C = W T`` and
    each row's dot product with its own document's centroid.
    """
    n = T.shape[0]
    W = sp.csr_matrix((w.astype(np.float32), (doc_id, np.arange(n))), shape=(n_docs, n))
    C = (W @ T).tocsr()
    c2 = np.asarray(C.multiply(C).sum(axis=1)).ravel()[doc_id]
    D = (T @ C.T).tocsr()
    dots = np.asarray(D[np.arange(n), doc_id]).ravel()
    own = dots - w * self_norm2
    other2 = np.maximum(c2 - 2 * w * dots + w * w * self_norm2, 0.0)
    denom = np.sqrt(other2) * np.sqrt(self_norm2)
    return np.where(denom > 1e-9, own / np.maximum(denom, 1e-9), 0.0)


def _local_similarity(T: sp.csr_matrix, doc_id: np.ndarray, self_norm2: np.ndarray) -> np.ndarray:
    """Cosine of each row to the sum of the rows within LOCAL_RADIUS of it in the same document."""
    n = T.shape[0]
    if n < 2:
        return np.zeros(n)
    offsets = [o for o in range(-LOCAL_RADIUS, LOCAL_RADIUS + 1) if o]
    rows = np.concatenate([np.arange(max(0, -o), min(n, n - o)) for o in offsets])
    cols = np.concatenate([np.arange(max(0, -o), min(n, n - o)) + o for o in offsets])
    keep = doc_id[rows] == doc_id[cols]
    B = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (rows[keep], cols[keep])), shape=(n, n))
    N = (B @ T).tocsr()
    dots = np.asarray(T.multiply(N).sum(axis=1)).ravel()
    n2 = np.asarray(N.multiply(N).sum(axis=1)).ravel()
    denom = np.sqrt(n2 * self_norm2)
    return np.where(denom > 1e-9, dots / np.maximum(denom, 1e-9), 0.0)


def topic_features(
    T: sp.csr_matrix,
    G: sp.csr_matrix,
    doc_sizes: Sequence[int],
    w_doc: np.ndarray,
    w_seg: np.ndarray,
    lengths: np.ndarray,
) -> np.ndarray:
    """Fit of every paragraph of a batch to its document, to the article segment and to its neighbours.

    ``T`` holds word TF-IDF rows (topic), ``G`` character n-gram TF-IDF rows (topic and style: a
    novel's sentences in a government report differ in both).
    """
    n = T.shape[0]
    n_docs = len(doc_sizes)
    doc_id = np.repeat(np.arange(n_docs), doc_sizes)
    self_norm2 = np.asarray(T.multiply(T).sum(axis=1)).ravel()
    words = np.diff(T.indptr).astype(np.float32)
    sim_doc = _centroid_similarity(T, doc_id, n_docs, w_doc, self_norm2)
    sim_seg = _centroid_similarity(T, doc_id, n_docs, w_seg, self_norm2)
    pair = np.asarray(T[1:].multiply(T[:-1]).sum(axis=1)).ravel() if n > 1 else np.zeros(0)
    same = doc_id[1:] == doc_id[:-1]
    pair = np.where(same, pair, -1.0)
    sim_prev = np.concatenate([[-1.0], pair]) if n else pair
    sim_next = np.concatenate([pair, [-1.0]]) if n else pair
    rel = np.zeros(n)
    pos = 0
    for size in doc_sizes:
        sl = slice(pos, pos + size)
        long_rows = (lengths[sl] >= 40) & (words[sl] >= 3)
        ref = float(np.median(sim_doc[sl][long_rows])) if long_rows.any() else 0.0
        rel[sl] = sim_doc[sl] - ref
        pos += size
    g_norm2 = np.asarray(G.multiply(G).sum(axis=1)).ravel()
    return np.column_stack(
        [
            sim_doc,
            sim_seg,
            sim_prev,
            sim_next,
            rel,
            np.log1p(words),
            _local_similarity(T, doc_id, self_norm2),
            _centroid_similarity(G, doc_id, n_docs, w_doc, g_norm2),
            _centroid_similarity(G, doc_id, n_docs, w_seg, g_norm2),
            _local_similarity(G, doc_id, g_norm2),
        ]
    ).astype(np.float32)


def document_context(
    probs: np.ndarray,
    lengths: np.ndarray,
    norms: Sequence[str],
    content_col: int = 0,
    chrome_col: int = 1,
    off_topic_col: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Context features of one document's paragraphs (rows of ``probs``, the first-pass scores).

    Returns the features (all but topic fit, which :func:`topic_features` adds batch-wide) and
    the mask of the article segment at threshold 0.5, which the topic features use.
    """
    n, k = probs.shape
    feats: list[np.ndarray] = []
    idx = np.arange(n, dtype=np.float32)
    span = max(n - 1, 1)
    lens = lengths.astype(np.float32)
    total = max(float(lens.sum()), 1.0)
    before = np.concatenate([[0.0], np.cumsum(lens)[:-1]]) if n else np.zeros(0)
    feats += [idx / span, (n - 1 - idx) / span, np.log1p(idx), np.log1p(n - 1 - idx)]
    feats += [np.full(n, np.log1p(n), dtype=np.float32), before / total]
    feats += [probs[:, j] for j in range(k)]

    padded = np.full((n + 6, k), -1.0, dtype=np.float32)
    padded[3 : 3 + n] = probs
    for o in NEIGHBOUR_OFFSETS:
        shifted = padded[3 + o : 3 + o + n]
        feats += [shifted[:, j] for j in range(k)]
    log_len = np.log1p(lens)
    padded_len = np.full(n + 4, -1.0, dtype=np.float32)
    padded_len[2 : 2 + n] = log_len
    for o in (-2, -1, 1, 2):
        feats.append(padded_len[2 + o : 2 + o + n])

    prose = probs[:, content_col] + probs[:, off_topic_col]
    weight = np.log1p(lens)
    for r in WINDOW_RADII:
        for col in (content_col, chrome_col):
            v = probs[:, col] * weight
            cs = np.concatenate([[0.0], np.cumsum(v)])
            cw = np.concatenate([[0.0], np.cumsum(weight)])
            lo = np.clip(np.arange(n) - r, 0, n)
            hi = np.clip(np.arange(n) + r + 1, 0, n)
            num = cs[hi] - cs[lo] - v
            den = cw[hi] - cw[lo] - weight
            feats.append(np.where(den > 0, num / np.maximum(den, 1e-9), -1.0))

    seg_mask = np.zeros(n, dtype=bool)
    for t in SEGMENT_THRESHOLDS:
        scores = (prose - t) * np.maximum(lens, SEGMENT_MIN_WEIGHT)
        a, b = _max_sum_segment(scores) if n else (0, -1)
        inside = (idx >= a) & (idx <= b)
        dist = np.where(idx < a, idx - a, np.where(idx > b, idx - b, 0))
        cum = np.concatenate([[0.0], np.cumsum(lens)])
        dist_chars = np.where(idx < a, -(cum[a] - cum[np.minimum(idx.astype(int) + 1, n)]), 0.0)
        dist_chars = np.where(idx > b, cum[idx.astype(int)] - cum[b + 1], dist_chars)
        share = (cum[b + 1] - cum[a]) / total if n else 0.0
        feats += [inside.astype(np.float32), _signed_log(dist), _signed_log(dist_chars), np.full(n, share)]
        if t == 0.5:
            seg_mask = inside

    counts: dict[str, int] = {}
    seen: dict[str, int] = {}
    prefixes: dict[str, list[int]] = {}
    for i, t in enumerate(norms):
        counts[t] = counts.get(t, 0) + 1
        prefixes.setdefault(t[:8], []).append(i)
    dup_count = np.zeros(n, dtype=np.float32)
    dup_repeat = np.zeros(n, dtype=np.float32)
    prefix_group = np.zeros(n, dtype=np.float32)
    prefix_repeat = np.zeros(n, dtype=np.float32)
    contains_earlier = np.zeros(n, dtype=np.float32)
    for i, t in enumerate(norms):
        dup_count[i] = np.log1p(counts[t] - 1)
        dup_repeat[i] = 1.0 if seen.get(t, 0) else 0.0
        seen[t] = seen.get(t, 0) + 1
        group = prefixes[t[:8]] if len(t) >= 4 else [i]
        prefix_group[i] = np.log1p(len(group) - 1)
        prefix_repeat[i] = 1.0 if group[0] != i else 0.0
        if len(t) >= 6 and group[0] != i:
            for j in group:
                if j >= i:
                    break
                other = norms[j]
                if other != t and (t.startswith(other) or other.startswith(t)):
                    contains_earlier[i] = 1.0
                    break
    feats += [dup_count, dup_repeat, prefix_group, prefix_repeat, contains_earlier]

    feats += [np.log1p(_run_lengths(lens <= 15)), np.log1p(_run_lengths(lens >= 40))]
    prose_share = float((probs[:, content_col] * lens).sum() / total)
    feats += [np.full(n, prose_share), np.full(n, float(probs[:, content_col].mean()) if n else 0.0)]

    cue = np.fromiter((1.0 if _COMMENT_CUE.search(t) else 0.0 for t in norms), dtype=np.float32, count=n)
    before = np.concatenate([[0.0], np.cumsum(cue)[:-1]]) if n else cue
    csum = np.concatenate([[0.0], np.cumsum(cue)])
    lo = np.clip(np.arange(n) - 6, 0, n)
    window = csum[np.arange(n)] - csum[lo]
    last = -1
    since = np.full(n, -1.0, dtype=np.float32)
    for i in range(n):
        if last >= 0:
            since[i] = np.log1p(i - last)
        if cue[i]:
            last = i
    feats += [cue, np.log1p(before), window, since]
    if not n:
        return np.zeros((0, len(_names(k)) - len(TOPIC_NAMES)), dtype=np.float32), seg_mask
    return np.column_stack([np.asarray(f, dtype=np.float32) for f in feats]), seg_mask
