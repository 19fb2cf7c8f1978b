"""Retraining cost: 1,000 user documents plus the default synthetic set, wall time and peak memory.

The user documents are synthetic pages of the held-out *test* split (prose, templates and spam
terms no training page uses), written as a labelled JSONL file and passed to ``train`` exactly as a
user's ``--data`` file would be. Target: under 10 minutes on a 2-core machine for the retraining
itself (``--cv-folds 0``); each cross-validation fold costs about one more fit.

    OMP_NUM_THREADS=1 python -m bench.retrain_bench [--user-docs 1000] [--synthetic 8000] [--cv-folds 0] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 600.0


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from service.settings import MODELS_DIR_DEFAULT
    from training.recipe import CORPORA_DEFAULT, DEVSET_DEFAULT, SEEDS_DEFAULT, SYNTHESIS_SEED_DEFAULT, SYNTHETIC_DOCS_DEFAULT, Recipe

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--user-docs", type=int, default=1000)
    ap.add_argument("--synthetic", type=int, default=SYNTHETIC_DOCS_DEFAULT)
    ap.add_argument("--cv-folds", type=int, default=0, help="cross-validation folds on the user documents (default 0)")
    ap.add_argument("--corpora", type=Path, default=CORPORA_DEFAULT)
    ap.add_argument("--models-dir", type=Path, default=MODELS_DIR_DEFAULT, help="served model to compare with")
    ap.add_argument("--out", type=Path, default=None, help="model directory to write (default: a temporary one)")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from training.synth import load_corpora, synthesize
    from training.train import train

    corpora = args.corpora if args.corpora.is_dir() else Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpora"
    if corpora != args.corpora:
        print(f"retrain_bench: {args.corpora} not found; using the tiny fixture corpus (numbers not representative)", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="jingwen-retrain-") as tmp:
        started = time.perf_counter()
        user_docs = synthesize(load_corpora(corpora), args.user_docs, 424242, "test")
        user_file = Path(tmp) / "user.jsonl"
        with open(user_file, "w", encoding="utf-8") as fh:
            for d in user_docs:
                fh.write(json.dumps({"id": d["id"], "site": d["site"], "paragraphs": d["paragraphs"]}, ensure_ascii=False) + "\n")
        generate_s = time.perf_counter() - started
        recipe = Recipe(
            seeds=SEEDS_DEFAULT, devset=DEVSET_DEFAULT if DEVSET_DEFAULT.is_file() else None, corpora=corpora,
            user_data=[user_file], synthetic_docs=args.synthetic, seed=SYNTHESIS_SEED_DEFAULT,
            served_models=args.models_dir, cv_folds=args.cv_folds,
        )
        out = args.out or Path(tmp) / "models" / "bench"
        started = time.perf_counter()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        _, manifest = train(recipe, out, version="bench")
        train_s = time.perf_counter() - started
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        train_cpu_s = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    training = manifest["training"]
    result = {
        "user_docs": args.user_docs,
        "user_paragraphs": sum(len(d["paragraphs"]) for d in user_docs),
        "documents": training["documents"],
        "paragraphs": training["paragraphs"],
        "cv_folds": args.cv_folds,
        "generate_user_docs_s": round(generate_s, 1),
        "train_wall_s": round(train_s, 1),
        "train_cpu_s": round(train_cpu_s, 1),
        "timings_s": training.get("timings", {}),
        "user_weight": training["weights"].get("user"),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "cpus": os.cpu_count(),
        "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        "target_s": TARGET_SECONDS,
        "within_target": train_s < TARGET_SECONDS,
        "metrics_keep_f1": {k: round(v["char"]["keep_f1"], 4) for k, v in manifest["metrics"].items() if isinstance(v, dict) and "char" in v},
    }
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
