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

from .codepoints import line_starts, match_lines

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
# Matched over the newline-joined paragraphs of a batch, line by line (a normalised paragraph's
# only white space is " ", so no match crosses a newline).
# A line is a comment cue when it holds 评论, 留言, 回复, 跟帖, 网友, 楼主, 沙发, 板凳, 地板, 发表于, 引用,
# 写道, 顶一下 or 回帖, ends on 说:, or starts with "re:" or "N楼". The words are found from their first
# character (a class the regex engine skips ahead to), the line starts by a pattern of their own.
_COMMENT_CUE_WORDS = re.compile(
    r"[评留回跟网楼沙板地发引说写顶](?:(?<=评)论|(?<=留)言|(?<=回)复|(?<=跟)帖|(?<=网)友|(?<=楼)主|(?<=沙)发|"
    r"(?<=板)凳|(?<=地)板|(?<=发)表于|(?<=引)用|(?<=说):$|(?<=写)道|(?<=顶)一下|(?<=回)帖)",
    re.M,
)
_COMMENT_CUE_STARTS = re.compile(r"^(?:(?:# *)?re:|\d+ *楼)", re.I | re.M)
# Lines that close an article: the editor's line, "(完)", "THE END", reprint and source notes.
# What follows them (teasers with their leads, "hot" lists, comments) is rarely the article, but
# they occasionally open it (原标题, an editor's byline), so they are evidence, not a verdict.
# Found from their first character, like the comment cues: 责任编辑, 责编, 编辑: at a line's start,
# (完) 【完】 [完], THE END, 转载请注明, 本文来源, 原标题 at a line's start, 版权归, 免责声明, 未经许可/授权, 文章来源:.
_END_CUES = re.compile(
    r"[责编(【\[tT转本原版免未文](?:(?<=责)任编辑|(?<=责)编|(?<=^编)辑 ?:|(?<=[(【\[])完[)】\]]|(?<=\b[tT])(?i:he end)\b|"
    r"(?<=转)载请注明|(?<=本)文来源|(?<=^原)标题|(?<=版)权归|(?<=免)责声明|(?<=未)经(?:许可|授权)|(?<=文)章来源 ?:)",
    re.M,
)
SEGMENT_MIN_WEIGHT = 12.0
"""Every line costs at least this many characters' worth in the maximum-sum segment, so a run of
short chrome lines (usernames, dates between comments) breaks the article's segment."""
LINE_CHARS_CAP = 400.0
"""Document-level measures in characters (position, the segment's weights and share, prose share)
count a line as at most this long: one giant line (a 170,000-character keyword-stuffing block the
first pass half believes) would otherwise be the whole document to them."""


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
    names += ["end_self", "ends_before", "ends_window", "since_end"]
    return names + list(TOPIC_NAMES)


def context_feature_names(n_classes: int = 4) -> list[str]:
    return _names(n_classes)


def _max_sum_segment(scores: Sequence[float]) -> tuple[int, int]:
    """Kadane: the contiguous run ``[a, b]`` with the largest total score."""
    best, best_a, best_b = -np.inf, 0, 0
    run, run_a = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_a = s, i
        else:
            run += s
        if run > best:
            best, best_a, best_b = run, run_a, i
    return best_a, best_b


def _signed_log(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.log1p(np.abs(x))


def _run_lengths(mask: np.ndarray, doc_id: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of True values it belongs to (0 where False);
    a run stops at its document's end."""
    n = len(mask)
    if not n:
        return np.zeros(0, dtype=np.float32)
    starts = np.ones(n, dtype=bool)
    starts[1:] = (mask[1:] != mask[:-1]) | (doc_id[1:] != doc_id[:-1])
    run = np.cumsum(starts) - 1
    return np.where(mask, np.bincount(run)[run], 0).astype(np.float32)


def _doc_private_columns(X: sp.csr_matrix, doc_sizes: Sequence[int]) -> sp.csr_matrix:
    """``X`` with its columns renumbered so that no two documents share one.

    Products of the result never mix documents: every document's centroid comes out of one
    batch-wide sparse product, with no cross-document work to discard.
    A column becomes the position of its last occurrence in its document's slice of ``X.data``.
    """
    indices = np.empty_like(X.indices)
    scratch = np.empty(X.shape[1], dtype=X.indices.dtype)
    row_bounds = np.concatenate([[0], np.cumsum(doc_sizes)]).astype(np.int64)
    nnz_bounds = X.indptr[row_bounds]
    for a, b in zip(nnz_bounds[:-1].tolist(), nnz_bounds[1:].tolist()):
        cols = X.indices[a:b]
        scratch[cols] = np.arange(a, b, dtype=X.indices.dtype)
        indices[a:b] = scratch[cols]
    return sp.csr_matrix((X.data, indices, X.indptr), shape=(X.shape[0], max(X.nnz, 1)))


def _diagonals(Xp: sp.csr_matrix, max_offset: int) -> list[np.ndarray]:
    """``D[o][i]``: dot product of rows ``i`` and ``i + o`` (0 across documents or past the end),
    for o = 0..max_offset: the band of the Gram matrix that local fit reads. ``Xp`` has
    document-private columns (:func:`_doc_private_columns`), so no product crosses documents.

    Read column by column: in CSC form a column's entries are sorted by row, so two entries at most
    ``max_offset`` rows apart are at most ``max_offset`` places apart, and ``max_offset`` shifted
    comparisons of the entry arrays find every pair (scipy's element-wise products built some twenty
    sparse matrices per call, which dominated a one-document request). A row's products are summed
    in an order its own document fixes, so the result does not depend on the batch.
    """
    n = Xp.shape[0]
    C = Xp.tocsc()
    row, value = C.indices, C.data
    col = np.repeat(np.arange(C.shape[1], dtype=np.int32), np.diff(C.indptr))
    band = np.zeros((max_offset + 1) * n)
    band[:n] = np.bincount(row, weights=value * value, minlength=n)
    for j in range(1, min(max_offset, len(row) - 1) + 1):
        gap = row[j:] - row[:-j]
        pair = np.flatnonzero((col[j:] == col[:-j]) & (gap <= max_offset))
        band += np.bincount(gap[pair] * n + row[pair], weights=value[pair] * value[pair + j], minlength=len(band))
    return [band[o * n : (o + 1) * n] for o in range(max_offset + 1)]


def _centroid_similarity(X: sp.csr_matrix, doc_id: np.ndarray, n_docs: int, w: np.ndarray, norm2: np.ndarray) -> np.ndarray:
    """Cosine of each row of ``X`` (document-private columns) to the ``w``-weighted sum of the
    *other* rows of its document."""
    dots = X @ (X.T @ w)  # row i . (its document's weighted centroid, itself included)
    c2 = np.bincount(doc_id, weights=w * dots, minlength=n_docs)[doc_id]
    own = dots - w * norm2
    other2 = np.maximum(c2 - 2 * w * dots + w * w * norm2, 0.0)
    denom = np.sqrt(other2) * np.sqrt(norm2)
    return np.where(denom > 1e-9, own / np.maximum(denom, 1e-9), 0.0)


def _local_similarity(diag: list[np.ndarray], doc_id: np.ndarray) -> np.ndarray:
    """Cosine of each row to the sum of the rows within LOCAL_RADIUS of it in the same document.

    With ``W`` the window, the dot product is the sum of Gram entries ``S[i, j]`` for j in W and
    the window sum's squared norm the sum of ``S[j, k]`` for j, k in W: both read off the Gram
    matrix's diagonals ``diag``, whose cross-document entries are zero.
    """
    n = len(doc_id)
    r = LOCAL_RADIUS
    pad = lambda v, fill=0.0: np.concatenate([np.full(r, fill), v, np.full(r, fill)])  # noqa: E731
    norm2 = pad(diag[0])
    docs = pad(doc_id.astype(np.float64), -1.0)
    D = [pad(d) for d in diag]
    centre = np.arange(n) + r
    offsets = [a for a in range(-r, r + 1) if a]
    valid = {a: docs[centre + a] == doc_id for a in offsets}
    dots = np.zeros(n)
    n2 = np.zeros(n)
    for a in offsets:
        j = centre + a
        dots += D[a][centre] if a > 0 else D[-a][j]
        n2 += np.where(valid[a], norm2[j], 0.0)
        for b in offsets:
            if b > a:
                n2 += 2 * np.where(valid[a], D[b - a][j], 0.0)
    denom = np.sqrt(n2 * diag[0])
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
    words = np.diff(T.indptr).astype(np.float32)
    w_doc = w_doc.astype(np.float64)
    w_seg = w_seg.astype(np.float64)
    # Float64: a cosine to "the rest of the document" subtracts the paragraph's own part from
    # the whole, and in float32 that leaves noise of 1e-4 where the true value is 0.
    T = T.astype(np.float64)
    G = G.astype(np.float64)
    T.sum_duplicates()  # one entry per (row, column): private columns and Gram entries count each once
    G.sum_duplicates()
    Tp = _doc_private_columns(T, doc_sizes)
    Gp = _doc_private_columns(G, doc_sizes)
    t_diag = _diagonals(Tp, 2 * LOCAL_RADIUS)
    g_diag = _diagonals(Gp, 2 * LOCAL_RADIUS)
    sim_doc = _centroid_similarity(Tp, doc_id, n_docs, w_doc, t_diag[0])
    sim_seg = _centroid_similarity(Tp, doc_id, n_docs, w_seg, t_diag[0])
    same = np.zeros(n, dtype=bool)
    same[:-1] = doc_id[1:] == doc_id[:-1]
    sim_next = np.where(same, t_diag[1], -1.0)
    sim_prev = np.concatenate([[-1.0], sim_next[:-1]]) if n else sim_next
    rel = np.zeros(n)
    pos = 0
    for size in doc_sizes:
        sl = slice(pos, pos + size)
        long_rows = (lengths[sl] >= 40) & (words[sl] >= 3)
        ref = float(np.median(sim_doc[sl][long_rows])) if long_rows.any() else 0.0
        rel[sl] = sim_doc[sl] - ref
        pos += size
    return np.column_stack(
        [
            sim_doc,
            sim_seg,
            sim_prev,
            sim_next,
            rel,
            np.log1p(words),
            _local_similarity(t_diag, doc_id),
            _centroid_similarity(Gp, doc_id, n_docs, w_doc, g_diag[0]),
            _centroid_similarity(Gp, doc_id, n_docs, w_seg, g_diag[0]),
            _local_similarity(g_diag, doc_id),
        ]
    ).astype(np.float32)


def batch_context(
    probs: np.ndarray,
    lengths: np.ndarray,
    norms: Sequence[str],
    doc_sizes: Sequence[int],
    content_col: int = 0,
    chrome_col: int = 1,
    off_topic_col: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """Context features of every paragraph of a batch (rows of ``probs``, the first-pass scores).

    Returns the features (all but topic fit, which :func:`topic_features` adds) and the mask of
    each document's article segment at threshold 0.5, which the topic features use. Computed
    batch-wide: every window, run and count stops at its document's bounds.
    """
    n, k = probs.shape
    sizes = np.asarray(doc_sizes, dtype=np.int64)
    doc_id = np.repeat(np.arange(len(sizes)), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)[doc_id] if n else np.zeros(0, np.int64)
    size = sizes[doc_id]
    last = first + size - 1
    rows = np.arange(n, dtype=np.int64)
    idx = (rows - first).astype(np.float32)
    lens = lengths.astype(np.float32)
    capped = np.minimum(lens, LINE_CHARS_CAP)
    cum = np.concatenate([[0.0], np.cumsum(capped, dtype=np.float64)])  # cum[i]: (capped) characters before row i
    doc_chars = cum[last + 1] - cum[first]
    total = np.maximum(doc_chars, 1.0)
    span = np.maximum(size - 1, 1).astype(np.float32)
    feats: list[np.ndarray] = [
        idx / span, (size - 1 - idx) / span, np.log1p(idx), np.log1p(size - 1 - idx),
        np.log1p(size).astype(np.float32), (cum[rows] - cum[first]) / total,
    ]
    feats += [probs[:, j] for j in range(k)]

    sources: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def shifted(values: np.ndarray, o: int, missing: float = -1.0) -> np.ndarray:
        """``values`` of the row ``o`` away in the same document, ``missing`` where there is none."""
        if o not in sources:  # ~90 calls over 21 offsets: the index arithmetic once per offset
            src = rows + o
            sources[o] = ((src >= first) & (src <= last), np.clip(src, 0, max(n - 1, 0)))
        ok, src = sources[o]
        return np.where(ok, values[src], missing)

    for o in NEIGHBOUR_OFFSETS:
        feats += [shifted(probs[:, j], o) for j in range(k)]
    log_len = np.log1p(lens)
    feats += [shifted(log_len, o) for o in (-2, -1, 1, 2)]

    # Length-weighted mean score of the neighbours within r rows, summed neighbour by neighbour:
    # a cumulative sum over the batch would round differently with a document's place in it.
    weight = log_len.astype(np.float64)
    sums = {col: np.zeros(n) for col in ("w", content_col, chrome_col)}
    values = {"w": weight, content_col: probs[:, content_col] * weight, chrome_col: probs[:, chrome_col] * weight}
    done = 0
    for r in WINDOW_RADII:
        for o in [o for d in range(done + 1, r + 1) for o in (-d, d)]:
            for col in sums:
                sums[col] += shifted(values[col], o, 0.0)
        done = r
        den = sums["w"]
        for col in (content_col, chrome_col):
            feats.append(np.where(den > 0, sums[col] / np.maximum(den, 1e-9), -1.0))

    prose = probs[:, content_col] + probs[:, off_topic_col]
    seg_mask = np.zeros(n, dtype=bool)
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    for t in SEGMENT_THRESHOLDS:
        scores = ((prose - t) * np.clip(lens, SEGMENT_MIN_WEIGHT, LINE_CHARS_CAP)).tolist()
        a = np.zeros(len(sizes), dtype=np.int64)
        b = np.full(len(sizes), -1, dtype=np.int64)
        for d in range(len(sizes)):
            if sizes[d]:
                a[d], b[d] = _max_sum_segment(scores[bounds[d] : bounds[d + 1]])
        a_row, b_row = a[doc_id] + first, b[doc_id] + first
        inside = (rows >= a_row) & (rows <= b_row)
        dist = np.where(rows < a_row, rows - a_row, np.where(rows > b_row, rows - b_row, 0))
        dist_chars = np.where(rows < a_row, -(cum[a_row] - cum[np.minimum(rows + 1, last + 1)]), 0.0)
        dist_chars = np.where(rows > b_row, cum[rows] - cum[b_row + 1], dist_chars)
        share = (cum[b_row + 1] - cum[a_row]) / total
        feats += [inside.astype(np.float32), _signed_log(dist), _signed_log(dist_chars), share]
        if t == 0.5:
            seg_mask = inside

    feats += _repeats(norms, doc_id.tolist())
    feats += [np.log1p(_run_lengths(lens <= 15, doc_id)), np.log1p(_run_lengths(lens >= 40, doc_id))]
    n_docs = len(sizes)
    prose_share = np.bincount(doc_id, weights=probs[:, content_col] * capped, minlength=n_docs) / np.maximum(
        np.bincount(doc_id, weights=capped, minlength=n_docs), 1.0
    )
    mean_content = np.bincount(doc_id, weights=probs[:, content_col], minlength=n_docs) / np.maximum(sizes, 1)
    feats += [prose_share[doc_id], mean_content[doc_id]]

    joined = "\n".join(norms)
    starts = line_starts(lens)
    for patterns in ((_COMMENT_CUE_WORDS, _COMMENT_CUE_STARTS), (_END_CUES,)):
        feats += _cue_features(patterns, joined, starts, rows, first)
    if not n:
        return np.zeros((0, len(_names(k)) - len(TOPIC_NAMES)), dtype=np.float32), seg_mask
    return np.column_stack([np.asarray(f, dtype=np.float32) for f in feats]), seg_mask


def _cue_features(
    patterns: Sequence[re.Pattern[str]], joined: str, starts: np.ndarray, rows: np.ndarray, first: np.ndarray
) -> list[np.ndarray]:
    """Where cue lines are: on the line itself, how many before it in its document, how many in
    the six lines before it, and how far back the last one is (-1: none)."""
    n = len(rows)
    cue = np.zeros(n, dtype=np.float32)
    if n:
        for pattern in patterns:
            cue[match_lines(pattern, joined, starts)] = 1.0
    ccum = np.concatenate([[0.0], np.cumsum(cue, dtype=np.float64)])
    before = ccum[rows] - ccum[first]
    window = ccum[rows] - ccum[np.maximum(rows - 6, first)]
    last_cue = np.maximum.accumulate(np.where(cue > 0, rows, -1)) if n else rows
    prev_cue = np.concatenate([[-1], last_cue[:-1]]) if n else rows
    since = np.where(prev_cue >= first, np.log1p(rows - prev_cue), -1.0)
    return [cue, np.log1p(before), window, since]


def _repeats(norms: Sequence[str], doc_id: list[int]) -> list[np.ndarray]:
    """Exact and prefix repeats within each document: template lines (titles printed twice, a
    byline echoing the headline) repeat; article paragraphs do not."""
    n = len(norms)
    counts: dict[tuple[int, str], int] = {}
    prefixes: dict[tuple[int, str], list[int]] = {}
    for i, (d, t) in enumerate(zip(doc_id, norms)):
        counts[d, t] = counts.get((d, t), 0) + 1
        prefixes.setdefault((d, t[:8]), []).append(i)
    dup_count = np.zeros(n, dtype=np.float32)
    dup_repeat = np.zeros(n, dtype=np.float32)
    prefix_group = np.zeros(n, dtype=np.float32)
    prefix_repeat = np.zeros(n, dtype=np.float32)
    contains_earlier = np.zeros(n, dtype=np.float32)
    seen: set[tuple[int, str]] = set()
    for i, (d, t) in enumerate(zip(doc_id, norms)):
        dup_count[i] = counts[d, t] - 1
        dup_repeat[i] = (d, t) in seen
        seen.add((d, t))
        group = prefixes[d, t[:8]] if len(t) >= 4 else [i]
        prefix_group[i] = len(group) - 1
        prefix_repeat[i] = group[0] != i
        if len(t) >= 6 and group[0] != i:
            for j in group:
                if j >= i:
                    break
                other = norms[j]
                if other != t and (t.startswith(other) or other.startswith(t)):
                    contains_earlier[i] = 1.0
                    break
    return [np.log1p(dup_count), dup_repeat, np.log1p(prefix_group), prefix_repeat, contains_earlier]
