"""Site-level evidence: lines repeated across a site's documents, and the ``site_repeat`` override.

Fixtures come from the seeds: 002 and 003 are two pages of one site sharing their injected spam
header and their breadcrumb.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.batch import BatchOptions, clean_corpus  # noqa: E402
from service.corpus_evidence import (  # noqa: E402
    OVERRIDE_SITE_REPEAT,
    SiteLineCounter,
    SiteRepeatParams,
    apply_site_repeats,
    clean_with_site_evidence,
    document_lines,
    repeated_lines,
    site_key,
)
from service.normalize import normalize  # noqa: E402
from service.records import CleanResult, ParagraphResult  # noqa: E402
from tests.support import one_blas_thread, read_seed_texts  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    with one_blas_thread():
        yield


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    return read_seed_texts()


def perturbed(text: str, n: int) -> str:
    """Another page of the same template: one body paragraph dropped, one numbered line added."""
    lines = text.split("\n")
    del lines[6 + n]
    lines.insert(5, f"（第{n}期）本页内容更新于第{n + 3}周。")
    return "\n".join(lines)


# -- the pure function -------------------------------------------------------------------------------------


def test_site_key():
    assert site_key("https://www.MCA.gov.cn:8080/a/b.html?x=1") == "mca.gov.cn"
    assert site_key("//news.sina.com.cn/x") == "news.sina.com.cn"
    assert site_key("Sina.com.cn") == "sina.com.cn"
    assert site_key(None) is None and site_key("  ") is None


def test_seeds_002_and_003_share_their_spam_header_and_breadcrumb(seed_texts):
    s002, s003 = seed_texts[2], seed_texts[3]
    spam, crumb = (normalize(line) for line in s002.split("\n")[:3:2])
    assert s003.startswith(s002.split("\n")[0]) and crumb.startswith("当前位置")  # traditional -> simplified
    texts = [s002, s003, perturbed(s002, 0), perturbed(s003, 1), seed_texts[0], seed_texts[0]]
    sites = ["http://www.mca-site.cn/1", "http://mca-site.cn/2", "http://mca-site.cn/3", "http://mca-site.cn/4", "other.cn", None]
    rep = repeated_lines(texts, sites)
    for doc in rep[:4]:
        assert {spam, crumb} <= doc
    title_002 = normalize(s002.split("\n")[4])
    assert title_002 not in rep[0]  # in 2 documents only: below min_docs=3
    assert rep[4] == frozenset() and rep[5] == frozenset()  # one page of its site; no site at all
    lines_002 = set(document_lines([s002])[0])
    assert rep[0] <= lines_002


def test_thresholds_min_docs_and_min_share(seed_texts):
    header = seed_texts[2].split("\n")[0]
    site_docs = [seed_texts[2], seed_texts[3], perturbed(seed_texts[2], 0), perturbed(seed_texts[3], 1)]
    others = [perturbed(seed_texts[(0, 1, 4)[i % 3]], i) for i in range(8)]  # 8 more pages without the header
    texts, sites = site_docs + others, ["s.cn"] * 12
    key = normalize(header)
    assert key in repeated_lines(texts, sites)[0]  # 4 of 12 = 33 % >= 30 %
    assert key not in repeated_lines(texts, sites, SiteRepeatParams(min_share=0.34))[0]
    assert key not in repeated_lines(texts, sites, SiteRepeatParams(min_docs=5))[0]
    assert key in repeated_lines(texts[:3], sites[:3], SiteRepeatParams(min_docs=3))[0]
    assert key not in repeated_lines(texts[:2], sites[:2])[0]
    counter = SiteLineCounter()  # document frequency: a line twice in one page counts once
    counter.add("s", ["a", "a", "b"])
    counter.add("s", ["a"])
    assert counter.lines["s"]["a"] == 2 and counter.docs["s"] == 2
    with pytest.raises(ValueError):
        SiteRepeatParams(min_docs=1)


# -- the override, without a model ------------------------------------------------------------------------------


def _para(start: int, end: int, label: str, scores: dict[str, float], first: str) -> ParagraphResult:
    return ParagraphResult(start=start, end=end, label=label, scores=scores, first_pass=first, kept=label == "content")


def test_override_relabels_repeated_content_and_records_why():
    text = "导航\n正文第一段很长很长的文字内容\n本站声明文字\n推广热线一二三\n正文第二段"
    spans = [(0, 2), (3, 17), (18, 24), (25, 32), (33, 38)]
    labels = ["chrome", "content", "content", "content", "content"]
    scores = [
        {"content": 0.1, "chrome": 0.9, "spam": 0.0, "off_topic": 0.0},
        {"content": 0.9, "chrome": 0.05, "spam": 0.03, "off_topic": 0.02},
        {"content": 0.6, "chrome": 0.3, "spam": 0.1, "off_topic": 0.0},
        {"content": 0.5, "chrome": 0.1, "spam": 0.35, "off_topic": 0.05},
        {"content": 0.9, "chrome": 0.1, "spam": 0.0, "off_topic": 0.0},
    ]
    paragraphs = [_para(s, e, lab, sc, "chrome") for (s, e), lab, sc in zip(spans, labels, scores)]
    kept = [text[s:e] for (s, e), lab in zip(spans, labels) if lab == "content"]
    result = CleanResult(text="\n".join(kept), paragraphs=paragraphs, chars_in=len(text), removed={"chrome": 1})
    norms = [text[s:e] for s, e in spans]

    out = apply_site_repeats(result, norms, {"本站声明文字", "推广热线一二三", "导航"})
    assert [p.label for p in out.paragraphs] == ["chrome", "content", "chrome", "spam", "content"]
    assert out.text == "正文第一段很长很长的文字内容\n正文第二段"
    assert out.removed == {"chrome": 2, "spam": 1}
    d2, d3 = out.paragraphs[2].to_dict(), out.paragraphs[3].to_dict()
    assert d2["override"] == d3["override"] == OVERRIDE_SITE_REPEAT == "site_repeat"
    assert d2["first_pass"] == "chrome" and d2["scores"] == scores[2] and d2["kept"] is False
    assert "override" not in out.paragraphs[0].to_dict()  # the model already removed it: untouched
    assert result.paragraphs[2].label == "content"  # the input result is not modified
    # keeping chrome keeps the relabelled line
    assert apply_site_repeats(result, norms, {"本站声明文字"}, keep=("content", "chrome")).paragraphs[2].kept
    # guard: repeated lines would take more than half of the content characters -> left alone
    assert apply_site_repeats(result, norms, {"正文第一段很长很长的文字内容", "本站声明文字"}) is result
    assert apply_site_repeats(result, norms, set()) is result


# -- with the model -----------------------------------------------------------------------------------------------


def _inject(text: str, line: str) -> str:
    lines = text.split("\n")
    lines.insert(len(lines) // 2, line)
    return "\n".join(lines)


def test_injected_repeated_prose_is_relabelled_in_python_and_in_batch(tmp_path, cleaner, models_dir, seed_texts):
    labelled = [json.loads(line) for line in (REPO / "seeds" / "labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    candidates = [
        p["text"] for d in labelled[:2] for p in d["paragraphs"] if p["label"] == "content" and 20 <= len(p["text"]) <= 300
    ]
    hosts = [seed_texts[2], seed_texts[3], perturbed(seed_texts[2], 0), perturbed(seed_texts[3], 1), seed_texts[4]]
    line = None
    for cand in candidates:  # a real content sentence (from another article) that the model keeps in all hosts
        results = cleaner.clean_many([_inject(h, cand) for h in hosts])
        if all(any(p.label == "content" and r_text == cand for p, r_text in _texts(r, _inject(h, cand))) for r, h in zip(results, hosts)):
            line = cand
            break
    if line is None:
        pytest.skip("the model labels none of the candidate sentences content in every host page")
    texts = [_inject(h, line) for h in hosts] + [seed_texts[0]]
    sites = ["https://www.mca-site.cn/a"] * 5 + ["https://seed000.cn/"]
    plain = cleaner.clean_many(texts)
    with_evidence = clean_with_site_evidence(cleaner, texts, sites)
    for i in range(5):
        before = {t: p for p, t in _texts(plain[i], texts[i])}[line]
        after = {t: p for p, t in _texts(with_evidence[i], texts[i])}[line]
        assert before.label == "content" and after.label in ("chrome", "spam") and not after.kept
        assert after.to_dict()["override"] == "site_repeat" and after.first_pass == before.first_pass
        assert line not in with_evidence[i].text.split("\n")
        for (p_after, t), (p_before, _) in zip(_texts(with_evidence[i], texts[i]), _texts(plain[i], texts[i])):
            if getattr(p_after, "override", None):  # only repeated lines the model kept as content
                assert p_before.label == "content" and _repeated(t, texts[:5])
            else:
                assert (p_after.label, p_after.kept) == (p_before.label, p_before.kept)
    assert [r.text for r in with_evidence[5:]] == [r.text for r in plain[5:]]

    # the batch runner, from a JSONL with URLs: the same verdicts, the evidence saved for --resume
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "url": u, "text": t}, ensure_ascii=False) + "\n" for i, (u, t) in enumerate(zip(sites, texts))), encoding="utf-8")
    out = tmp_path / "out"
    summary = clean_corpus(src, out, BatchOptions(workers=0, progress=False, site_field="url"), models_dir=models_dir)
    got = [json.loads(x) for x in (out / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [g["text"] for g in got] == [r.text for r in with_evidence]
    assert [g["paragraphs"] for g in got] == [[p.to_dict() for p in r.paragraphs] for r in with_evidence]
    assert summary["overrides"]["site_repeat"] == sum(1 for r in with_evidence for p in r.paragraphs if getattr(p, "override", None))
    assert summary["overrides"]["site_repeat"] >= 5
    assert summary["site_evidence"]["sites"] == 2 and summary["site_evidence"]["sites_with_repeats"] == 1
    assert json.loads((out / "_site_repeats.json").read_text())["docs_per_site"] == {"mca-site.cn": 5, "seed000.cn": 1}


def _texts(result: CleanResult, text: str) -> list[tuple[ParagraphResult, str]]:
    return [(p, text[p.start : p.end]) for p in result.paragraphs]


def _repeated(line: str, texts: list[str]) -> bool:
    norm = normalize(line)
    return sum(norm in set(document_lines([t])[0]) for t in texts) >= 3


def test_duplicate_pages_are_left_alone(cleaner, seed_texts):
    """Four copies of one page: every line is "repeated", the guard keeps the article."""
    texts = [seed_texts[2]] * 4
    plain = cleaner.clean_many(texts)
    got = clean_with_site_evidence(cleaner, texts, ["mca-site.cn"] * 4)
    assert [r.text for r in got] == [r.text for r in plain]
    assert not any(getattr(p, "override", None) for r in got for p in r.paragraphs)
