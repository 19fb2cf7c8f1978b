"""Loading the clean-prose corpora and spam lexicons once, already partitioned into train and test.

Source documents and lexicon terms are assigned to a split by a stable hash of their id/text
(``synth_pools.split_of``), so a document or term used to build test pages is never used for
training pages. Everything derived from documents (headlines for related lists, comment texts)
inherits its document's split.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .synth_pools import SPLITS, split_of

# Genre names used by the generator, from the corpus files' ``genre`` field.
GENRE_MAP: dict[str, str] = {
    "news": "news",
    "encyclopedia": "encyclopedia",
    "government-legal": "law",
    "fiction": "fiction",
    "review": "review",
    "qa": "qa",
    "poetry": "poetry",
    "classical-prose": "classical",
    "technical": "technical",
}
MAX_LAW_PARAGRAPHS = 400
"""Fixed sampling rule for the 25 MB law file: keep each document's first 400 paragraphs."""

_SENT = re.compile(r"[^。！？!?；]*[。！？!?；]+[”’」』）)\"]*|[^。！？!?；]+$")
# Where a THUCNews title (glued to its body without a separator) most likely ends.
_NEWS_MEDIA = (
    "环球时报 人民日报 中国证券报 上海证券报 证券时报 每日经济新闻 经济观察报 21世纪经济报道 第一财经日报 京华时报 新京报 "
    "北京晨报 北京青年报 广州日报 南方都市报 羊城晚报 新快报 扬子晚报 现代快报 华西都市报 成都商报 钱江晚报 东方早报 "
    "新民晚报 中国青年报 法制日报 国际金融报 金融时报 证券日报 中国经营报 华夏时报 中广网 中国网 人民网 新华网 央视网"
).split()
_NEWS_BODY_START = re.compile(
    r"((?:" + "|".join(_NEWS_MEDIA) + r")(?:\(微博\))?\s?(?:记者|讯|报道|消息|/|电)"
    r"|新浪\w{0,4}讯|(?:本|新|晚|日|商|晨|快|时|青年|法制|考试)报(?:\(微博\))?讯|本报|新报讯|快讯|每经|中新网|中新社|新华网|新华社"
    r"|[（(【\[]\s*(记者|中关村在线|ZOL|\w{0,8}(报道|消息|讯|网|在线))|[□⊙●]|编辑(点评|观点)[：:]|导语[：:]"
    r"|简介[：:]|主持人[：:]|作者[：:]|[\w·]{2,4}/文|文/|北京时间|据[^，。]{1,12}(报道|消息)|(\d{4}年)?\d{1,2}月\d{1,2}日)"
)
_WANGDOC_TITLES = {
    "general": "概述", "promise": "Promise 对象", "timer": "定时器", "grammar": "基本语法", "history": "历史",
    "introduction": "导论", "arraybuffer": "ArrayBuffer 对象", "cookie": "Cookie", "cors": "CORS 通信",
    "engine": "浏览器环境概述", "file": "File 对象", "form": "表单", "indexeddb": "IndexedDB API",
    "location": "Location 对象", "navigator": "Navigator 对象", "same-origin": "同源限制", "storage": "Storage 接口",
    "webworker": "Web Worker", "window": "window 对象", "xmlhttprequest": "XMLHttpRequest 对象",
    "attributes": "属性的操作", "css": "CSS 操作", "document": "Document 节点", "element": "Element 节点",
    "mutationobserver": "Mutation Observer API", "node": "Node 接口", "nodelist": "NodeList 接口",
    "parentnode": "ParentNode 接口", "text": "Text 节点", "event": "Event 对象", "eventtarget": "EventTarget 接口",
    "keyboard": "键盘事件", "mouse": "鼠标事件", "touch": "触摸事件", "drag": "拖拉事件", "progress": "进度事件",
    "model": "事件模型", "common": "其他常见事件", "console": "console 对象与控制台", "conversion": "数据类型的转换",
    "error": "错误处理机制", "style": "编程风格", "new": "实例对象与 new 命令", "object": "Object 对象",
    "prototype": "对象的继承", "strict": "严格模式", "this": "this 关键字", "arithmetic": "算术运算符",
    "bit": "二进制位运算符", "boolean": "布尔运算符", "comparison": "比较运算符", "priority": "运算顺序",
    "preface": "前言", "array": "数组", "date": "Date 对象", "json": "JSON 对象", "math": "Math 对象",
    "number": "数值", "regexp": "RegExp 对象", "string": "字符串", "wrapper": "包装对象", "function": "函数",
    "null-undefined-boolean": "null，undefined 和布尔值",
}


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One clean source document; for news ``paragraphs`` are sentences (the source has no breaks)."""

    id: str
    genre: str
    script: str
    title: str | None
    paragraphs: tuple[str, ...]
    category: str = ""
    author: str = ""


@dataclass
class Corpora:
    """Everything the generator draws from, per split: documents by genre, headlines, comments, spam terms."""

    root: Path
    docs: dict[str, dict[str, list[SourceDoc]]]
    headlines: dict[str, dict[str, list[str]]]
    comments: dict[str, list[str]]
    spam: dict[str, dict[str, list[str]]]
    spam_all: dict[str, list[str]] = field(default_factory=dict)

    def genres(self, split: str) -> list[str]:
        return [g for g, docs in self.docs[split].items() if docs]


def sentences(text: str) -> list[str]:
    """Split prose at 。！？；, keeping closing quotes with their sentence."""
    return [s.strip() for s in _SENT.findall(text) if s.strip()]


def split_news_title(text: str) -> tuple[str | None, str]:
    """THUCNews glues the title to the body; recover it from a repeat or a typical body opening."""
    for n in range(40, 5, -1):
        if text[:n] == text[n : 2 * n]:
            return text[:n].strip(), text[2 * n :].strip()
    m = _NEWS_BODY_START.search(text, 6, 60)
    if m and 6 <= m.start() <= 45:
        title = text[: m.start()].strip()
        if title and title[-1] not in "，、：；（(《“" and not any(ch in title for ch in "。！？"):
            return title, text[m.start() :].strip()
    return None, text


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _convert(raw: dict) -> SourceDoc | None:
    genre = GENRE_MAP.get(str(raw.get("genre", "")), str(raw.get("genre", "")))
    paras = [p.strip() for p in raw.get("paragraphs", []) if isinstance(p, str) and p.strip()]
    if not paras:
        return None
    meta = raw.get("meta") or {}
    title = raw.get("title")
    category = str(meta.get("category") or meta.get("domain") or meta.get("department") or "")
    author = str(meta.get("author") or "")
    if genre == "news":
        title, body = split_news_title(" ".join(paras))
        paras = sentences(body)
    elif genre == "law":
        paras = paras[:MAX_LAW_PARAGRAPHS]
        title = paras[0] if len(paras[0]) <= 60 else re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", title or "")
        paras = paras[1:] if len(paras) > 1 else paras
    elif genre == "qa":
        title = paras[0] if len(paras) > 1 else title
        paras = paras[1:] if len(paras) > 1 else paras
    elif genre == "technical":
        stem = str(title or "").rsplit("/", 1)[-1].removesuffix(".md")
        title = _WANGDOC_TITLES.get(stem, stem)
    elif genre == "fiction" and title:
        title = re.sub(r"\s+", " ", title.replace("\u3000", " ")).strip()
    if not paras:
        return None
    return SourceDoc(
        id=str(raw["id"]),
        genre=genre,
        script=str(raw.get("script", "simplified")),
        title=str(title).strip() if title else None,
        paragraphs=tuple(paras),
        category=category,
        author=author,
    )


def _read_terms(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [t.strip() for t in fh if t.strip()]


def load_corpora(root: Path) -> Corpora:
    """Read every prose JSONL and lexicon under ``root`` once, already split into train and test.

    Parsing happens once so that synthesising thousands of pages is cheap; documents and terms
    are assigned to a split here (sha1 of id/term) so no later step can leak across splits. The
    law file is the only big one: each law keeps its first ``MAX_LAW_PARAGRAPHS`` paragraphs.
    """
    root = Path(root)
    docs: dict[str, dict[str, list[SourceDoc]]] = {s: {} for s in SPLITS}
    for path in sorted(root.glob("*/*.jsonl")):
        for raw in _read_jsonl(path):
            doc = _convert(raw)
            if doc is None:
                continue
            docs[split_of(doc.id)].setdefault(doc.genre, []).append(doc)

    headlines: dict[str, dict[str, list[str]]] = {s: {} for s in SPLITS}
    comments: dict[str, list[str]] = {s: [] for s in SPLITS}
    for split in SPLITS:
        h = headlines[split]
        for genre, items in docs[split].items():
            for d in items:
                if d.title and 4 <= len(d.title) <= 48:
                    kind = {"fiction": "novel", "poetry": "poem", "classical": "poem"}.get(genre, genre)
                    h.setdefault(kind, []).append(d.title)
            if genre == "review":
                comments[split].extend(d.paragraphs[0] for d in items if 4 <= len(d.paragraphs[0]) <= 300)
            if genre == "qa":
                comments[split].extend(d.paragraphs[0] for d in items if 6 <= len(d.paragraphs[0]) <= 200)
        # Sentences usable as teaser summaries, "first sentences" headlines and off-topic snippets.
        h["lead"] = [
            d.paragraphs[0]
            for d in docs[split].get("news", [])
            if d.title and 12 <= len(d.paragraphs[0]) <= 160
        ]

    spam_all: dict[str, list[str]] = {}
    for path in sorted(root.glob("lexicons/*/*.txt")):
        spam_all.setdefault(path.stem, [])
        seen = set(spam_all[path.stem])
        for term in _read_terms(path):
            if term not in seen:
                seen.add(term)
                spam_all[path.stem].append(term)
    spam: dict[str, dict[str, list[str]]] = {s: {} for s in SPLITS}
    for cat, terms in spam_all.items():
        for s in SPLITS:
            spam[s][cat] = []
        for term in terms:
            spam[split_of(term)][cat].append(term)
    return Corpora(root=root, docs=docs, headlines=headlines, comments=comments, spam=spam, spam_all=spam_all)
