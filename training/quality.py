"""The quality report: the model recipe against the rules baseline on real pages, honestly.

Real pages (the dev set) and the seed documents are scored out of fold: folds are grouped by site
(each seed document is its own group), so no model sees the site it is tested on. Spam and
off-topic removal are measured on the same held-out pages with spam and off-topic paragraphs
injected from the test halves of the lexicons and corpora, by a model whose lexicon and
synthetic data (and the noisy copies of its real training pages) hold only the train halves.
Each page is injected several times (``--injection-draws``): one draw puts only 4,000-8,000
off-topic characters into the dev set, so a single passage moved the figure by 0.07.

    python -m training.quality --folds 4 --json out/quality.json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from .baseline import baseline_labels
from .data import LabelledDoc, from_dicts, read_labelled
from .evaluate import as_documents, final_labels, predict_proba, to_labels
from .metrics import evaluate, format_report
from .recipe import (
    CORPORA_DEFAULT,
    DEVSET_DEFAULT,
    INJECTED_COPIES,
    SEEDS_DEFAULT,
    SYNTHESIS_SEED_DEFAULT,
    SYNTHETIC_DOCS_DEFAULT,
    fit_classifier,
)

log = logging.getLogger(__name__)

FOLDS = 4
"""Site-grouped folds of the README's table (``make quality``)."""
INJECTION_DRAWS = 5
DRAW_STRIDE = 100_003  # draw r of page i injects with seed + i + r * DRAW_STRIDE: draws never share a seed


def _flat(docs: Sequence[LabelledDoc]) -> tuple[list[str], list[str], list[int]]:
    return (
        [lab for d in docs for lab in d.labels],
        [t for d in docs for t in d.texts],
        [len(t) for d in docs for t in d.texts],
    )


def run(
    devset: Path,
    seeds: Path,
    corpora: Path,
    folds: int = FOLDS,
    synthetic_docs: int = SYNTHETIC_DOCS_DEFAULT,
    seed: int = SYNTHESIS_SEED_DEFAULT,
    params: dict[str, object] | None = None,
    injected_copies: int = INJECTED_COPIES,
    injection_draws: int = INJECTION_DRAWS,
) -> dict[str, object]:
    from .synth import inject_noise, load_corpora, spam_terms, synthesize

    if injection_draws < 1:
        raise ValueError("injection_draws must be at least 1")
    started = time.perf_counter()
    corp = load_corpora(corpora)
    lexicon = spam_terms(corp, "train")
    synthetic = from_dicts(synthesize(corp, synthetic_docs, seed, "train"), "synthetic") if synthetic_docs else []
    dev = read_labelled(devset)
    seed_docs = read_labelled(seeds)
    real = dev + seed_docs
    real_roles = ["devset"] * len(dev) + ["seeds"] * len(seed_docs)
    groups = np.array([d.site or d.id for d in dev] + [f"seed:{d.id}" for d in seed_docs])
    # injected[i][r] is draw r of page i; draw 0 is the one earlier reports measured (seed + i).
    injected = [
        [
            from_dicts([inject_noise(d.to_json(), corp, seed=seed + i + r * DRAW_STRIDE, split="test")], f"injected:{d.id}")[0]
            for r in range(injection_draws)
        ]
        for i, d in enumerate(real)
    ]

    pred: dict[str, list[str]] = {}
    first: dict[str, list[str]] = {}
    pred_inj: dict[str, list[list[str]]] = {}
    scores: dict[str, list[list[float]]] = {}
    scores_inj: dict[str, list[list[list[float]]]] = {}
    for k, (train_idx, test_idx) in enumerate(GroupKFold(n_splits=folds).split(real, groups=groups)):
        train = [real[i] for i in train_idx] + synthetic
        roles = [real_roles[i] for i in train_idx] + ["synthetic"] * len(synthetic)
        model = fit_classifier(train, roles, lexicon, params, corp, seed, injected_copies)
        test_docs = as_documents([real[i] for i in test_idx])
        test_inj = as_documents([draw for i in test_idx for draw in injected[i]])
        p2, p1 = predict_proba(model, test_docs)
        p2_inj, _ = predict_proba(model, test_inj)
        final, fp = to_labels(p2, p1, test_docs)
        final_inj = final_labels(p2_inj, test_inj)
        pos = pos_inj = 0
        for i in test_idx:
            n = len(real[i].labels)
            pred[real[i].id] = final[pos : pos + n]
            first[real[i].id] = fp[pos : pos + n]
            scores[real[i].id] = np.round(p2[pos : pos + n], 4).tolist()
            pos += n
            pred_inj[real[i].id], scores_inj[real[i].id] = [], []
            for draw in injected[i]:
                n_inj = len(draw.labels)
                pred_inj[real[i].id].append(final_inj[pos_inj : pos_inj + n_inj])
                scores_inj[real[i].id].append(np.round(p2_inj[pos_inj : pos_inj + n_inj], 4).tolist())
                pos_inj += n_inj
        log.info("fold %d/%d done (%.0fs)", k + 1, folds, time.perf_counter() - started)

    def collect(docs: Sequence[LabelledDoc], table: dict[str, list[str]]) -> list[str]:
        return [lab for d in docs for lab in table[d.id]]

    report: dict[str, object] = {
        "folds": folds,
        "synthetic_docs": synthetic_docs,
        "seed": seed,
        "injected_copies": injected_copies,
        "injection_draws": injection_draws,
    }
    for name, docs, inj in (("devset", dev, injected[: len(dev)]), ("seeds", seed_docs, injected[len(dev) :])):
        true, texts, lengths = _flat(docs)
        true_i, texts_i, lengths_i = _flat([draw for draws in inj for draw in draws])
        report[name] = {
            "model": evaluate(true, collect(docs, pred), lengths),
            "first_pass": evaluate(true, collect(docs, first), lengths),
            "baseline": evaluate(true, baseline_labels(texts), lengths),
            "model_injected": evaluate(true_i, [lab for d in docs for draw in pred_inj[d.id] for lab in draw], lengths_i),
            "baseline_injected": evaluate(true_i, baseline_labels(texts_i), lengths_i),
        }
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["predictions"] = {
        d.id: {
            "pred": pred[d.id],
            "first": first[d.id],
            "scores": scores[d.id],
            "injected": [
                {"labels": draw.labels, "texts": draw.texts, "pred": pred_inj[d.id][r], "scores": scores_inj[d.id][r]}
                for r, draw in enumerate(draws)
            ],
        }
        for d, draws in zip(real, injected)
    }
    return report


def summary_table(report: dict[str, object]) -> str:
    """The headline numbers as a Markdown table: by characters, model vs. rules baseline."""
    rows = [
        "| set | system | keep F1 | content kept | chrome removed | spam removed* | off-topic removed* |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("devset", "seeds"):
        part = report[name]  # type: ignore[index]
        for system in ("model", "first_pass", "baseline"):
            plain = part[system]["char"]
            spam = off = "–"
            if system != "first_pass":
                inj_c = part[f"{system}_injected"]["char"]
                spam = f"{inj_c['removed']['spam']:.4f}"
                off = f"{inj_c['removed']['off_topic']:.4f}"
            rows.append(
                f"| {name} | {system.replace('_', ' ')} | {plain['keep_f1']:.4f} | {plain['content_kept']:.4f} | "
                f"{plain['removed']['chrome']:.4f} | {spam} | {off} |"
            )
    rows.append("")
    rows.append(
        f"\\* measured on the same held-out pages with spam and off-topic paragraphs injected from the test halves, "
        f"{report.get('injection_draws', 1)} draws per page."
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", type=Path, default=DEVSET_DEFAULT)
    ap.add_argument("--seeds", type=Path, default=SEEDS_DEFAULT)
    ap.add_argument("--corpora", type=Path, default=CORPORA_DEFAULT)
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--synthetic", type=int, default=SYNTHETIC_DOCS_DEFAULT)
    ap.add_argument("--seed", type=int, default=SYNTHESIS_SEED_DEFAULT,
                    help="synthesis seed: it draws the synthetic pages and the injected passages (one run is one draw)")
    ap.add_argument("--injected-copies", type=int, default=INJECTED_COPIES, help="noisy copies of each real training page")
    ap.add_argument("--injection-draws", type=int, default=INJECTION_DRAWS,
                    help="injected versions of each held-out page the spam and off-topic figures average over")
    ap.add_argument("--json", type=Path, help="write the full report here")
    ap.add_argument("--dump", type=Path, help="write out-of-fold labels and scores per document, plain and injected, here (error analysis, decision bars)")
    ap.add_argument("--param", action="append", default=[], help="classifier parameter NAME=VALUE (experiments)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    for path in (args.devset, args.corpora):
        if not path.exists():
            print(f"error: {path} not found (the quality report needs ../shared)", file=sys.stderr)
            return 2
    params = {k: json.loads(v) for k, v in (p.split("=", 1) for p in args.param)}
    if args.injection_draws < 1:
        print("error: --injection-draws must be at least 1", file=sys.stderr)
        return 2
    report = run(
        args.devset, args.seeds, args.corpora, args.folds, args.synthetic, args.seed, params, args.injected_copies, args.injection_draws
    )
    for name in ("devset", "seeds"):
        for system in ("model", "first_pass", "baseline", "model_injected", "baseline_injected"):
            print(format_report(report[name][system], f"== {name} / {system}"))  # type: ignore[index]
    print(summary_table(report))
    predictions = report.pop("predictions")
    if args.dump:
        args.dump.parent.mkdir(parents=True, exist_ok=True)
        args.dump.write_text(json.dumps(predictions, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=float) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
