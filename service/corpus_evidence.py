"""Corpus-level evidence: a line that many documents of one site share is template or injection.

A single page cannot tell a site's template line from article text when the line reads like prose
(a disclaimer, an injected promotion written as a sentence). Across a site's pages it can: the
article changes from page to page, the template does not. This module counts *normalised* lines
(:func:`service.normalize.normalize_many` over :func:`service.segment.segment`, exactly what the
model sees) per site, document frequency only (a line repeated inside one page counts once), and
turns the result into a documented override of the model's verdict:

    A paragraph the model labelled ``content`` whose normalised text occurs in at least
    ``min_docs`` documents (default 3) **and** in at least ``min_share`` of the documents
    (default 30 %) of the same site is relabelled ``chrome`` -- or ``spam`` when the model's
    ``spam`` score is the highest of its non-content scores. ``first_pass`` and the scores stay
    the model's; the paragraph gains ``"override": "site_repeat"``.

    Guard: when the repeated lines would take away more than ``max_doc_share`` (default 50 %) of a
    document's content characters, the document is left as the model labelled it. That page is a
    near-duplicate of other pages of its site (a reposted article, a print view) -- a job for
    deduplication, not for a cleaner that would otherwise delete its whole body.

Everything here is a plain function or a small value object, usable from Python and by the batch
runner (which counts 64-bit line keys instead of strings to bound memory on large corpora).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .normalize import normalize_many
from .records import CleanResult, ParagraphResult
from .segment import segment
from .settings import KEEP_DEFAULT, LABELS

SITE_REPEAT_MIN_DOCS = 3
"""A line must occur in at least this many documents of a site to count as repeated."""
SITE_REPEAT_MIN_SHARE = 0.3
"""... and in at least this share of the site's documents."""
SITE_REPEAT_MAX_DOC_SHARE = 0.5
"""No override in a document when repeated lines would remove more than this share of its content characters."""
OVERRIDE_SITE_REPEAT = "site_repeat"
"""The ``override`` value recorded on a relabelled paragraph."""


@dataclass(frozen=True)
class SiteRepeatParams:
    """The thresholds of the site-repeat override, in one object the runner can record."""

    min_docs: int = SITE_REPEAT_MIN_DOCS
    min_share: float = SITE_REPEAT_MIN_SHARE
    max_doc_share: float = SITE_REPEAT_MAX_DOC_SHARE

    def __post_init__(self) -> None:
        if self.min_docs < 2:
            raise ValueError("min_docs must be at least 2: a line in one document is not a repeat")
        if not 0.0 <= self.min_share <= 1.0 or not 0.0 <= self.max_doc_share <= 1.0:
            raise ValueError("min_share and max_doc_share are fractions in [0, 1]")

    def to_dict(self) -> dict[str, object]:
        return {"min_docs": self.min_docs, "min_share": self.min_share, "max_doc_share": self.max_doc_share}


@dataclass(slots=True)
class OverriddenParagraph(ParagraphResult):
    """A paragraph whose model verdict was replaced by corpus evidence; ``override`` says which."""

    override: str = OVERRIDE_SITE_REPEAT

    def to_dict(self) -> dict[str, object]:
        out = ParagraphResult.to_dict(self)
        out["override"] = self.override
        return out


# -- site keys and line keys ------------------------------------------------------------------------


def site_key(value: object) -> str | None:
    """The site a document belongs to: a URL's host (lower case, no port, no ``www.``), else the value.

    ``None`` or an empty value means "no site": such documents contribute no evidence and get none.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if "://" in text or text.startswith("//"):
        try:
            host = urlsplit(text if "://" in text else "http:" + text).hostname
        except ValueError:
            host = None
        if host:
            return host[4:] if host.startswith("www.") else host
    return text.lower()


def line_key(norm: str) -> int:
    """A stable 64-bit key for a normalised line (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def document_lines(texts: Sequence[str]) -> list[list[str]]:
    """The normalised lines of each text, in order: what the classifier sees for each paragraph."""
    raw = [[t[s:e] for s, e in segment(t)] for t in texts]
    flat = normalize_many([line for lines in raw for line in lines])
    out: list[list[str]] = []
    pos = 0
    for lines in raw:
        out.append(flat[pos : pos + len(lines)])
        pos += len(lines)
    return out


# -- counting ---------------------------------------------------------------------------------------


class SiteLineCounter:
    """Document frequency of lines per site; keys are any hashable (strings in Python, 64-bit ints in batch).

    ``add`` one document at a time (or ``merge`` counters built elsewhere, e.g. one per worker),
    then ``repeated`` gives, per site, the keys that pass the thresholds.
    """

    def __init__(self) -> None:
        self.docs: Counter[str] = Counter()
        self.lines: dict[str, Counter[Hashable]] = defaultdict(Counter)

    def add(self, site: str | None, keys: Iterable[Hashable]) -> None:
        if site is None:
            return
        self.docs[site] += 1
        self.lines[site].update(set(keys))

    def merge(self, other: "SiteLineCounter") -> None:
        self.docs.update(other.docs)
        for site, counts in other.lines.items():
            self.lines[site].update(counts)

    def repeated(self, params: SiteRepeatParams = SiteRepeatParams()) -> dict[str, frozenset[Hashable]]:
        """Per site with at least one repeated line: the lines in >= min_docs and >= min_share of its documents."""
        out: dict[str, frozenset[Hashable]] = {}
        for site, n_docs in self.docs.items():
            need = max(params.min_docs, params.min_share * n_docs)
            keys = frozenset(k for k, c in self.lines[site].items() if c >= need)
            if keys:
                out[site] = keys
        return out


def repeated_lines(
    texts: Sequence[str],
    sites: Sequence[object],
    params: SiteRepeatParams = SiteRepeatParams(),
    norms: Sequence[Sequence[str]] | None = None,
) -> list[frozenset[str]]:
    """For each document, the normalised lines it shares with enough other documents of its site.

    ``sites[i]`` is the site of ``texts[i]`` (a host, a URL whose host is used, or ``None``).
    Pure: the answer depends only on the arguments. ``norms`` may pass precomputed
    :func:`document_lines` to avoid normalising twice.
    """
    if len(texts) != len(sites):
        raise ValueError(f"{len(texts)} texts but {len(sites)} site keys")
    norms = document_lines(texts) if norms is None else norms
    keys = [site_key(s) for s in sites]
    counter = SiteLineCounter()
    for site, lines in zip(keys, norms):
        counter.add(site, lines)
    table = counter.repeated(params)
    empty: frozenset[str] = frozenset()
    return [frozenset(set(lines) & table[site]) if site in table else empty for site, lines in zip(keys, norms)]  # type: ignore[arg-type]


# -- the override -----------------------------------------------------------------------------------


def _relabel(p: ParagraphResult) -> str:
    """``spam`` when the model's spam score is the highest of its non-content scores, else ``chrome``."""
    others = [p.scores.get(lab, 0.0) for lab in LABELS if lab != "content"]
    return "spam" if p.scores.get("spam", 0.0) >= max(others) else "chrome"


def apply_site_repeats(
    result: CleanResult,
    norms: Sequence[str],
    repeated: Collection[Hashable],
    keep: Sequence[str] = KEEP_DEFAULT,
    params: SiteRepeatParams = SiteRepeatParams(),
    key: Callable[[str], Hashable] | None = None,
) -> CleanResult:
    """``result`` with the site-repeat override applied (see the module docstring); the input is not changed.

    ``norms[i]`` is the normalised text of ``result.paragraphs[i]``; a paragraph is repeated when
    ``key(norms[i]) in repeated`` (``key`` defaults to the identity, so ``repeated`` may be a set of
    normalised lines from :func:`repeated_lines`).
    """
    if not repeated or not result.paragraphs:
        return result
    if len(norms) != len(result.paragraphs):
        raise ValueError(f"{len(norms)} normalised lines for {len(result.paragraphs)} paragraphs")
    hits = [
        i
        for i, (p, n) in enumerate(zip(result.paragraphs, norms))
        if p.label == "content" and (key(n) if key else n) in repeated
    ]
    if not hits:
        return result
    content_chars = sum(p.end - p.start for p in result.paragraphs if p.label == "content")
    hit_chars = sum(result.paragraphs[i].end - result.paragraphs[i].start for i in hits)
    if content_chars and hit_chars > params.max_doc_share * content_chars:
        return result
    paragraphs = list(result.paragraphs)
    for i in hits:
        p = paragraphs[i]
        label = _relabel(p)
        paragraphs[i] = OverriddenParagraph(
            start=p.start, end=p.end, label=label, scores=p.scores, first_pass=p.first_pass, kept=label in keep,
            override=OVERRIDE_SITE_REPEAT,
        )
    text = _rebuild_text(result, paragraphs)
    removed: dict[str, int] = {}
    for p in paragraphs:
        if not p.kept:
            removed[p.label] = removed.get(p.label, 0) + 1
    return CleanResult(text=text, paragraphs=paragraphs, id=result.id, chars_in=result.chars_in, removed=removed)


def _rebuild_text(result: CleanResult, paragraphs: Sequence[ParagraphResult]) -> str:
    """The kept paragraphs joined by newlines, re-read from the cleaned text (the source is not at hand).

    The cleaned text is the kept paragraphs of ``result`` joined by ``\\n``, in order, so each kept
    paragraph's characters are recovered from it by length.
    """
    pieces: list[str] = []
    pos = 0
    for old, new in zip(result.paragraphs, paragraphs):
        if not old.kept:
            continue
        n = old.end - old.start
        piece = result.text[pos : pos + n]
        pos += n + 1
        if new.kept:
            pieces.append(piece)
    return "\n".join(pieces)


def clean_with_site_evidence(
    cleaner: object,
    texts: Sequence[str],
    sites: Sequence[object],
    params: SiteRepeatParams = SiteRepeatParams(),
    keep: Sequence[str] | None = None,
    ids: Sequence[object] | None = None,
) -> list[CleanResult]:
    """Clean ``texts`` with ``cleaner`` (a :class:`service.Cleaner`) and the site-repeat override.

    The documents passed are the whole evidence: pass all pages of a site together.
    """
    keep_labels = tuple(keep) if keep is not None else cleaner.keep  # type: ignore[attr-defined]
    norms = document_lines(texts)
    repeats = repeated_lines(texts, sites, params, norms=norms)
    results = cleaner.clean_many(texts, keep=keep_labels, ids=ids)  # type: ignore[attr-defined]
    return [apply_site_repeats(r, n, rep, keep_labels, params) for r, n, rep in zip(results, norms, repeats)]


def repeats_table_to_json(table: Mapping[str, Collection[int]]) -> dict[str, list[str]]:
    """A batch run's ``{site: {64-bit key}}`` table as JSON-safe hex strings (sorted, for stable files)."""
    return {site: sorted(f"{k:016x}" for k in keys) for site, keys in sorted(table.items())}


def repeats_table_from_json(data: Mapping[str, Sequence[str]]) -> dict[str, frozenset[int]]:
    return {site: frozenset(int(k, 16) for k in keys) for site, keys in data.items()}
