"""Synthetic labelled web pages for training the paragraph classifier, from real clean prose.

Real pages are the evaluation target, and labelled real pages are scarce, so training data is
made by wrapping real prose (news, encyclopedia, law, fiction, Q&A, reviews, tutorials, poetry)
in generated site templates: navigation, bylines, widgets, related lists, comments, footers
(``chrome``), injected keyword stuffing and contact ads from the spam lexicons (``spam``) and
passages pasted from unrelated documents (``off_topic``). Variety of templates matters more than
anything, so every document draws its own site style and every wording comes from a pool.

Held-out evaluation: source documents and lexicon terms are split by a stable hash of their id
or text, and every phrase/template pool keeps some variants for the test split only, so
``split="test"`` pages share no prose, no spam term and no template wording with training pages.

Determinism: a document is a pure function of (seed, split, index); all randomness comes from
``random.Random`` instances seeded with strings (hashed with SHA-512, independent of
``PYTHONHASHSEED``), never the global generator.
"""

from __future__ import annotations

import copy
import random
from functools import lru_cache
import opencc

from . import synth_pools as P
from . import synth_spam as S
from .synth_body import POST_SOURCES, Body, build_body, off_topic_passages
from .synth_chrome import (
    SiteStyle,
    blk_comments,
    blk_links,
    blk_related,
    blk_widgets,
    byline_lines,
    inner_chrome,
    make_style,
    run_blocks,
    title_copies,
)
from .synth_corpus import Corpora, SourceDoc, load_corpora
from .synth_util import Ctx, clean_line, random_date

__all__ = ["Corpora", "load_corpora", "synthesize", "inject_noise", "spam_terms", "LABELS"]

LABELS: tuple[str, ...] = ("content", "chrome", "spam", "off_topic")
N_STYLES = 500
"""Site styles per (seed, split); documents pick one, so several pages share a template."""
SPAM_RATE = 0.40
NO_CONTENT_RATE = 0.01
OFF_TOPIC_RATE = 0.37

GENRE_AFFINITY: dict[str, dict[str, float]] = {
    "portal": {"news": 6, "digest": 0.8, "qa": 0.5, "encyclopedia": 0.5, "law": 0.5, "technical": 0.4, "fiction": 0.4, "review": 0.3, "poetry": 0.2, "classical": 0.1},
    "gov": {"law": 5, "news": 3, "digest": 0.5},
    "blog": {"news": 2, "post": 1.2, "fiction": 1.5, "technical": 1.2, "review": 0.8, "poetry": 0.8, "classical": 0.4, "encyclopedia": 0.5, "qa": 0.4},
    "forum": {"news": 2, "post": 2.5, "qa": 1.5, "review": 1.5, "fiction": 0.8, "technical": 0.8},
    "edu": {"news": 3, "law": 1.5, "encyclopedia": 1.5, "classical": 0.8, "poetry": 0.8},
    "tech": {"technical": 5, "news": 2, "digest": 0.5},
    "qa": {"qa": 8, "encyclopedia": 1},
    "novel": {"fiction": 6, "classical": 1, "poetry": 1},
    "wiki": {"encyclopedia": 6, "classical": 0.5, "poetry": 1},
    "shop": {"review": 6, "qa": 1},
    "bare": {"news": 3, "post": 0.4, "fiction": 1, "law": 1, "encyclopedia": 1, "technical": 1, "poetry": 0.5, "review": 0.5, "qa": 0.5},
}
SPAM_PLACES: tuple[tuple[str, float], ...] = (
    ("top", 0.36), ("bottom", 0.2), ("mid", 0.12), ("related", 0.1), ("links", 0.08), ("comments", 0.07), ("footer", 0.07),
)


@lru_cache(maxsize=2)
def _cc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _convert(texts: list[str], config: str) -> list[str]:
    """Convert many single-line strings with one OpenCC call."""
    if not texts:
        return []
    out = _cc(config).convert("\n".join(texts)).split("\n")
    return out if len(out) == len(texts) else [_cc(config).convert(t) for t in texts]


def _check_split(split: str) -> None:
    if split not in P.SPLITS:
        raise ValueError(f"split must be one of {P.SPLITS}, got {split!r}")


def spam_terms(corpora: Corpora, split: str | None = None) -> dict[str, list[str]]:
    """Spam lexicon terms by category (file stem), for the classifier's lexicon feature.

    ``split=None`` gives every term; ``"train"``/``"test"`` gives that hash half, so a model whose
    lexicon holds only train terms can be measured on pages spammed with unseen test terms.
    """
    if split is None:
        return {cat: list(terms) for cat, terms in corpora.spam_all.items()}
    _check_split(split)
    return {cat: list(terms) for cat, terms in corpora.spam[split].items()}


# ---------------------------------------------------------------------------------------------
# One synthetic page
# ---------------------------------------------------------------------------------------------

def _pick_genre(ctx: Ctx, style: SiteStyle) -> str:
    available = set(ctx.corpora.genres(ctx.split))
    if available & {"news", "qa"}:
        available.add("digest")
    if available & {"review", "qa"}:
        available.add("post")
    aff = {g: w for g, w in GENRE_AFFINITY[style.family].items() if g in available}
    if ctx.chance(0.12) or not aff:  # any genre on any site, for variety
        aff = {g: 1.0 for g in sorted(available)}
        aff.pop("digest", None)
        aff.pop("post", None)
        if not aff:
            raise ValueError(f"no source documents for split {ctx.split!r}")
    genres = list(aff)
    return ctx.rng.choices(genres, [aff[g] for g in genres])[0]


def _pick_doc(ctx: Ctx, genre: str, want_script: str) -> SourceDoc | None:
    if genre == "digest":
        return None
    if genre == "post":
        docs = ctx.corpora.docs[ctx.split]
        genre = ctx.rng.choice([g for g in POST_SOURCES if docs.get(g)])
    docs = ctx.corpora.docs[ctx.split][genre]
    doc = ctx.rng.choice(docs)
    if genre in ("encyclopedia", "poetry", "classical"):
        for _ in range(4):  # prefer a source already in the page's script
            if doc.script in (want_script, "unknown"):
                break
            doc = ctx.rng.choice(docs)
    return doc


def _body_lines(ctx: Ctx, body: Body, style: SiteStyle) -> tuple[list[tuple[str, str]], int, int]:
    """Title, subtitle, byline, widgets, in-article lines and paragraphs; returns lines and body span."""
    out: list[tuple[str, str]] = []
    chrome_on = style.density > 0
    byline = byline_lines(ctx) if chrome_on and ctx.chance(style.byline["p"]) else []
    if chrome_on:
        out += title_copies(ctx, before=True)
        if style.byline["before_title"]:
            out += byline
            byline = []
    if body.title:
        out.append((body.title, "content"))
    sub = [x for x in body.head if x[0].startswith("——")]
    rest = [x for x in body.head if not x[0].startswith("——")]
    out += sub
    if chrome_on and ctx.chance(0.5):
        out += title_copies(ctx, before=False)
    out += byline
    if chrome_on and ctx.chance(0.7):
        out += blk_widgets(ctx)
    out += rest
    start = len(out)
    paras = list(body.paras)
    if chrome_on and style.extras["inner_widgets"] and len(paras) > 2:
        for _ in range(ctx.randint(1, 3)):
            i = ctx.randint(1, len(paras) - 1)
            paras[i:i] = inner_chrome(ctx)
    out += paras
    out += body.tail
    return out, start, len(out)


def _insert_off_topic(ctx: Ctx, lines: list[tuple[str, str]], start: int, end: int, body: Body, traditional: bool) -> int:
    """Paste 1-3 passages of another genre between content paragraphs (rarely right after the
    article, as scraper sites do); returns how many lines were added."""
    k = ctx.rng.choices([1, 2, 3], [0.5, 0.35, 0.15])[0]
    passages = off_topic_passages(ctx, body.genre, body.category, body.source_id, k)
    if not passages:
        return 0
    if not traditional:
        passages = [p if not _looks_traditional(p) or ctx.chance(0.2) else _convert([p], "t2s")[0] for p in passages]
    gaps = [i for i in range(start + 1, end) if lines[i - 1][1] == "content" and lines[i][1] == "content"]
    after_body = not gaps or ctx.chance(0.12)
    if after_body:
        pos = end
        if ctx.chance(0.4):
            h = [t for t in ctx.corpora.headlines[ctx.split].get("news", []) if len(t) >= 20]
            if h:
                passages = [ctx.rng.choice(h)] + passages
        lines[pos:pos] = [(p, "off_topic") for p in passages]
        return len(passages)
    if len(passages) > 1 and ctx.chance(0.35) and len(gaps) > 1:  # two separate insertions
        g1, g2 = sorted(ctx.rng.sample(gaps, 2))
        lines[g2:g2] = [(p, "off_topic") for p in passages[1:]]
        lines[g1:g1] = [(passages[0], "off_topic")]
    else:
        g = ctx.rng.choice(gaps)
        lines[g:g] = [(p, "off_topic") for p in passages]
    return len(passages)


_TRAD_MARKERS = frozenset("們這個來時為說國會對發經過動後與當頁麼裡將體關點開從見實問學長門車東")


def _looks_traditional(text: str) -> bool:
    return any(ch in _TRAD_MARKERS for ch in text)


def _spam_lines(ctx: Ctx, n: int) -> list[tuple[str, str]]:
    return [(S.line(ctx), "spam") for _ in range(n)]


def _make_doc(corpora: Corpora, split: str, seed: int, index: int, styles: dict[int, SiteStyle]) -> dict:
    rng = random.Random(f"jingwen-synth|{seed}|{split}|{index}")
    k = rng.randrange(N_STYLES)
    style = styles.get(k)
    if style is None:
        style = styles[k] = make_style(random.Random(f"jingwen-style|{seed}|{split}|{k}"), split, corpora, f"{seed}-{k}")
    ctx = Ctx(rng=rng, split=split, corpora=corpora, style=style, date=random_date(rng))
    traditional = ctx.chance(style.trad_prob)
    script = "traditional" if traditional else "simplified"
    genre = _pick_genre(ctx, style)
    doc = _pick_doc(ctx, genre, script)
    body = build_body(ctx, genre, doc)
    if not traditional and doc is not None and doc.script == "traditional" and ctx.chance(0.85):
        conv = _convert([body.title or ""] + [t for t, _ in body.head + body.paras + body.tail], "t2s")
        body.title = conv[0] or None
        it = iter(conv[1:])
        body.head = [(next(it), lab) for _, lab in body.head]
        body.paras = [(next(it), lab) for _, lab in body.paras]
        body.tail = [(next(it), lab) for _, lab in body.tail]
    ctx.title = body.title or ""
    first = next((t for t, lab in body.paras if lab == "content"), "")
    ctx.flags["ref_title"] = first[:16] + ("..." if len(first) > 16 else "") if first else ""
    ctx.genre = genre
    ctx.category = body.category

    # Spam plan: where injected lines go; list/link/comment placements ride on those blocks.
    places: list[str] = []
    if ctx.chance(SPAM_RATE):
        names = [p for p, _ in SPAM_PLACES]
        places = [ctx.rng.choices(names, [w for _, w in SPAM_PLACES])[0] for _ in range(ctx.rng.choice([1, 1, 1, 2]))]
    chrome_on = style.density > 0
    post = list(style.post) if chrome_on else []
    footer = list(style.footer) if chrome_on else []
    sidebar = list(style.sidebar) if chrome_on else []
    ctx.flags["spam_related"] = "related" in places
    ctx.flags["spam_links"] = "links" in places
    ctx.flags["spam_comments"] = "comments" in places

    lines: list[tuple[str, str]] = []
    if chrome_on:
        lines += run_blocks(ctx, style.header)
        if style.sidebar_pos == "top":
            lines += run_blocks(ctx, sidebar)
    if chrome_on and ctx.chance(NO_CONTENT_RATE):  # the article is loaded by script: template only
        body = Body(title=None, genre=body.genre)
    article, b_start, b_end = _body_lines(ctx, body, style)
    offset = len(lines)
    lines += article
    b_start, b_end = b_start + offset, b_end + offset

    post_lines: list[tuple[str, str]] = []
    if chrome_on:
        post_lines += run_blocks(ctx, post)
        if ctx.chance(0.3):
            post_lines[ctx.randint(0, len(post_lines)):0] = title_copies(ctx, before=False)
        if style.extras["dup_body"] and body.paras:  # an alternate template's second copy of the article
            post_lines += [(t, "chrome") for t in ([body.title] if body.title else []) + [t for t, lab in body.paras[:3] if lab == "content"]]
        if style.sidebar_pos != "top":
            post_lines += run_blocks(ctx, sidebar)
    # Spam riding on blocks the page might not have: add the block for this page.
    if ctx.flags["spam_related"] and not ctx.flags.get("spam_related_done"):
        post_lines += blk_related(ctx, second=True)
    if ctx.flags["spam_comments"] and not ctx.flags.get("spam_comments_done"):
        ctx.flags["spam_comments_force"] = True
        for _ in range(3):
            post_lines += blk_comments(ctx)
            if ctx.flags.get("spam_comments_done"):
                break
    footer_lines = run_blocks(ctx, footer) if chrome_on else []
    if ctx.flags["spam_links"] and not ctx.flags.get("spam_links_done"):
        footer_lines = blk_links(ctx) + footer_lines
    lines += post_lines
    lines += footer_lines

    if ctx.chance(OFF_TOPIC_RATE) and any(lab == "content" for _, lab in lines):
        _insert_off_topic(ctx, lines, b_start, b_end, body, traditional)

    # Plain spam placements (and fall-backs for list placements that found no slot).
    for place in places:
        if place == "related" and ctx.flags.get("spam_related_done") or place == "links" and ctx.flags.get("spam_links_done") \
                or place == "comments" and ctx.flags.get("spam_comments_done"):
            continue
        n = 1 if ctx.chance(0.7) else ctx.randint(2, 4)
        spam = _spam_lines(ctx, n)
        if place == "mid":
            content_idx = [i for i, (_, lab) in enumerate(lines) if lab == "content"]
            pos = ctx.rng.choice(content_idx[1:]) if len(content_idx) > 1 else len(lines) // 2
        elif place == "bottom":
            pos = len(lines) - (ctx.randint(0, min(3, len(lines))) if ctx.chance(0.4) else 0)
        elif place == "footer":
            pos = len(lines) - min(len(footer_lines), ctx.randint(0, 2))
        else:
            pos = 0 if ctx.chance(0.85) else ctx.randint(0, min(3, len(lines)))
        lines[pos:pos] = spam

    return _finish(ctx, lines, traditional, f"synth-{split}-{seed}-{index:06d}", style.id, genre)


def _finish(ctx: Ctx, lines: list[tuple[str, str]], traditional: bool, doc_id: str, site: str, genre: str) -> dict:
    """Convert script, enforce single non-blank lines, build the labelled dict."""
    if traditional:
        keep_simplified = [lab == "spam" and ctx.chance(0.6) for _, lab in lines]
        idx = [i for i, keep in enumerate(keep_simplified) if not keep]
        conv = _convert([lines[i][0] for i in idx], "s2t")
        for i, t in zip(idx, conv):
            lines[i] = (t, lines[i][1])
    paragraphs = []
    for text, label in lines:
        text = clean_line(text)
        if text:
            paragraphs.append({"text": text, "label": label})
    return {
        "id": doc_id,
        "source": "synthetic",
        "site": site,
        "script": "traditional" if traditional else "simplified",
        "genre": genre,
        "paragraphs": paragraphs,
    }


def synthesize(corpora: Corpora, n_docs: int, seed: int, split: str = "train") -> list[dict]:
    """``n_docs`` labelled synthetic pages; document ``i`` depends only on (seed, split, i)."""
    _check_split(split)
    styles: dict[int, SiteStyle] = {}
    return [_make_doc(corpora, split, seed, i, styles) for i in range(n_docs)]


# ---------------------------------------------------------------------------------------------
# Noise for real pages
# ---------------------------------------------------------------------------------------------

def inject_noise(doc: dict, corpora: Corpora, seed: int, split: str = "test", spam: bool = True, off_topic: bool = True) -> dict:
    """A copy of a labelled page with spam lines and off-topic passages added, labelled.

    Real labelled pages have almost no spam or off-topic text; this measures their removal in
    realistic surroundings. Original paragraphs are kept, in order; uses the test halves of the
    lexicons and corpora by default so nothing seen in training is injected.
    """
    _check_split(split)
    rng = random.Random(f"jingwen-noise|{seed}|{split}|{doc.get('id', '')}")
    ctx = Ctx(rng=rng, split=split, corpora=corpora, style=None, date=random_date(rng))
    traditional = doc.get("script") == "traditional"
    out = [dict(p) for p in doc.get("paragraphs", [])]

    if off_topic:
        content = [i for i, p in enumerate(out) if p["label"] == "content"]
        if len(content) >= 2:
            gaps = [i for i in range(1, len(out)) if out[i - 1]["label"] == "content" and out[i]["label"] == "content"]
            good = [g for g in gaps if len(out[g - 1]["text"]) >= 15 and len(out[g]["text"]) >= 15]
            if not gaps:  # content paragraphs never adjacent: go right after one followed by more content
                gaps = [i + 1 for i in content[:-1]]
            pos = rng.choice(good or gaps)
            k = rng.choice([1, 1, 2])
            passages = off_topic_passages(ctx, str(doc.get("genre", "")), "", "", k)
            if traditional:
                passages = _convert(passages, "s2t")
            new = [{"text": clean_line(t), "label": "off_topic"} for t in passages if clean_line(t)]
            out[pos:pos] = new

    if spam:
        for _ in range(rng.choice([1, 1, 2, 3])):
            text = S.line(ctx)
            if traditional and ctx.chance(0.4):
                text = _convert([text], "s2t")[0]
            text = clean_line(text)
            if not text:
                continue
            r = rng.random()
            pos = 0 if r < 0.45 else len(out) if r < 0.75 else rng.randint(0, len(out))
            out.insert(pos, {"text": text, "label": "spam"})

    result = copy.deepcopy({k: v for k, v in doc.items() if k != "paragraphs"})
    result["paragraphs"] = out
    return result


def main(argv: list[str] | None = None) -> None:
    """``python -m training.synth --corpora DIR --n N --seed S --split train --out docs.jsonl``"""
    import argparse
    import json
    from pathlib import Path

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--corpora", type=Path, required=True)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--split", choices=P.SPLITS, default="train")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    docs = synthesize(load_corpora(args.corpora), args.n, args.seed, args.split)
    with args.out.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
