"""Site styles and the chrome blocks a site template prints around an article.

A :class:`SiteStyle` is drawn once per synthetic "site" and fixes its template: which blocks it
prints and in what order, its navigation items, separators, date format, byline layout, footer,
comment layout and how much of it there is (from nothing to ~90% of the lines). Block functions
return ``(text, label)`` pairs; almost all are ``chrome``, but related lists, friend links and
comment sections can carry injected ``spam`` when the document's spam plan asks for it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rjieba

from . import synth_pools as P
from . import synth_spam as S
from .synth_util import DATE_FORMATS, Ctx, fmt_date

Line = tuple[str, str]
CH = "chrome"

FAMILIES: tuple[tuple[str, float], ...] = (
    ("portal", 0.24), ("gov", 0.12), ("blog", 0.13), ("forum", 0.07), ("edu", 0.06), ("tech", 0.08),
    ("qa", 0.07), ("novel", 0.05), ("wiki", 0.07), ("shop", 0.05), ("bare", 0.06),
)
HEADLINE_KINDS: dict[str, list[str]] = {
    "portal": ["news", "news", "lead", "qa"], "gov": ["law", "news", "law"], "blog": ["news", "lead", "technical", "novel"],
    "forum": ["news", "qa", "lead"], "edu": ["news", "law", "encyclopedia"], "tech": ["technical", "news", "lead"],
    "qa": ["qa"], "novel": ["novel"], "wiki": ["encyclopedia"], "shop": ["qa", "news"], "bare": ["news", "lead"],
}
HEADER_BLOCKS = ("site_header", "login", "nav", "subnav", "ads", "crumb", "app_promo", "hot_top")
POST_BLOCKS = ("source_note", "disclaimer", "share", "tags", "prevnext", "download", "related", "value",
               "comments", "comment_form", "related2", "app_promo", "template_ads", "author_card", "spacer")
SIDEBAR_BLOCKS = ("profile", "calendar", "archive", "categories", "hot_list", "recent_comments", "links")
FOOTER_BLOCKS = ("footer_links", "copyright", "icp", "contact", "powered", "spacer")


@dataclass
class SiteStyle:
    """The template of one synthetic site; documents of the same site share it."""

    id: str
    family: str
    name: str
    domain: str
    trad_prob: float
    density: int
    date_fmt: Callable[[Any], str]
    nav_items: list[str]
    nav_layout: str
    nav_sep: str
    header: list[str]
    post: list[str]
    sidebar: list[str]
    sidebar_pos: str
    footer: list[str]
    footer_links: list[str]
    footer_sep: str
    footer_layout: str
    crumb: dict[str, Any]
    byline: dict[str, Any]
    widgets: list[str]
    related_heading: str
    related_tpl: str
    related_n: tuple[int, int]
    comment_style: int
    title_copy_before: float
    title_copy_after: float
    title_suffix: str
    headline_kinds: list[str]
    block_p: float
    extras: dict[str, Any] = field(default_factory=dict)


RELATED_ITEM_TPL = P.pool(
    "related_item_tpl",
    ["{h}", "· {h}", "·{h}", "• {h}", "- {h}", "v {h}", "◆{h}", "> {h}", "【{cat}】{h}", "[{cat}] {h}", "{i}. {h}",
     "{i}、{h}", "{i}{h}", "{h} ({n})", "{h}({n})", "{h} {date}", "{h}（{date}）", "{h}{date}", "{h}阅读： {n}",
     "{h}\n{date}", "{date}\n{h}", "{h}\n{summary}\n{date}", "{i}. {h}({n})", "· {h} {date}", "{h}\n{media}",
     "{h}\n{ago} {cat}", "原文：{h}", "■ {h}", "{h}\n{summary}", "---{h}", "· {h}（{date}）", "{h} [{date}]",
     "{i}.{h}", "○ {h}", "{h}\n{n}\n{k}\n{n}", "{date} {h}", "[{date}] {h}", "{h} 阅读({n})", "{h}\n{summary}\n{n} 评论"],
)


def make_style(rng: random.Random, split: str, corpora: Any, key: str) -> SiteStyle:
    """Draw a site template; ``rng`` is dedicated to this style so documents of a site agree."""
    ctx = Ctx(rng=rng, split=split, corpora=corpora)
    family = rng.choices([f for f, _ in FAMILIES], [w for _, w in FAMILIES])[0]
    topic = ctx.pick(P.SITE_TOPICS)
    r = rng.random()
    if r < 0.3:
        name = ctx.pick(P.CITIES) + topic + ctx.pick(P.SITE_SUFFIX)
    elif r < 0.5:
        name = "中国" + topic + ctx.pick(P.SITE_SUFFIX)
    elif r < 0.7:
        name = ctx.pick(P.PROVINCES) + topic + "网"
    elif r < 0.85:
        name = ctx.pick(P.USER_ADJ) + topic + ctx.pick(P.SITE_SUFFIX)
    else:
        name = ctx.pick(P.CITIES) + ctx.pick(P.ORG_UNITS) if family == "gov" else ctx.name() + "的博客"
    if family == "gov" and rng.random() < 0.7:
        name = ctx.pick(P.CITIES) + "市" + ctx.pick(P.ORG_UNITS)
    domain = ctx.domain()
    if family == "gov":
        domain = domain.rsplit(".", 1)[0].split(".")[-1] + ".gov.cn"
    density = rng.choices([0, 1, 2, 3], [0.07, 0.38, 0.38, 0.17])[0]
    if family == "bare":
        density = rng.choice([0, 0, 1])
    block_p = [0.0, 0.28, 0.45, 0.7][density]
    nav_pool = P.NAV_POOLS.get(family, P.NAV_PORTAL)
    nav_n = rng.randint(4, [6, 10, 18, 35][density])
    nav_items = nav_pool.sample(rng, split, min(nav_n, len(nav_pool.of(split)))) if nav_pool.of(split) else []
    if rng.random() < 0.3:
        nav_items = [w for w in nav_items] + P.NAV_PORTAL.sample(rng, split, rng.randint(2, 10))
    if rng.random() < 0.1:
        en = P.NAV_EN.sample(rng, split, rng.randint(3, 8))
        nav_items = [x for pair in zip(nav_items, en) for x in pair] + nav_items[len(en):] if rng.random() < 0.5 else nav_items + en
    header = [b for b in HEADER_BLOCKS if rng.random() < block_p]
    if "nav" not in header and density >= 2 and rng.random() < 0.8:
        header.append("nav")
    if rng.random() < 0.3:
        rng.shuffle(header)
    else:
        header.sort(key=lambda b: HEADER_BLOCKS.index(b) + rng.random() * 2)
    post = [b for b in POST_BLOCKS if rng.random() < block_p * 0.6]
    if family in ("forum", "blog") and density and "comments" not in post and rng.random() < 0.7:
        post.append("comments")  # threads and blogs nearly always show replies
    post.sort(key=lambda b: POST_BLOCKS.index(b) + rng.random() * 4)
    sidebar = [b for b in SIDEBAR_BLOCKS if rng.random() < block_p * (0.5 if family in ("blog", "forum") else 0.15)]
    footer = [b for b in FOOTER_BLOCKS if rng.random() < block_p + 0.1]
    footer.sort(key=lambda b: FOOTER_BLOCKS.index(b) + rng.random() * 2)
    crumb_secs = P.CRUMB_SECTIONS.sample(rng, split, rng.randint(1, 3))
    byline_fields = [f for f in ("date", "source", "author", "editor", "views", "comments") if rng.random() < 0.5]
    if "date" not in byline_fields and rng.random() < 0.8:
        byline_fields.insert(0, "date")
    if rng.random() < 0.5:
        rng.shuffle(byline_fields)
    style = SiteStyle(
        id=f"{'t' if split == 'test' else 's'}-{family}-{key}",
        family=family,
        name=name,
        domain=domain,
        trad_prob=0.9 if rng.random() < 0.36 else 0.03,
        density=density,
        date_fmt=DATE_FORMATS.pick(rng, split),
        nav_items=nav_items,
        nav_layout=rng.choices(["lines", "joined", "rows", "trailing", "described"], [0.43, 0.24, 0.19, 0.09, 0.05])[0],
        nav_sep=P.NAV_SEPS.pick(rng, split),
        header=header,
        post=post,
        sidebar=sidebar,
        sidebar_pos=rng.choice(["top", "bottom", "bottom", "before_footer"]),
        footer=footer,
        footer_links=P.FOOTER_LINKS.sample(rng, split, rng.randint(3, 12)),
        footer_sep=P.NAV_SEPS.pick(rng, split),
        footer_layout=rng.choice(["joined", "lines", "rows"]),
        crumb={
            "prefix": P.CRUMB_PREFIX.pick(rng, split), "sep": P.CRUMB_SEPS.pick(rng, split),
            "home": P.CRUMB_HOME.pick(rng, split), "secs": crumb_secs, "leaf": P.CRUMB_LEAF.pick(rng, split),
            "with_leaf": rng.random() < 0.5, "with_title": rng.random() < 0.15, "multiline": rng.random() < 0.12,
        },
        byline={
            "fields": byline_fields, "colon": P.COLONS.pick(rng, split), "sep": P.FIELD_SEPS.pick(rng, split),
            "labels": {
                "date": P.TIME_LABELS.pick(rng, split), "source": P.SOURCE_LABELS.pick(rng, split),
                "author": P.AUTHOR_LABELS.pick(rng, split), "editor": P.EDITOR_LABELS.pick(rng, split),
                "views": P.VIEW_LABELS.pick(rng, split), "comments": P.COMMENT_LABELS.pick(rng, split),
            },
            "layout": rng.choices(["line", "lines", "pairs", "bare"], [0.6, 0.15, 0.1, 0.15])[0],
            "before_title": rng.random() < 0.12,
            "p": 0.0 if density == 0 else rng.choice([0.5, 0.8, 0.95]),
            "extra": P.BYLINE_EXTRA.pick(rng, split) if rng.random() < 0.25 else "",
        },
        widgets=P.FONT_WIDGETS.sample(rng, split, rng.randint(0, 2)) + P.SHARE_WIDGETS.sample(rng, split, rng.randint(0, 3)),
        related_heading=P.RELATED_HEADINGS.pick(rng, split),
        related_tpl=RELATED_ITEM_TPL.pick(rng, split),
        related_n=(rng.randint(2, 5), rng.randint(6, 14)),
        comment_style=_comment_layout(rng, split, family),
        title_copy_before=rng.choice([0.0, 0.0, 0.0, 0.3, 0.9]) if density else 0.0,
        title_copy_after=rng.choice([0.0, 0.0, 0.2, 0.6]) if density else 0.0,
        title_suffix=P.TITLE_SUFFIXES.pick(rng, split),
        headline_kinds=HEADLINE_KINDS[family],
        block_p=block_p,
        extras={
            "spacers": rng.random() < 0.15, "spacer": P.SPACERS.pick(rng, split),
            "slogan": P.SLOGANS.pick(rng, split), "inner_widgets": rng.random() < 0.3 * density,
            "icp_n": rng.randint(1, 3), "dup_body": rng.random() < 0.02,
        },
    )
    return style


def _comment_layout(rng: random.Random, split: str, family: str) -> int:
    layouts = P.COMMENT_LAYOUTS.of(split)
    if family in ("forum", "blog"):
        threaded = [x for x in layouts if x in (0, 1, 5, 8, 10)]
        if threaded and rng.random() < 0.8:
            return rng.choice(threaded)
    return rng.choice(layouts)


# ---------------------------------------------------------------------------------------------
# Headlines for lists
# ---------------------------------------------------------------------------------------------

def headline(ctx: Ctx) -> str:
    h = ctx.corpora.headlines[ctx.split]
    kinds = [k for k in (ctx.style.headline_kinds if ctx.style else ["news"]) if h.get(k)] or [k for k in h if h[k]]
    if not kinds:
        return "最新消息"
    kind = ctx.rng.choice(kinds)
    text = ctx.rng.choice(h[kind])
    if kind == "lead" or (len(text) > 24 and ctx.chance(0.3)):
        cut = ctx.randint(12, 26)
        if len(text) > cut:
            text = text[:cut] + ctx.rng.choice(["", "", "...", "…", "……"])
    return text


def summary(ctx: Ctx) -> str:
    leads = ctx.corpora.headlines[ctx.split].get("lead") or ctx.corpora.comments[ctx.split] or ["……"]
    text = ctx.rng.choice(leads)
    if ctx.chance(0.6):
        text = text[: ctx.randint(30, 110)] + ctx.rng.choice(["", "...", "…", "...... [全文]", "[详细]", "……"])
    return text


def _items(ctx: Ctx, n: int, tpl: str | None = None, spam_slot: bool = False) -> list[Line]:
    tpl = tpl or ctx.style.related_tpl
    cat_words = ctx.sample(P.NAV_PORTAL, 3)
    out: list[Line] = []
    spam_at = ctx.randint(0, max(0, n - 1)) if spam_slot else -1
    for i in range(n):
        if i == spam_at:
            out.append((S.casino(ctx, headline(ctx)) if ctx.chance(0.6) else S.stuffing(ctx, ctx.randint(2, 5)), "spam"))
            continue
        d = ctx.date - dt.timedelta(days=ctx.randint(0, 400), minutes=ctx.randint(0, 1440))
        text = ctx.fill(
            tpl, h=headline(ctx), i=i + 1, n=ctx.num(0, 60000), cat=ctx.rng.choice(cat_words), date=fmt_date(ctx, d),
            summary=lambda: summary(ctx), media=ctx.media, ago=lambda: ctx.fill(ctx.pick(P.TIME_AGO)), k=ctx.randint(0, 50),
        )
        out.extend((t, CH) for t in text.split("\n"))
    return out


# ---------------------------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------------------------

def _joined(ctx: Ctx, items: list[str], sep: str) -> list[str]:
    return [sep.join(items)]


def blk_site_header(ctx: Ctx) -> list[Line]:
    st = ctx.style
    lines: list[str] = []
    opts = [
        lambda: st.name, lambda: st.extras["slogan"], lambda: f"{st.name}（{st.domain}）", lambda: st.domain,
        lambda: st.name + "首页", lambda: f"今天是{fmt_date(ctx, ctx.date)} {ctx.pick(P.WEEKDAYS)}",
        lambda: f"{ctx.pick(P.CITIES)} {ctx.pick(P.WEATHER)} {ctx.randint(-10, 20)}~{ctx.randint(21, 36)}℃",
        lambda: ctx.pick(P.HEADER_WIDGETS), lambda: ctx.pick(P.HEADER_WIDGETS), lambda: ctx.fill("主办：{org}"),
        lambda: f"{st.name}主办",
    ]
    for _ in range(ctx.randint(1, 2 + st.density * 2)):
        lines.append(ctx.rng.choice(opts)())
    if ctx.chance(0.3):
        lines = [ctx.pick(P.NAV_SEPS).join(lines)]
    return [(t, CH) for t in lines]


def blk_login(ctx: Ctx) -> list[Line]:
    lines = ctx.sample(P.LOGIN_LINES, ctx.randint(1, 6))
    if ctx.chance(0.35):
        lines = [ctx.pick(P.NAV_SEPS).join(lines)]
    return [(t, CH) for t in lines]


def _nav_lines(ctx: Ctx, items: list[str], layout: str, sep: str) -> list[str]:
    if not items:
        return []
    if layout == "lines":
        return list(items)
    if layout == "joined":
        return [sep.join(items)]
    if layout == "described":  # channel name, then its one-line description
        return [x for w in items for x in (w, ctx.pick(P.CHANNEL_SLOGANS)) if x]
    if layout == "trailing":
        return [f"{w}{sep.rstrip() if sep.strip() else ' |'}" for w in items[:-1]] + [items[-1]]
    k = max(1, len(items) // ctx.randint(2, 4))
    return [sep.join(items[i : i + k]) for i in range(0, len(items), k)]


def blk_nav(ctx: Ctx) -> list[Line]:
    st = ctx.style
    items = list(st.nav_items)
    if ctx.chance(0.2):
        items = items[: ctx.randint(3, max(3, len(items)))]
    return [(t, CH) for t in _nav_lines(ctx, items, st.nav_layout, st.nav_sep)]


def blk_subnav(ctx: Ctx) -> list[Line]:
    pool = P.NAV_POOLS.get(ctx.style.family, P.NAV_PORTAL)
    items = ctx.sample(pool, ctx.randint(3, 10))
    layout = ctx.rng.choice(["lines", "joined", "rows"])
    return [(t, CH) for t in _nav_lines(ctx, items, layout, ctx.pick(P.NAV_SEPS))]


def blk_ads(ctx: Ctx) -> list[Line]:
    return [(t, CH) for t in ctx.sample(P.TEMPLATE_ADS, ctx.randint(1, 3))]


def blk_crumb(ctx: Ctx) -> list[Line]:
    c = ctx.style.crumb
    parts = [c["home"]] + list(c["secs"])
    if ctx.chance(0.3):
        parts = parts[: ctx.randint(1, len(parts))]
    if c["with_title"]:
        parts.append(ctx.title[:30] if ctx.title else c["leaf"])
    elif c["with_leaf"]:
        parts.append(c["leaf"])
    sep = c["sep"]
    if c["multiline"]:
        lines = [f"{p}{sep.rstrip()}" for p in parts[:-1]] + [parts[-1]]
        if c["prefix"]:
            lines.insert(0, c["prefix"].strip())
        return [(t, CH) for t in lines if t.strip()]
    return [(c["prefix"] + sep.join(parts), CH)]


def blk_app_promo(ctx: Ctx) -> list[Line]:
    return [(ctx.fill(t, wx=ctx.wx), CH) for t in ctx.sample(P.APP_PROMO, ctx.randint(1, 4))]


def blk_hot_top(ctx: Ctx) -> list[Line]:
    lines: list[Line] = [(ctx.pick(P.RELATED_HEADINGS), CH)] if ctx.chance(0.6) else []
    lines += _items(ctx, ctx.randint(2, 8), tpl=ctx.pick(P.HOT_ITEM_TPL))
    return lines


def byline_lines(ctx: Ctx) -> list[Line]:
    st = ctx.style
    b = st.byline
    vals = {
        "date": lambda: fmt_date(ctx, ctx.date),
        "source": lambda: ctx.media() if ctx.chance(0.85) else st.name,
        "author": lambda: ctx.name() if ctx.chance(0.8) else ctx.rng.choice(["", ctx.pick(P.ANON_AUTHORS), ctx.user()]),
        "editor": lambda: ctx.name() if ctx.chance(0.8) else "管理员",
        "views": lambda: ctx.pick(P.COUNT_FORMATS).format(n=ctx.num(1, 90000)),
        "comments": lambda: ctx.rng.choice(["{n}", "({n})", "{n}条"]).format(n=ctx.num(0, 3000)),
    }
    fields = [f for f in b["fields"] if ctx.chance(0.9)] or ["date"]
    pairs = [(b["labels"][f], vals[f]()) for f in fields]
    colon = b["colon"]
    layout = b["layout"]
    if layout == "bare":
        text = b["sep"].join(v for _, v in pairs if v)
        out = [text] if text else []
    elif layout == "lines":
        out = [f"{k}{colon}{v}".strip() for k, v in pairs]
    elif layout == "pairs":
        out = []
        for k, v in pairs:
            out.append(f"{k}{colon}".strip())
            if v:
                out.append(v)
    else:
        out = [b["sep"].join(f"{k}{colon}{v}" for k, v in pairs)]
    if b["extra"] and out:
        out[-1] = out[-1] + " " + b["extra"]
    return [(t, CH) for t in out if t.strip()]


def blk_widgets(ctx: Ctx) -> list[Line]:
    lines = [w for w in ctx.style.widgets if ctx.chance(0.8)]
    if ctx.chance(0.2):
        lines += ctx.sample(P.SHARE_WIDGETS, ctx.randint(1, 4))
    return [(t, CH) for t in lines]


def blk_source_note(ctx: Ctx) -> list[Line]:
    d = ctx.date
    date = ctx.rng.choice([f"{d.year}.{d.month}.{d.day}", f"{d:%Y-%m-%d}", f"{d.year}年{d.month}月{d.day}日", ""])
    return [(ctx.fill(t, date=date, media=ctx.media), CH) for t in ctx.sample(P.SOURCE_NOTE_TPL, ctx.randint(1, 3))]


def blk_disclaimer(ctx: Ctx) -> list[Line]:
    return [(ctx.fill(t), CH) for t in ctx.sample(P.DISCLAIMERS, ctx.randint(1, 2))]


def blk_share(ctx: Ctx) -> list[Line]:
    return [(t, CH) for t in ctx.sample(P.SHARE_WIDGETS, ctx.randint(1, 5))]


def _title_words(ctx: Ctx) -> list[str]:
    words = [w for w in rjieba.cut(ctx.title or "") if len(w) >= 2 and not w.isdigit() and w.strip()]
    return words or ctx.sample(P.CATEGORY_WORDS, 3)


def blk_tags(ctx: Ctx) -> list[Line]:
    label = ctx.pick(P.TAG_LABELS)
    words = _title_words(ctx)
    words = ctx.rng.sample(words, min(len(words), ctx.randint(1, 6)))
    r = ctx.rng.random()
    if r < 0.1:
        return [(label.strip() + ";  ;  ;  ;", CH)]
    if r < 0.45:
        sep = ctx.pick(P.TAG_SEPS)
        return [(label + sep.join(words), CH)]
    if r < 0.6:
        return [("#" + "#".join(words) + ("#" if ctx.chance(0.5) else ""), CH)]
    if r < 0.8:
        return [(label.strip(), CH)] + [(w, CH) for w in words]
    return [(label.strip(), CH)] + [(f"{w} ({ctx.num(0, 300)})", CH) for w in words]


def blk_prevnext(ctx: Ctx) -> list[Line]:
    out: list[Line] = []
    if ctx.chance(0.85):
        out.append((ctx.pick(P.PREV_LABELS) + (headline(ctx) if ctx.chance(0.85) else "没有了"), CH))
    if ctx.chance(0.85):
        out.append((ctx.pick(P.NEXT_LABELS) + (headline(ctx) if ctx.chance(0.85) else "没有了"), CH))
    if not out or ctx.chance(0.2):
        out.append((ctx.pick(P.PAGE_NAV), CH))
    return out


def blk_download(ctx: Ctx) -> list[Line]:
    return [(t, CH) for t in ctx.sample(P.DOWNLOAD_LINES, ctx.randint(1, 3))]


def blk_related(ctx: Ctx, second: bool = False) -> list[Line]:
    st = ctx.style
    heading = ctx.pick(P.RELATED_HEADINGS) if second or ctx.chance(0.25) else st.related_heading
    tpl = ctx.pick(RELATED_ITEM_TPL) if second else st.related_tpl
    n = ctx.randint(*st.related_n) if not second else ctx.randint(3, 12)
    spam_slot = bool(ctx.flags.get("spam_related")) and not ctx.flags.get("spam_related_done")
    if spam_slot:
        ctx.flags["spam_related_done"] = True
    lines: list[Line] = [(heading, CH)] if ctx.chance(0.9) else []
    lines += _items(ctx, n, tpl, spam_slot)
    if ctx.chance(0.35):
        lines.append((ctx.pick(P.MORE_LINKS), CH))
    return lines


def blk_value(ctx: Ctx) -> list[Line]:
    return [(ctx.fill(t), CH) for t in ctx.sample(P.VALUE_WIDGETS, ctx.randint(1, 5))]


def comment_text(ctx: Ctx) -> list[str]:
    pool = ctx.corpora.comments[ctx.split]
    news = ctx.corpora.docs[ctx.split].get("news")
    if news and ctx.chance(0.03):  # a reader pasting a whole article into the comment box
        sents = ctx.rng.choice(news).paragraphs
        start = ctx.randint(0, max(0, len(sents) - 3))
        return [s for s in sents[start : start + ctx.randint(2, 6)]]
    if pool and ctx.chance(0.65):
        text = ctx.rng.choice(pool)
    else:
        text = ctx.pick(P.GENERIC_COMMENTS)
    if len(text) > 60 and ctx.chance(0.35):
        cut = [i + 1 for i, ch in enumerate(text[:-1]) if ch in "。！？!?~"]
        if cut:
            k = ctx.rng.choice(cut)
            return [text[:k], text[k:]]
    return [text]


def _comment(ctx: Ctx, style: int, i: int, spam: bool) -> list[Line]:
    user = ctx.user()
    d = ctx.date + dt.timedelta(minutes=ctx.randint(5, 60 * 24 * 200))
    when = ctx.rng.choice([f"{d:%Y-%m-%d %H:%M}", f"{d:%Y-%m-%d %H:%M:%S}", f"{d.year}-{d.month}-{d.day} {d.hour}:{d:%M}", fmt_date(ctx, d)])
    body = S.comment_body(ctx) if spam else comment_text(ctx)
    blab = "spam" if spam else CH
    text_lines: list[Line] = [(t, blab) for t in body]
    n = ctx.num(0, 500)
    if style == 0:
        return [(f"# re: {ctx.title or ctx.flags.get('ref_title') or headline(ctx)}", CH), (when, CH), (user, CH)] + text_lines
    if style == 1:
        return [(f"# re: {ctx.title or ctx.flags.get('ref_title') or headline(ctx)}", CH)] + text_lines + [(f"{user} | {when}", CH)]
    if style == 2:
        ip = f"{ctx.randint(58, 222)}.{ctx.randint(1, 254)}.{ctx.randint(1, 254)}.*"
        return [(f"{user}[{ip}] 认为：", CH), (f"引用 投诉 支持 ({ctx.num(0, 50)}) {when}", CH)] + text_lines
    if style == 3:
        return [(f"{user}[{ctx.pick(P.PROVINCES)}{ctx.pick(P.CITIES)}网友]{when}", CH)] + text_lines + [
            (t, CH) for t in ctx.rng.choice([["+1顶{n}".format(n=n), "|+1踩0", "|回复", "|收藏", "|举报", "|分享"], ["顶", "回复"], [f"赞({n})"]])]
    if style == 4:
        tail = f"{ctx.fill(ctx.pick(P.TIME_AGO))}举报{'查看对话' if ctx.chance(0.3) else ''}赞{n}回复"
        return [(f"{user}{ctx.pick(P.PROVINCES)}{ctx.pick(P.CITIES)}", CH)] + text_lines + [(tail, CH)]
    if style == 5:
        return [(f"{i + 1}楼" if ctx.chance(0.7) else ctx.pick(P.SEAT_WORDS), CH), (user, CH), (f"发表于 {when}", CH)] + text_lines + [("回复 引用", CH)] * ctx.randint(0, 1)
    if style == 6:
        return [(f"原文：{headline(ctx)}", CH), (user, CH)] + text_lines + [(f"支持[{n}] | 反对[{ctx.num(0, 50)}]", CH)]
    if style == 7:
        return [(user, CH), (ctx.fill(ctx.pick(P.TIME_AGO)), CH)] + text_lines + [(str(n), CH), ("|", CH), ("回复", CH)][: ctx.randint(0, 3)]
    if style == 8:
        if spam:
            return [(f"{user}：", CH)] + text_lines
        return [(f"{user}：{t}" if j == 0 else t, CH) for j, t in enumerate(body)]
    if style == 9:
        return [(f"{user}的评论", CH), (fmt_date(ctx, d), CH)] + text_lines
    if style == 10:
        return [(f"〓 {ctx.style.name} 留言板 发布时间 {when} by {user} 〓", CH)] + text_lines
    return [(f"{i + 1}·" + body[0][:40] + ("..." if len(body[0]) > 40 else ""), blab)]


def blk_comments(ctx: Ctx) -> list[Line]:
    st = ctx.style
    n = ctx.rng.choice([0, 1, 2, 3, 3, 4, 6, 10, 20]) if st.density >= 2 else ctx.rng.choice([0, 1, 2, 3, 5])
    if ctx.flags.get("spam_comments_force"):
        n = max(n, 1)
    lines: list[Line] = []
    if ctx.chance(0.85):
        lines.append((ctx.fill(ctx.pick(P.COMMENT_PROMPTS), m=lambda: ctx.num(1, 9999)), CH))
    if n == 0 and ctx.chance(0.5):
        lines.append((ctx.pick(P.NO_COMMENT_LINES), CH))
    spam_i = ctx.randint(0, max(0, n - 1)) if ctx.flags.get("spam_comments") and n else -1
    style = st.comment_style
    for i in range(n):
        spam = i == spam_i
        if spam:
            ctx.flags["spam_comments_done"] = True
        lines += _comment(ctx, style, i, spam)
    return lines


def blk_comment_form(ctx: Ctx) -> list[Line]:
    k = ctx.randint(1, 8)
    return [(ctx.fill(t, m=lambda: ctx.num(1, 9999)), CH) for t in ctx.sample(P.COMMENT_PROMPTS, k)]


def blk_template_ads(ctx: Ctx) -> list[Line]:
    head = ctx.pick(P.AD_HEADINGS)
    bullet = ctx.rng.choice(["• ", "· ", "", "·"])
    lines = [(head, CH)] + [(bullet + t, CH) for t in ctx.sample(P.TEMPLATE_ADS, ctx.randint(2, 9))]
    if ctx.chance(0.5):
        lines.append((ctx.pick(P.MORE_LINKS), CH))
    return lines


def blk_author_card(ctx: Ctx) -> list[Line]:
    user = ctx.user()
    lines = [(user, CH)] + [(ctx.fill(t, user=user, date=lambda: fmt_date(ctx, ctx.date)), CH) for t in ctx.sample(P.PROFILE_LINES, ctx.randint(1, 4))]
    return lines


def blk_spacer(ctx: Ctx) -> list[Line]:
    return [(ctx.style.extras["spacer"], CH)] * ctx.randint(1, 3)


def blk_profile(ctx: Ctx) -> list[Line]:
    user = ctx.user()
    lines: list[Line] = [(ctx.pick(P.SIDEBAR_HEADINGS), CH)] if ctx.chance(0.6) else []
    lines.append((user, CH))
    lines += [(ctx.fill(t, user=user, date=lambda: fmt_date(ctx, ctx.date)), CH) for t in ctx.sample(P.PROFILE_LINES, ctx.randint(2, 7))]
    return lines


def blk_calendar(ctx: Ctx) -> list[Line]:
    d = ctx.date
    lines: list[Line] = []
    if ctx.chance(0.5):
        lines.append(("日历", CH))
    head = ctx.rng.choice([f"{d.year}年{d.month}月", f"{P.EN_MONTHS[d.month - 1]} {d.year}", f"{d.year}-{d.month:02d}"])
    if ctx.chance(0.5):
        lines += [("<", CH), (head, CH), (">", CH)]
    else:
        lines.append((head, CH))
    week = ctx.pick(P.CALENDAR_WEEK)
    if ctx.chance(0.75):
        lines += [(w, CH) for w in week]
    else:
        lines.append((" ".join(week), CH))
    lead = ctx.randint(0, 6)
    days = [str(x) for x in range(32 - lead, 32)][:lead] + [str(x) for x in range(1, 32)] + [str(x) for x in range(1, ctx.randint(1, 8))]
    if ctx.chance(0.8):
        lines += [(x, CH) for x in days]
    else:
        lines += [(" ".join(days[i : i + 7]), CH) for i in range(0, len(days), 7)]
    return lines


def blk_archive(ctx: Ctx) -> list[Line]:
    lines: list[Line] = [(ctx.pick(P.ARCHIVE_HEADINGS), CH)]
    d = ctx.date
    bullet = ctx.rng.choice(["", "·", "· "])
    en = ctx.chance(0.2)
    for k in range(ctx.randint(3, 14)):
        m = (d.month - 1 - k) % 12 + 1
        y = d.year - ((k - d.month + 1 + 11) // 12 if k >= d.month else 0)
        label = f"{P.EN_MONTHS[m - 1]} {y}" if en else f"{y}年{m}月"
        lines.append((f"{bullet}{label}" + ("" if en else f" ({ctx.num(1, 800)})"), CH))
    return lines


def blk_categories(ctx: Ctx) -> list[Line]:
    lines: list[Line] = [(ctx.pick(P.CATEGORY_HEADINGS), CH)]
    suffix = ctx.pick(P.CATEGORY_COUNTS)
    for w in ctx.sample(P.CATEGORY_WORDS, ctx.randint(3, 10)):
        lines.append((w + suffix.format(n=ctx.num(0, 200)), CH))
    return lines


def blk_hot_list(ctx: Ctx) -> list[Line]:
    lines: list[Line] = [(ctx.pick(P.RELATED_HEADINGS), CH)]
    tpl = ctx.pick(P.HOT_LIST_TPL)
    return lines + _items(ctx, ctx.randint(3, 10), tpl)


def blk_recent_comments(ctx: Ctx) -> list[Line]:
    lines: list[Line] = [(ctx.pick(P.RECENT_HEADINGS), CH)]
    for i in range(ctx.randint(2, 8)):
        t = comment_text(ctx)[0]
        if len(t) > 30 and ctx.chance(0.7):
            t = t[: ctx.randint(18, 40)] + "..."
        form = ctx.pick(P.RECENT_FORMS)
        text = form.format(i=i + 1, t=t, u=ctx.user(), h=headline(ctx), d=f"{ctx.date:%Y-%m-%d %H:%M:%S}")
        lines += [(x, CH) for x in text.split("\n")]
    return lines


def blk_links(ctx: Ctx) -> list[Line]:
    lines: list[Line] = [(ctx.pick(P.LINK_HEADINGS), CH)]
    n = ctx.randint(2, 10)
    spam_at = ctx.randint(0, n - 1) if ctx.flags.get("spam_links") and not ctx.flags.get("spam_links_done") else -1
    k_spam = ctx.randint(1, 3)
    for i in range(n):
        if spam_at <= i < spam_at + k_spam and spam_at >= 0:
            lines.append((S.friend_link(ctx), "spam"))
            ctx.flags["spam_links_done"] = True
            continue
        lines.append((ctx.rng.choice([ctx.style.name if ctx.chance(0.1) else ctx.pick(P.CITIES) + ctx.pick(P.SITE_TOPICS) + ctx.pick(P.SITE_SUFFIX),
                                      ctx.domain(), ctx.media(), ctx.org()]), CH))
    return lines


def blk_footer_links(ctx: Ctx) -> list[Line]:
    st = ctx.style
    items = [w for w in st.footer_links if ctx.chance(0.9)] or st.footer_links[:2]
    return [(t, CH) for t in _nav_lines(ctx, items, st.footer_layout, st.footer_sep)]


def blk_copyright(ctx: Ctx) -> list[Line]:
    out = [(ctx.fill(ctx.pick(P.COPYRIGHT_TPL), domain=ctx.style.domain), CH)]
    if ctx.chance(0.25):
        out.append((ctx.fill(ctx.pick(P.COPYRIGHT_TPL), domain=ctx.style.domain), CH))
    return out


def blk_icp(ctx: Ctx) -> list[Line]:
    k = ctx.style.extras["icp_n"]
    lines = [ctx.fill(ctx.pick(P.ICP_TPL)) for _ in range(k)]
    if k > 1 and ctx.chance(0.4):
        lines = ["  ".join(lines)]
    return [(t, CH) for t in lines]


def blk_contact(ctx: Ctx) -> list[Line]:
    return [(ctx.fill(t), CH) for t in ctx.sample(P.CONTACT_TPL, ctx.randint(1, 3))]


def blk_powered(ctx: Ctx) -> list[Line]:
    return [(ctx.fill(ctx.pick(P.POWERED_BY)), CH)]


BLOCKS: dict[str, Callable[[Ctx], list[Line]]] = {
    "site_header": blk_site_header, "login": blk_login, "nav": blk_nav, "subnav": blk_subnav, "ads": blk_ads,
    "crumb": blk_crumb, "app_promo": blk_app_promo, "hot_top": blk_hot_top, "source_note": blk_source_note,
    "disclaimer": blk_disclaimer, "share": blk_share, "tags": blk_tags, "prevnext": blk_prevnext,
    "download": blk_download, "related": blk_related, "related2": lambda c: blk_related(c, second=True),
    "value": blk_value, "comments": blk_comments, "comment_form": blk_comment_form, "template_ads": blk_template_ads,
    "author_card": blk_author_card, "spacer": blk_spacer, "profile": blk_profile, "calendar": blk_calendar,
    "archive": blk_archive, "categories": blk_categories, "hot_list": blk_hot_list,
    "recent_comments": blk_recent_comments, "links": blk_links, "footer_links": blk_footer_links,
    "copyright": blk_copyright, "icp": blk_icp, "contact": blk_contact, "powered": blk_powered,
}


def run_blocks(ctx: Ctx, names: list[str], p: float = 0.92) -> list[Line]:
    """Emit the named blocks (each kept with probability ``p``, so pages of one site differ a little)."""
    out: list[Line] = []
    for name in names:
        if ctx.chance(p):
            out += BLOCKS[name](ctx)
            if ctx.style.extras["spacers"] and ctx.chance(0.3):
                out.append((ctx.style.extras["spacer"], CH))
    return out


def inner_chrome(ctx: Ctx) -> list[Line]:
    """Something a template drops between body paragraphs: a widget, an ad, a picture prompt, page links."""
    r = ctx.rng.random()
    if r < 0.3:
        return [(ctx.pick(P.ARTICLE_TOOLS), CH)]
    if r < 0.5:
        return blk_ads(ctx)
    if r < 0.65:
        return blk_share(ctx)[:2]
    if r < 0.8:
        return [(ctx.pick(P.PAGE_NAV), CH)]
    if r < 0.9:
        return [(ctx.fill("相关阅读：{h}", h=headline(ctx)), CH)]
    return [(ctx.style.extras["spacer"], CH)]


def title_copies(ctx: Ctx, before: bool) -> list[Line]:
    st = ctx.style
    if not ctx.title:
        return []
    p = st.title_copy_before if before else st.title_copy_after
    if not ctx.chance(p):
        return []
    suffix = ctx.fill(st.title_suffix)
    k = ctx.rng.choice([1, 1, 2])
    if before:  # a copy printed above the article heading differs from it (suffix or prefix)
        text = ctx.title + suffix if ctx.chance(0.8) else f"[{ctx.pick(P.CRUMB_SECTIONS)}]{ctx.title}"
    else:
        text = ctx.title if ctx.chance(0.5) else ctx.title + suffix
    return [(text, CH)] * k


__all__ = ["SiteStyle", "make_style", "run_blocks", "byline_lines", "blk_widgets", "inner_chrome", "title_copies",
           "headline", "summary", "BLOCKS"]
