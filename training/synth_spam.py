"""Injected-spam lines built from the spam lexicons: keyword stuffing, casino/contact ads, link farms.

Only the split's half of every lexicon is used, so test pages carry spam terms no training page
contained. Terms from the generic ``ads`` list (招聘, 网络, QQ ...) are not used to build spam
lines: on real pages those words are mostly innocent chrome.
"""

from __future__ import annotations

from . import synth_pools as P
from .synth_util import Ctx

STUFFING_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("porn_sex_services", 3.0),
    ("porn", 2.0),
    ("gambling", 2.0),
    ("drugs", 1.0),
    ("fake_invoice_certificates", 1.5),
    ("fraud_finance_ads", 1.0),
    ("weapons_explosives", 0.6),
)


def _terms(ctx: Ctx, category: str | None = None) -> list[str]:
    spam = ctx.corpora.spam[ctx.split]
    if category is None:
        cats = [c for c, _ in STUFFING_CATEGORIES if spam.get(c)]
        weights = [w for c, w in STUFFING_CATEGORIES if spam.get(c)]
        if not cats:
            return ["spam"]
        category = ctx.rng.choices(cats, weights)[0]
    return spam.get(category) or ["spam"]


def term(ctx: Ctx, category: str | None = None) -> str:
    return ctx.rng.choice(_terms(ctx, category))


def url(ctx: Ctx) -> str:
    urls = ctx.corpora.spam[ctx.split].get("illegal_urls") or []
    dom = ctx.rng.choice(urls) if urls and ctx.chance(0.75) else ctx.domain()
    return ctx.rng.choice(["", "", "http://", "https://", "www."]) + dom if not dom.startswith("www.") else dom


def obfuscate(ctx: Ctx, text: str) -> str:
    """Insert filter-dodging symbols inside a keyword (毛*片, av\u200b女优)."""
    if len(text) < 2:
        return text
    sym = ctx.pick(P.OBFUSCATORS)
    cuts = sorted(ctx.rng.sample(range(1, len(text)), min(len(text) - 1, ctx.randint(1, 2))))
    out, prev = [], 0
    for c in cuts:
        out.append(text[prev:c])
        prev = c
    out.append(text[prev:])
    return sym.join(out)


def brand(ctx: Ctx) -> str:
    if ctx.chance(0.5):
        cands = [t for t in _terms(ctx, "gambling") if 2 <= len(t) <= 10]
        if cands:
            return ctx.rng.choice(cands)
    return ctx.pick(P.CASINO_STEMS) + ctx.pick(P.CASINO_SUFFIX)


def stuffing(ctx: Ctx, k: int | None = None) -> str:
    """Comma/space-joined run of keywords, sometimes mixed with digits/letters and obfuscation."""
    k = k or ctx.randint(3, 12)
    one_cat = ctx.chance(0.5)
    cat = None
    if one_cat:
        cats = [c for c, _ in STUFFING_CATEGORIES if ctx.corpora.spam[ctx.split].get(c)]
        cat = ctx.rng.choice(cats) if cats else None
    words = []
    for _ in range(k):
        w = term(ctx, cat)
        if ctx.chance(0.12):
            w = ctx.pick(P.SPAM_PREFIXES) + w
        if ctx.chance(0.06):
            w = obfuscate(ctx, w)
        if ctx.chance(0.05):
            w = w + str(ctx.randint(1, 9999))
        words.append(w)
    if ctx.chance(0.15):
        words.insert(ctx.randint(0, len(words)), url(ctx))
    if ctx.chance(0.08):
        words.insert(ctx.randint(0, len(words)), "".join(ctx.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(ctx.randint(5, 9))))
    return ctx.pick(P.SPAM_JOINERS).join(words)


def long_stuffing(ctx: Ctx) -> str:
    """A hidden link-farm block: dozens to hundreds of keywords and junk tokens on one line."""
    n = ctx.randint(30, 400)
    parts = []
    for _ in range(n):
        r = ctx.rng.random()
        if r < 0.7:
            parts.append(term(ctx))
        elif r < 0.8:
            parts.append(str(ctx.randint(10000, 99999999999)))
        elif r < 0.9:
            parts.append(brand(ctx))
        else:
            parts.append(ctx.wx())
    return " ".join(parts)


def keyword_block(ctx: Ctx) -> str:
    """A hidden search-keyword block of a hacked page: thousands of headline fragments, names and
    numbers on one line, mostly words no spam lexicon holds (a dev-set page has a 174,000-character
    one); its shape, not its words, gives it away."""
    n = ctx.randint(200, 3000)
    parts = []
    for _ in range(n):
        r = ctx.rng.random()
        if r < 0.75:
            hl = _headline(ctx)
            a = ctx.randint(0, max(0, len(hl) - 2))
            parts.append(hl[a : a + ctx.randint(2, 9)])
        elif r < 0.85:
            parts.append(term(ctx))
        elif r < 0.93:
            parts.append(str(ctx.randint(100, 99999999999)))
        else:
            parts.append(ctx.wx())
    return " ".join(p for p in parts if p.strip())


def ad(ctx: Ctx) -> str:
    return ctx.fill(ctx.pick(P.SPAM_AD_TPL), t=lambda: term(ctx), t2=lambda: term(ctx))


def casino(ctx: Ctx, headline: str | None = None) -> str:
    h = headline or _headline(ctx)
    return ctx.fill(ctx.pick(P.SPAM_CASINO_TPL), b=brand(ctx), url=url(ctx), h=h, n=ctx.rng.choice([18, 28, 38, 58, 88, 100, 188, 388]))


def brand_domain(ctx: Ctx) -> str:
    sep = ctx.rng.choice(["|", "｜", " ", "-", "_", "：", " | "])
    return f"{brand(ctx) if ctx.chance(0.6) else term(ctx)}{sep}{url(ctx)}"


def _headline(ctx: Ctx) -> str:
    hl = ctx.corpora.headlines[ctx.split].get("news") or ctx.corpora.headlines[ctx.split].get("qa") or ["最新消息"]
    return ctx.rng.choice(hl)


def line(ctx: Ctx) -> str:
    """One spam line in a random style."""
    r = ctx.rng.random()
    if r < 0.30:
        return stuffing(ctx)
    if r < 0.42:
        return ad(ctx)
    if r < 0.52:
        return casino(ctx)
    if r < 0.60:
        return brand_domain(ctx)
    if r < 0.65:
        k = ctx.rng.random()
        return long_stuffing(ctx) if k < 0.4 else keyword_block(ctx) if k < 0.6 else stuffing(ctx, ctx.randint(12, 30))
    if r < 0.73:
        return obfuscate(ctx, term(ctx)) + ctx.pick(P.SPAM_JOINERS) + stuffing(ctx, ctx.randint(2, 6))
    if r < 0.85:
        return brand(ctx) + ctx.rng.choice(["", "", "app下载", "官网", "网址", "登录", "入口"])
    return url(ctx) if ctx.chance(0.4) else term(ctx)


def friend_link(ctx: Ctx) -> str:
    """A single spam entry hidden among friend links (必威体育)."""
    r = ctx.rng.random()
    if r < 0.55:
        return brand(ctx)
    if r < 0.8:
        return term(ctx)
    return url(ctx)


def comment_body(ctx: Ctx) -> list[str]:
    """Comment spam: product keywords, URLs, emoticons."""
    r = ctx.rng.random()
    if r < 0.35:
        return [ctx.pick(P.PRODUCT_SPAM), ctx.pick(P.EMOTICONS)]
    if r < 0.6:
        return [ctx.pick(P.EMOTICONS), url(ctx)]
    if r < 0.8:
        return [term(ctx) + ctx.rng.choice(["", " ", "，"]) + url(ctx)]
    return [ad(ctx)]
