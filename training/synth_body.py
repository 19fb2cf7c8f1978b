"""Article bodies (label ``content``) built from one source document, and off-topic passages.

A body is the title, the in-article lines around it (subtitle, reporter line, photo caption),
section headings and paragraphs of ONE source document, shaped like its genre is shaped on the
web: news split into 1-5 sentence paragraphs, law as runs of articles, tutorials with code lines,
poems line by line, digest pages as lists of headlines. Length varies from one line to 90.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rjieba

from . import synth_pools as P
from .synth_corpus import SourceDoc, sentences
from .synth_util import CN_NUMS, Ctx, clauses, fmt_date, short_clause

Line = tuple[str, str]
CO = "content"

WIKI_HEADINGS = P.pool("wiki_headings", "简介 概述 历史 生平 早年经历 主要成就 发展历程 地理 气候 人口 经济 文化 特点 影响 评价 分布 结构 用途 作品 荣誉 外部链接 背景")
TECH_HEADINGS = P.pool("tech_headings", "概述 基本用法 实例 注意事项 参数 返回值 兼容性 属性 方法 简介 原理 用法 示例 语法 小结 常见问题 进阶 参考链接 静态方法 实例方法")
QA_ASK_PREFIX = P.pool("qa_ask_prefix", ["", "问题描述：", "病情描述：", "健康咨询描述：", "", "提问：", "我想问一下，", "患者提问："])
QA_ANSWER_PREFIX = P.pool("qa_answer_prefix", ["", "医生回答：", "病情分析：", "指导意见：", "", "您好，", "答：", "回复："])
QA_CHROME = P.pool(
    "qa_chrome",
    ["{name} 主治医师 {city}市人民医院", "{name} 副主任医师 {city}市中心医院 {dept}", "患者：{sex} {age}岁",
     "提问时间：{date}", "{n}人觉得有用", "医生回复", "全部回答({k})", "最佳答案", "向医生提问", "已帮助用户：{n}",
     "擅长：{dept}常见病、多发病的诊治", "{name} 医师 {city}{dept}", "回答时间：{date}", "问题分类：{dept}", "我要提问"],
)
POETRY_AUTHOR_TPL = P.pool("poetry_author_tpl", ["{author}", "〔{dyn}〕{author}", "{dyn}·{author}", "【{dyn}】{author}", "{dyn} {author}", "作者：{author}"])
TABLE_HEADERS = P.pool("table_headers", "序号 名称 单位 时间 备注 数量 金额（万元） 地点 姓名 职务 项目 类别 负责人 联系方式 完成情况 日期 编号 面积")
CODE_VARS = P.pool("code_vars", "a b x y obj arr str num foo bar result list data item el value count fn user options config node key str2 total")
CODE_COMMENTS = P.pool("code_comments", ["// 报错", "// 正确", "// 输出结果", "// 等同于", "// 不推荐的写法", "// 推荐的写法", "// true", "// false", "// undefined", "// 1", "// 3", "// TypeError", "// 写法一", "// 写法二", "// \"hello\""])


@dataclass
class Body:
    """The article: title (content, first copy), lines before/inside/after the paragraphs."""

    title: str | None
    head: list[Line] = field(default_factory=list)
    paras: list[Line] = field(default_factory=list)
    tail: list[Line] = field(default_factory=list)
    genre: str = ""
    category: str = ""
    source_id: str = ""


def target_len(ctx: Ctx) -> int:
    r = ctx.rng.random()
    if r < 0.10:
        return ctx.randint(1, 2)
    if r < 0.35:
        return ctx.randint(3, 8)
    if r < 0.70:
        return ctx.randint(9, 20)
    if r < 0.92:
        return ctx.randint(21, 45)
    return ctx.randint(46, 90)


def group_sentences(ctx: Ctx, sents: list[str] | tuple[str, ...], lo: int = 1, hi: int = 5) -> list[str]:
    out, i = [], 0
    sizes = list(range(lo, hi + 1))
    weights = [1.0 / (1 + abs(s - 2)) for s in sizes]
    while i < len(sents):
        k = ctx.rng.choices(sizes, weights)[0]
        out.append("".join(sents[i : i + k]))
        i += k
    return out


def _run(ctx: Ctx, paras: tuple[str, ...] | list[str], n: int, start_p: float = 0.5) -> list[str]:
    if len(paras) <= n:
        return list(paras)
    start = 0 if ctx.chance(start_p) else ctx.randint(0, len(paras) - n)
    return list(paras[start : start + n])


def _heading(ctx: Ctx, para: str, pool: P.Pool | None, tpl: str, k: int) -> str:
    if pool is not None and ctx.chance(0.6):
        h = ctx.pick(pool)
    else:
        h = short_clause(ctx.rng, [para], 4, 14) or ctx.pick(WIKI_HEADINGS)
    return ctx.fill(tpl, h=h, n=k, cn=CN_NUMS[(k - 1) % len(CN_NUMS)])


def _with_headings(ctx: Ctx, paras: list[str], pool: P.Pool | None = None, p: float = 0.45) -> list[Line]:
    out: list[Line] = []
    if len(paras) < 3 or not ctx.chance(p):
        return [(t, CO) for t in paras]
    every = ctx.randint(2, 6)
    tpl = ctx.pick(P.HEADING_TPL)  # one heading style per article
    k = 0
    for i, t in enumerate(paras):
        if i > 0 and i % every == 0:
            k += 1
            out.append((_heading(ctx, t, pool, tpl, k), CO))
        out.append((t, CO))
    return out


def _news_extras(ctx: Ctx, body: Body, paras: list[str]) -> None:
    if ctx.chance(0.15) and paras:
        clause = short_clause(ctx.rng, paras, 6, 18) or "一线观察"
        body.head.append((ctx.fill(ctx.pick(P.SUBTITLE_TPL), clause=clause), CO))
    if ctx.chance(0.35):
        line = ctx.fill(ctx.pick(P.AUTHOR_LINE_TPL), name=lambda: ctx.name(spaced=ctx.chance(0.2)))
        (body.tail if line.startswith("（") and ctx.chance(0.6) else body.head).append((line, CO))
    if ctx.chance(0.15):
        clause = ctx.pick(P.PHOTO_CLAUSES) if ctx.chance(0.6) else (short_clause(ctx.rng, paras, 8, 20) or ctx.pick(P.PHOTO_CLAUSES))
        cap = (ctx.fill(ctx.pick(P.CAPTION_TPL), clause=clause), CO)
        if body.paras and ctx.chance(0.5):
            body.paras.insert(ctx.randint(0, len(body.paras)), cap)
        else:
            body.head.append(cap)


def _hard_negatives(ctx: Ctx, body: Body) -> None:
    idx = [i for i, (_, lab) in enumerate(body.paras) if lab == CO]
    for _ in range(ctx.randint(1, 2)):
        sent = ctx.fill(ctx.pick(P.HARD_NEGATIVES))
        if idx and ctx.chance(0.6):
            i = ctx.rng.choice(idx)
            t, lab = body.paras[i]
            body.paras[i] = (t + sent if ctx.chance(0.5) else sent + t, lab)
        else:
            body.paras.insert(ctx.randint(0, len(body.paras)), (sent, CO))


def _hard_wrap(ctx: Ctx, body: Body) -> None:
    width = ctx.randint(28, 42)
    out: list[Line] = []
    for t, lab in body.paras:
        if lab == CO and len(t) > width:
            out += [(t[i : i + width], CO) for i in range(0, len(t), width)]
        else:
            out.append((t, lab))
    body.paras = out


def _academic(ctx: Ctx, body: Body) -> None:
    """A paper page: abstract and keywords before the text, a reference list after it (all content)."""
    texts = [t for t, lab in body.paras if lab == CO and len(t) > 30]
    if texts:
        body.head.append((ctx.pick(P.ABSTRACT_LABELS) + texts[0][: ctx.randint(60, 240)], CO))
    freq: dict[str, int] = {}
    for w in rjieba.cut("".join(texts[:3]) + (body.title or "")):
        if 2 <= len(w) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in w):
            freq[w] = freq.get(w, 0) + 1
    words = sorted(freq, key=lambda w: -freq[w])[: ctx.randint(3, 5)] or ctx.sample(P.CATEGORY_WORDS, 3)
    body.head.append((ctx.pick(P.KEYWORD_LABELS) + ctx.rng.choice(["；", "; ", "，", " "]).join(words), CO))
    body.tail.append((ctx.pick(P.REF_HEADINGS), CO))
    hl = ctx.corpora.headlines[ctx.split]
    titles = hl.get("news") or hl.get("law") or ["研究"]
    numbered_apart = ctx.chance(0.3)
    for i in range(ctx.randint(3, 12)):
        y = ctx.randint(1995, 2022)
        ref = (f"{ctx.name()}. {ctx.rng.choice(titles)}[{ctx.pick(P.REF_TYPES)}]. {ctx.pick(P.JOURNALS)}, {y}"
               f"({ctx.randint(1, 12)}): {ctx.randint(1, 90)}-{ctx.randint(91, 200)}.")
        if numbered_apart:
            body.tail += [(f"[{i + 1}]", CO), (ref, CO)]
        else:
            body.tail.append((f"[{i + 1}] {ref}" if ctx.chance(0.8) else ref, CO))


def _list_block(ctx: Ctx, body: Body) -> None:
    """Print one paragraph as a run of short numbered items (conditions, steps, requirements)."""
    cands = [i for i, (t, lab) in enumerate(body.paras) if lab == CO and i > 0 and len([c for c in clauses(t) if len(c) >= 4]) >= 3]
    if not cands:
        return
    at = ctx.rng.choice(cands)
    items = [c for c in clauses(body.paras[at][0]) if len(c) >= 2][:8]
    tpl = ctx.pick(P.LIST_ITEM_TPL)
    end = ctx.rng.choice(["", "；", "。", ""])
    body.paras[at : at + 1] = [(ctx.fill(tpl, i=i + 1, h=h + end, cn=CN_NUMS[i % len(CN_NUMS)]), CO) for i, h in enumerate(items)]


def _table(ctx: Ctx) -> list[Line]:
    cols = ctx.sample(TABLE_HEADERS, ctx.randint(2, 5))
    out: list[Line] = [(c, CO) for c in cols]
    for i in range(ctx.randint(2, 8)):
        for c in cols:
            if c in ("序号", "编号"):
                v = str(i + 1)
            elif c in ("时间", "日期"):
                v = f"{ctx.date.year}年{ctx.randint(1, 12)}月"
            elif c in ("数量", "金额（万元）", "面积"):
                v = str(ctx.num(1, 5000))
            elif c in ("姓名", "负责人"):
                v = ctx.name()
            elif c == "联系方式":
                v = ctx.tel()
            else:
                v = ctx.rng.choice([ctx.org(), ctx.place(), ctx.pick(P.CATEGORY_WORDS), "已完成", "进行中", "同上"])
            out.append((v, CO))
    return out


# --- genres ------------------------------------------------------------------------------------

def body_news(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    paras = group_sentences(ctx, doc.paragraphs, 1, ctx.rng.choice([2, 3, 4, 5]))[:n]
    body = Body(title=doc.title)
    if ctx.chance(0.08):  # self-media style: every clause on its own short line
        body.paras = [(c, CO) for p in paras for c in _short_lines(p)]
    else:
        body.paras = _with_headings(ctx, paras)
    _news_extras(ctx, body, paras)
    return body


def _short_lines(text: str) -> list[str]:
    out, cur = [], ""
    for ch in text:
        cur += ch
        if ch in "，。！？；：" and len(cur) >= 4:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def body_encyclopedia(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    paras: list[str] = []
    for p in doc.paragraphs:
        sents = sentences(p)
        paras += group_sentences(ctx, sents, 2, 6) if len(p) > 300 and ctx.chance(0.6) else [p]
    paras = _run(ctx, paras, n, 0.7)
    body = Body(title=doc.title)
    body.paras = _with_headings(ctx, paras, WIKI_HEADINGS, 0.3)
    return body


def body_law(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    body = Body(title=doc.title)
    body.paras = [(t, CO) for t in _run(ctx, doc.paragraphs, n, 0.4)]
    return body


def body_fiction(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    body = Body(title=doc.title)
    body.paras = [(t, CO) for t in _run(ctx, doc.paragraphs, n, 0.4)]
    return body


def body_classical(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    body = Body(title=doc.title)
    body.paras = [(t, CO) for t in _run(ctx, doc.paragraphs, n, 0.6)]
    return body


def body_qa(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    body = Body(title=doc.title)
    extra = dict(dept=doc.category or "内科", sex=ctx.rng.choice(["男", "女"]), age=ctx.randint(1, 80),
                 date=lambda: fmt_date(ctx, ctx.date), name=ctx.name)
    ask, answers = doc.paragraphs[0], list(doc.paragraphs[1:])
    if ctx.chance(0.4):
        body.paras.append((ctx.fill(ctx.pick(QA_CHROME), **extra), "chrome"))
    body.paras.append((ctx.pick(QA_ASK_PREFIX) + ask, CO))
    for a in answers:
        for _ in range(ctx.randint(0, 2)):
            body.paras.append((ctx.fill(ctx.pick(QA_CHROME), **extra), "chrome"))
        prefix = ctx.pick(QA_ANSWER_PREFIX)
        parts = group_sentences(ctx, sentences(a), 2, 5) if len(a) > 150 and ctx.chance(0.4) else [a]
        body.paras += [((prefix if j == 0 else "") + t, CO) for j, t in enumerate(parts)]
    return body


def body_review(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    text = doc.paragraphs[0]
    title = None
    if ctx.chance(0.4):
        title = short_clause(ctx.rng, [text], 4, 18)
    body = Body(title=title)
    if ctx.chance(0.3):
        body.paras.append((ctx.pick(P.RATING_LABELS) + ctx.pick(P.RATINGS), "chrome"))
    body.paras.append((text, CO))
    return body


def _code_block(ctx: Ctx, big: bool) -> list[str]:
    v = lambda: ctx.pick(CODE_VARS)  # noqa: E731
    val = lambda: ctx.rng.choice([str(ctx.randint(0, 100)), "'hello'", '"abc"', "[1, 2, 3]", "{ a: 1 }", "true", "false", "null", "undefined", f"{ctx.randint(1, 9)}.{ctx.randint(1, 9)}"])  # noqa: E731
    blocks = [
        lambda: [f"var {v()} = {val()};", f"{v()} // {val()}"],
        lambda: [f"console.log({v()}.length) // {ctx.randint(0, 9)}"],
        lambda: [f"function {v()}({v()}, {v()}) {{", f"  return {v()} + {v()};", "}"],
        lambda: [f"if ({v()} === {val()}) {{", f"  {v()} = {val()};", "} else {", f"  console.log({v()});", "}"],
        lambda: [f"for (var i = 0; i < {v()}.length; i++) {{", f"  console.log({v()}[i]);", "}"],
        lambda: [f"typeof {v()} // \"{ctx.rng.choice(['number', 'string', 'object', 'function', 'undefined', 'boolean'])}\""],
        lambda: [f"let {v()} = {val()};", f"const {v()} = {val()};"],
        lambda: [f"{v()}.{ctx.rng.choice(['push', 'slice', 'map', 'filter', 'indexOf', 'join', 'split', 'forEach'])}({val()}) {ctx.pick(CODE_COMMENTS)}"],
        lambda: [f"document.getElementById('{v()}').addEventListener('click', function (e) {{", "  e.preventDefault();", "});"],
        lambda: ["new Promise(function (resolve, reject) {", f"  setTimeout(resolve, {ctx.randint(1, 5) * 100});", "}).then(function () {", f"  console.log({val()});", "});"],
        lambda: [f"{v()}.{v()} = {val()};", f"Object.keys({v()}) // ['{v()}']"],
        lambda: ["'use strict';", f"{v()} = {val()}; {ctx.pick(CODE_COMMENTS)}"],
        lambda: [f"JSON.stringify({val()})", f"// '{val()}'"],
        lambda: [f"var {v()} = new Date({ctx.date.year}, {ctx.randint(0, 11)}, {ctx.randint(1, 28)});", f"{v()}.getTime() // {ctx.randint(10**12, 2 * 10**12)}"],
    ]
    out: list[str] = []
    for _ in range(ctx.randint(2, 5) if big else ctx.randint(1, 2)):
        out += ctx.rng.choice(blocks)()
    return out


def body_technical(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    body = Body(title=doc.title)
    paras = _run(ctx, doc.paragraphs, n, 0.5)
    heavy = ctx.chance(0.25)
    out: list[Line] = []
    tpl, k = ctx.pick(P.HEADING_TPL), 0
    for i, t in enumerate(paras):
        if i > 0 and ctx.chance(0.12):
            k += 1
            out.append((ctx.fill(tpl, h=ctx.pick(TECH_HEADINGS), n=k, cn=CN_NUMS[(k - 1) % len(CN_NUMS)]), CO))
        out.append((t, CO))
        if t.endswith(("：", ":")) and ctx.chance(0.85) or ctx.chance(0.5 if heavy else 0.1):
            out += [(c, CO) for c in _code_block(ctx, heavy)]
    if heavy and ctx.chance(0.5):
        out = out[:2] + [(c, CO) for c in _code_block(ctx, True)] + out[2:]
    body.paras = out
    return body


def _poem(ctx: Ctx, doc: SourceDoc) -> list[Line]:
    dyn = "唐" if doc.id.startswith("tang") else "宋"
    lines: list[Line] = [(doc.title or "无题", CO)]
    if doc.author and ctx.chance(0.85):
        lines.append((ctx.fill(ctx.pick(POETRY_AUTHOR_TPL), author=doc.author, dyn=dyn), CO))
    if ctx.chance(0.1):
        lines.append(("".join(doc.paragraphs), CO))
    else:
        lines += [(t, CO) for t in doc.paragraphs]
    return lines


def body_poetry(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    poem = _poem(ctx, doc)
    body = Body(title=poem[0][0])
    body.paras = poem[1:]
    if ctx.chance(0.3):  # an anthology page: more poems of the same split
        pool = ctx.corpora.docs[ctx.split].get("poetry", [])
        for _ in range(ctx.randint(1, 4)):
            if pool:
                body.paras += _poem(ctx, ctx.rng.choice(pool))
    return body


def body_digest(ctx: Ctx, n: int) -> Body:
    h = ctx.corpora.headlines[ctx.split]
    news = h.get("news") or h.get("qa") or ["今日要闻"]
    body = Body(title=ctx.fill(ctx.pick(P.DIGEST_TITLES), h=ctx.rng.choice(news), date=lambda: fmt_date(ctx, ctx.date)))
    if ctx.chance(0.6):
        body.head.append((ctx.fill(ctx.pick(P.DIGEST_INTRO), date=f"{ctx.date.year}年{ctx.date.month}月{ctx.date.day}日"), CO))
    tpl = ctx.pick(P.DIGEST_ITEM_TPL)
    titled = [d for d in ctx.corpora.docs[ctx.split].get("news", []) if d.title]
    with_lead = ctx.chance(0.3) and titled
    cats = ctx.sample(P.NAV_PORTAL, 4)
    for i in range(max(4, min(n, 18))):
        if with_lead:  # headline followed by the story's first sentence
            d = ctx.rng.choice(titled)
            body.paras.append((ctx.fill(tpl, i=i + 1, h=d.title, cat=ctx.rng.choice(cats)), CO))
            body.paras.append(("".join(d.paragraphs[: ctx.randint(1, 2)]), CO))
        else:
            body.paras.append((ctx.fill(tpl, i=i + 1, h=ctx.rng.choice(news), cat=ctx.rng.choice(cats)), CO))
    return body


def body_post(ctx: Ctx, doc: SourceDoc, n: int) -> Body:
    """A blog entry or a forum thread's first post: first-person, colloquial prose (the article)."""
    pool = [d for d in ctx.corpora.docs[ctx.split].get(doc.genre, []) if d.category == doc.category] or [doc]
    k = min(len(pool), ctx.randint(1, 6))
    texts = [doc.paragraphs[0]] + [ctx.rng.choice(pool).paragraphs[0] for _ in range(k - 1)]
    texts = list(dict.fromkeys(texts))
    body = Body(title=short_clause(ctx.rng, texts, 5, 20) if ctx.chance(0.8) else None)
    paras: list[str] = []
    for t in texts:
        paras += group_sentences(ctx, sentences(t), 1, 4) if len(t) > 120 and ctx.chance(0.5) else [t]
    body.paras = [(t, CO) for t in paras]
    if ctx.chance(0.3):
        body.tail.append((ctx.rng.choice(["以上", "谢谢大家", "先写到这里", "有同样经历的朋友欢迎交流", "完", "大家怎么看？"]), CO))
    return body


GENRE_BUILDERS = {
    "news": body_news, "encyclopedia": body_encyclopedia, "law": body_law, "fiction": body_fiction,
    "classical": body_classical, "qa": body_qa, "review": body_review, "technical": body_technical,
    "poetry": body_poetry,
}
POST_SOURCES = ("review", "qa")


def build_body(ctx: Ctx, genre: str, doc: SourceDoc | None) -> Body:
    n = target_len(ctx)
    if genre == "digest" or doc is None:
        body = body_digest(ctx, n)
        body.genre = "digest"
        return body
    if genre == "post":
        body = body_post(ctx, doc, n)
        body.genre, body.category, body.source_id = doc.genre, doc.category, doc.id
        return body
    body = GENRE_BUILDERS[genre](ctx, doc, n)
    body.genre, body.category, body.source_id = genre, doc.category, doc.id
    if genre in ("news", "law", "qa", "encyclopedia") and ctx.chance(0.12):
        _hard_negatives(ctx, body)
    family = getattr(ctx.style, "family", "")
    if genre in ("news", "encyclopedia", "technical", "law") and ctx.chance(0.3 if family == "edu" else 0.03):
        _academic(ctx, body)
    if genre in ("news", "law", "qa", "technical") and ctx.chance(0.1) and len(body.paras) > 1:
        _list_block(ctx, body)
    if (genre == "law" or family in ("gov", "edu")) and ctx.chance(0.04) and len(body.paras) > 2:
        i = ctx.randint(1, len(body.paras) - 1)
        body.paras[i:i] = _table(ctx)
    if genre in ("news", "fiction", "classical", "law", "encyclopedia") and ctx.chance(0.04):
        _hard_wrap(ctx, body)
    if ctx.chance(0.02):  # private-use indentation a GB18030 decode leaves in front of paragraphs
        ind = ctx.rng.choice(["\ue5e5\ue5e5", "\ue5e5", "\ue5e5\ue5e5\ue5e5\ue5e5"])
        body.paras = [(ind + t if lab == CO and len(t) > 10 else t, lab) for t, lab in body.paras]
    return body


# --- off-topic passages ------------------------------------------------------------------------

def off_topic_passages(ctx: Ctx, avoid_genre: str, avoid_category: str, avoid_id: str, k: int) -> list[str]:
    """1-3 real prose passages (>= 20 chars) from one document of another genre or news category."""
    docs = ctx.corpora.docs[ctx.split]
    genres = [g for g in docs if docs[g] and g != avoid_genre and g != "poetry"]
    if avoid_genre == "news" or not genres:
        genres = genres + (["news"] if docs.get("news") else [])
    for _ in range(10):
        if not genres:
            return []
        g = ctx.rng.choice(genres)
        doc = ctx.rng.choice(docs[g])
        if doc.id == avoid_id or (g == avoid_genre and doc.category == avoid_category):
            continue
        if g == "news":
            cands = group_sentences(ctx, doc.paragraphs, 1, 3)
        elif g == "encyclopedia":
            cands = [p for para in doc.paragraphs for p in (group_sentences(ctx, sentences(para), 1, 3) if len(para) > 200 else [para])]
        elif g == "fiction" and ctx.chance(0.5):
            cands = [s for para in doc.paragraphs for s in group_sentences(ctx, sentences(para), 1, 3)]
        else:
            cands = list(doc.paragraphs)
        cands = [c for c in cands if len(c) >= 20]
        if not cands:
            continue
        start = ctx.randint(0, max(0, len(cands) - k))
        return cands[start : start + k]
    return []
