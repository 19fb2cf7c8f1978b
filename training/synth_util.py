"""Small shared helpers for the synthetic page generator: per-document context, names, numbers, dates.

All randomness flows through the ``random.Random`` carried by :class:`Ctx`, so a document is a pure
function of (seed, split, index).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import synth_pools as P

if TYPE_CHECKING:
    from .synth_corpus import Corpora

# Line breaks a paragraph must never contain, and the edge characters the segmenter trims.
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")
EDGE = (
    " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)
_CLAUSE_SPLIT = re.compile(r"[，。！？；：、,!?;:“”\"‘’「」『』（）()《》\s．]+")


def clean_line(text: str) -> str:
    """One segmenter-stable line: no line terminators inside, no trimmable characters at the edges."""
    return _BREAKS.sub(" ", text).strip(EDGE)


@dataclass
class Ctx:
    """Everything a block generator needs for one document."""

    rng: random.Random
    split: str
    corpora: "Corpora"
    style: Any = None
    title: str = ""
    date: dt.datetime = field(default_factory=lambda: dt.datetime(2019, 4, 1, 10, 22))
    genre: str = "news"
    category: str = ""
    flags: dict[str, Any] = field(default_factory=dict)

    # --- picking from pools -------------------------------------------------------------------
    def pick(self, pool: P.Pool) -> Any:
        return pool.pick(self.rng, self.split)

    def sample(self, pool: P.Pool, k: int) -> list[Any]:
        return pool.sample(self.rng, self.split, k)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def randint(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    # --- invented entities --------------------------------------------------------------------
    def name(self, spaced: bool = False) -> str:
        sur = self.pick(P.SURNAMES)
        given = "".join(self.pick(P.GIVEN) for _ in range(1 if self.rng.random() < 0.35 else 2))
        if spaced and len(sur) + len(given) == 2:
            return f"{sur} {given}" if self.rng.random() < 0.7 else f"{sur}   {given}"
        return sur + given

    def place(self) -> str:
        if self.chance(0.4):
            return self.pick(P.PROVINCES)
        return self.pick(P.CITIES) + ("市" if self.chance(0.5) else "")

    def media(self) -> str:
        if self.chance(0.6):
            return self.pick(P.MEDIA)
        return self.pick(P.CITIES) + self.pick(P.MEDIA_SUFFIX)

    def org(self) -> str:
        return self.pick(P.CITIES) + "市" + self.pick(P.ORG_UNITS)

    def user(self) -> str:
        r = self.rng.random()
        if r < 0.25:
            return self.pick(P.USER_ADJ) + self.pick(P.USER_NOUN) + (str(self.randint(1, 9999)) if self.chance(0.4) else "")
        if r < 0.45:
            return self.pick(P.USER_EN) + str(self.randint(1, 99999)) if self.chance(0.6) else self.pick(P.USER_EN) + "_" + self.pick(P.USER_EN)
        if r < 0.6:
            return "网友" + str(self.randint(10000, 99999999))
        if r < 0.7:
            return self.pick(P.CITIES) + "网友"
        if r < 0.85:
            return self.name()
        return "".join(self.pick(P.PINYIN) for _ in range(self.randint(2, 3))) + str(self.randint(1, 999))

    def domain(self, www: bool = True) -> str:
        body = "".join(self.pick(P.PINYIN) for _ in range(self.randint(1, 3)))
        if self.chance(0.2):
            body += str(self.randint(1, 999))
        return ("www." if www and self.chance(0.7) else "") + body + self.pick(P.TLDS)

    def email(self) -> str:
        box = "".join(self.pick(P.PINYIN) for _ in range(self.randint(1, 2))) + (str(self.randint(1, 9999)) if self.chance(0.5) else "")
        host = self.rng.choice(["163.com", "126.com", "qq.com", "sina.com", "gmail.com", "sohu.com"]) if self.chance(0.5) else self.domain(False)
        return f"{box}@{host}"

    def tel(self) -> str:
        area = self.rng.choice(["010", "021", "022", "023", "025", "027", "028", "029", "0371", "0471", "0516", "0731", "0755", "0571", "0591", "0851"])
        return f"{area}-{self.randint(2000000, 89999999)}"

    def phone(self) -> str:
        return self.rng.choice(["13", "15", "18", "17", "19"]) + "".join(str(self.randint(0, 9)) for _ in range(9))

    def hotline(self) -> str:
        return f"400-{self.randint(100, 999)}-{self.randint(1000, 9999)}"

    def qq(self) -> str:
        return str(self.randint(10000, 3999999999))

    def wx(self) -> str:
        return "".join(self.rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(self.randint(2, 6))) + str(self.randint(10, 99999))

    def url(self) -> str:
        dom = self.domain()
        path = self.rng.choice(["", f"/{self.randint(100, 99999)}.html", f"/news/{self.date:%Y%m%d}/{self.randint(1000, 9999)}.shtml",
                                f"/article/{self.randint(10000, 999999)}", f"/p/{self.randint(1000000, 9999999)}"])
        return self.rng.choice(["http://", "https://", ""]) + dom + path

    def num(self, lo: int = 1, hi: int = 9999) -> int:
        """A count skewed towards small values, like view and comment counters."""
        return int(lo + (hi - lo) * self.rng.random() ** 3)

    def fill(self, template: str, **extra: Any) -> str:
        """Fill a pool template; unknown fields are generated on demand."""
        return _Filler(self, extra).fill(template)


class _Filler:
    def __init__(self, ctx: Ctx, extra: dict[str, Any]) -> None:
        self.ctx = ctx
        self.extra = extra

    def fill(self, template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(self.value(m.group(1))), template)

    def value(self, key: str) -> Any:
        c = self.ctx
        if key in self.extra:
            v = self.extra[key]
            return v() if callable(v) else v
        gens = {
            "name": c.name, "name2": c.name, "user": c.user, "place": c.place, "city": lambda: c.pick(P.CITIES),
            "media": c.media, "org": c.org, "unit": lambda: c.pick(P.ORG_UNITS), "pos": lambda: c.pick(P.POSITIONS),
            "email": c.email, "tel": c.tel, "phone": c.phone, "hotline": c.hotline, "qq": c.qq, "wx": c.wx,
            "url": c.url, "domain": c.domain, "n": lambda: c.num(1, 9999), "m": lambda: c.num(1, 99999),
            "k": lambda: c.randint(1, 9), "k2": lambda: c.randint(1, 11), "site": lambda: getattr(c.style, "name", "本站"),
            "title": lambda: c.title, "y0": lambda: c.randint(1996, min(c.date.year, 2015)),
            "y1": lambda: c.date.year + c.randint(0, 3), "date": lambda: fmt_date(c, c.date),
            "addr": lambda: c.pick(P.CITIES) + "市" + c.pick(P.ROADS) + f"{c.randint(1, 999)}号",
            "zip": lambda: f"{c.randint(10, 85)}{c.randint(0, 9999):04d}", "p": lambda: c.pick(P.ICP_ABBR),
            "n3": lambda: f"{c.randint(0, 999):03d}", "n4": lambda: f"{c.randint(0, 9999):04d}",
            "n6": lambda: f"{c.randint(0, 999999):06d}", "n8": lambda: f"{c.randint(1000000, 99999999):08d}",
            "n10": lambda: f"{c.randint(1000000000, 9999999999)}", "n11": lambda: f"{c.randint(10000000000, 99999999999)}",
            "n14": lambda: f"{c.randint(10000000000000, 99999999999999)}", "hm": lambda: f"{c.randint(0, 23):02d}:{c.randint(0, 59):02d}",
            "cn": lambda: c.rng.choice(CN_NUMS[:8]), "weekday": lambda: c.pick(P.WEEKDAYS),
            "lunar": lambda: c.rng.choice(["正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"]) + c.rng.choice(["初一", "初五", "十二", "十五", "廿三", "廿八"]),
        }
        gen = gens.get(key)
        return gen() if gen else "{" + key + "}"


CN_NUMS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


# --- dates -------------------------------------------------------------------------------------

def random_date(rng: random.Random) -> dt.datetime:
    start = dt.datetime(2003, 1, 1)
    return start + dt.timedelta(seconds=rng.randrange(int((dt.datetime(2024, 12, 31) - start).total_seconds())))


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _f_iso(d: dt.datetime) -> str: return f"{d:%Y-%m-%d}"
def _f_iso_hm(d: dt.datetime) -> str: return f"{d:%Y-%m-%d %H:%M}"
def _f_iso_hms(d: dt.datetime) -> str: return f"{d:%Y-%m-%d %H:%M:%S}"
def _f_slash_hm(d: dt.datetime) -> str: return f"{d.year}/{d.month}/{d.day} {d:%H:%M}"
def _f_cn(d: dt.datetime) -> str: return f"{d.year}年{d.month}月{d.day}日"
def _f_cn_hm(d: dt.datetime) -> str: return f"{d.year}年{d:%m}月{d:%d}日 {d:%H:%M}"
def _f_dots(d: dt.datetime) -> str: return f"{d:%Y.%m.%d}"
def _f_us(d: dt.datetime) -> str: return f"{d.month}/{d.day}/{d.year} {(d.hour % 12) or 12}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'}"
def _f_short(d: dt.datetime) -> str: return f"{d.year}-{d.month}-{d.day}"
def _f_bracket(d: dt.datetime) -> str: return f"[{d:%Y-%m-%d}]"
def _f_cn_week(d: dt.datetime) -> str: return f"{d.year}年{d.month}月{d.day}日 星期{'一二三四五六日'[d.weekday()]}"
def _f_en(d: dt.datetime) -> str: return f"{P.EN_DAYS[d.weekday()]}, {P.EN_MONTHS[d.month - 1]} {_ordinal(d.day)}, {d.year} {(d.hour % 12) or 12}:{d:%M} {'am' if d.hour < 12 else 'pm'}"
def _f_md_hm(d: dt.datetime) -> str: return f"{d:%m-%d %H:%M}"
def _f_cn_full(d: dt.datetime) -> str: return f"{d.year}年{d:%m}月{d:%d}日 {d:%H}时{d:%M}分{d:%S}秒"
def _f_slash(d: dt.datetime) -> str: return f"{d:%Y/%m/%d}"
def _f_iso_hm2(d: dt.datetime) -> str: return f"{d:%Y-%m-%d}  {d:%H:%M}"
def _f_cn_short(d: dt.datetime) -> str: return f"{d.month}月{d.day}日 {d:%H:%M}"
def _f_compact(d: dt.datetime) -> str: return f"{d:%Y%m%d}"
def _f_dots_hm(d: dt.datetime) -> str: return f"{d.year}.{d.month}.{d.day} {d:%H:%M}"
def _f_cn_pad(d: dt.datetime) -> str: return f"{d.year}年{d:%m}月{d:%d}日"


DATE_FORMATS = P.pool(
    "date_formats",
    [_f_iso, _f_iso_hm, _f_iso_hms, _f_slash_hm, _f_cn, _f_cn_hm, _f_dots, _f_us, _f_short, _f_bracket,
     _f_cn_week, _f_en, _f_md_hm, _f_cn_full, _f_slash, _f_iso_hm2, _f_cn_short, _f_compact, _f_dots_hm, _f_cn_pad],
)


def fmt_date(ctx: Ctx, d: dt.datetime) -> str:
    fmt = getattr(ctx.style, "date_fmt", None) or ctx.pick(DATE_FORMATS)
    return fmt(d)


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(text) if c]


def short_clause(rng: random.Random, texts: list[str], lo: int = 4, hi: int = 16) -> str | None:
    """A clause of ``lo``..``hi`` characters from some text: raw material for headings and captions."""
    cands = [c for t in texts for c in clauses(t) if lo <= len(c) <= hi and not c.isascii()]
    return rng.choice(cands) if cands else None
