"""What the site-repeat override changes on the labelled dev set (real pages with a ``site`` field).

    .venv/bin/python -m bench.site_evidence_devset [--devset ../shared/devset/docs.jsonl]
        [--models-dir DIR] [--model NAME] [--min-docs 3 2] [--json FILE]

Cleans every dev-set page with the model alone and with the site-repeat evidence of the whole
dev set (``service.corpus_evidence.clean_with_site_evidence``), scores both with
``training.metrics.evaluate`` (by line and by character) and lists every paragraph whose label
changed, with its true label. Use a model that was *not* trained on the dev set (``jingwen train
--no-devset``): the script says so when the model's manifest lists the dev set among its data.

Only a few dev-set sites have several pages (sina.com.cn 4, yahoo.com 3, and four sites with 2),
so with the default ``min_docs=3`` the evidence can only act on two sites; ``--min-docs 2`` shows
what a looser threshold would do.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a script: python bench/...

from bench.batch_bench import write_report  # noqa: E402
from service import Cleaner  # noqa: E402
from service.corpus_evidence import SiteRepeatParams, clean_with_site_evidence, document_lines, repeated_lines  # noqa: E402
from service.settings import MODELS_DIR_DEFAULT, Settings  # noqa: E402
from training.data import read_labelled  # noqa: E402
from training.metrics import evaluate, format_report  # noqa: E402
from training.recipe import DEVSET_DEFAULT  # noqa: E402


def _summary(report: dict) -> dict[str, object]:
    out = {}
    for unit in ("line", "char"):
        r = report[unit]
        out[unit] = {
            "keep_f1": round(r["keep_f1"], 4),
            "content_kept": round(r["content_kept"], 4),
            "chrome_removed": round(r["removed"]["chrome"], 4),
            "spam_removed": round(r["removed"]["spam"], 4),
            "content_f1": round(r["per_label"]["content"]["f1"], 4),
            "chrome_f1": round(r["per_label"]["chrome"]["f1"], 4),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", type=Path, default=DEVSET_DEFAULT)
    ap.add_argument("--models-dir", type=Path, default=None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--min-docs", type=int, nargs="+", default=[3, 2])
    ap.add_argument("--min-share", type=float, default=0.3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    settings = Settings.from_env(models_dir=args.models_dir, model=args.model)
    cleaner = Cleaner.from_dir(settings.models_dir or MODELS_DIR_DEFAULT, settings.model)
    trained_on = cleaner.model.manifest.get("training", {}).get("documents", {})  # type: ignore[union-attr]
    contaminated = "devset" in trained_on
    if contaminated:
        print("WARNING: this model was trained on the dev set; its scores here are optimistic", file=sys.stderr)

    docs = list(read_labelled(args.devset))
    texts = ["\n".join(d.texts) for d in docs]
    sites = [d.site or None for d in docs]
    true = [lab for d in docs for lab in d.labels]
    lengths = [len(t) for d in docs for t in d.texts]
    pages = Counter(s for s in sites if s)

    plain = cleaner.clean_many(texts)
    plain_labels = [p.label for r in plain for p in r.paragraphs]
    assert len(plain_labels) == len(true), "paragraphs do not align with the labels"
    base = evaluate(true, plain_labels, lengths)
    print(format_report(base, f"== model alone ({cleaner.model.path.name})"), file=sys.stderr)
    result: dict[str, object] = {
        "model": str(cleaner.model.path),
        "trained_on_devset": contaminated,
        "documents": len(docs),
        "sites_with_several_pages": {s: n for s, n in pages.items() if n > 1},
        "model_alone": _summary(base),
        "with_site_evidence": {},
    }
    norms = document_lines(texts)
    for k in args.min_docs:
        params = SiteRepeatParams(min_docs=k, min_share=args.min_share)
        repeats = repeated_lines(texts, sites, params, norms=norms)
        got = clean_with_site_evidence(cleaner, texts, sites, params)
        labels = [p.label for r in got for p in r.paragraphs]
        report = evaluate(true, labels, lengths)
        print(format_report(report, f"== with site evidence (min_docs={k}, min_share={args.min_share})"), file=sys.stderr)
        changes = []
        for d, before, after, text_doc in zip(docs, plain, got, texts):
            for lab, pb, pa in zip(d.labels, before.paragraphs, after.paragraphs):
                if pb.label != pa.label:
                    changes.append({"doc": d.id, "site": d.site, "true": lab, "before": pb.label, "after": pa.label,
                                    "text": text_doc[pa.start : pa.end][:80]})
        transitions = Counter(f"{c['true']}: {c['before']} -> {c['after']}" for c in changes)
        # the evidence itself, whatever the model said: how many repeated paragraphs are really chrome/spam
        hits = Counter(
            (lab, pb.label)
            for d, before, n, rep in zip(docs, plain, norms, repeats)
            for lab, pb, line in zip(d.labels, before.paragraphs, n)
            if line in rep
        )
        by_true: Counter[str] = Counter()
        by_model: Counter[str] = Counter()
        for (lab, model_label), n in hits.items():
            by_true[lab] += n
            by_model[model_label] += n
        result["with_site_evidence"][f"min_docs={k}"] = {  # type: ignore[index]
            "repeated_lines_per_site": {s: len(set().union(*(r for r, s2 in zip(repeats, sites) if s2 == s))) for s in pages if pages[s] >= k},
            "repeated_paragraphs": sum(hits.values()),
            "repeated_paragraphs_true_label": dict(by_true),
            "repeated_paragraphs_model_label": dict(by_model),
            "paragraphs_changed": len(changes),
            "transitions": dict(transitions),
            "scores": _summary(report),
            "changes": changes,
        }
        print(
            f"  {sum(hits.values())} paragraph(s) on repeated lines (true label, model label): {dict(hits)}; "
            f"{len(changes)} relabelled: {dict(transitions)}",
            file=sys.stderr,
        )
        for c in changes:
            print(f"    {c['site']:<14} true {c['true']:<8} {c['before']} -> {c['after']}: {c['text']}", file=sys.stderr)
    write_report(result, args.json, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
