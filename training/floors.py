"""Measure the shipped model and write the quality gate's floors (``tests/quality_floors.json``).

Run after ``make model``; review the diff: a floor that goes down needs a reason in the commit.

    python -m training.floors [--margin 0.02]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

from service import Cleaner
from service.settings import MODELS_DIR_DEFAULT, REPO_ROOT

from .data import from_dicts, read_labelled
from .evaluate import score
from .recipe import CORPORA_DEFAULT, DEVSET_DEFAULT, SEEDS_DEFAULT

FLOORS_FILE = REPO_ROOT / "tests" / "quality_floors.json"
SYNTHETIC_TEST = {"documents": 300, "seed": 4242}
MIN_SUPPORT = 5
"""Paragraphs of a label a set needs before its F1 is gated."""


def _floors(report: dict, margin: float) -> dict:
    def floor(x: float) -> float:
        return max(0.5, math.floor((x - margin) * 100) / 100)

    out: dict = {"char_f1": {}, "line_f1": {}, "char_removed": {}}
    # A label with a handful of paragraphs (the dev set's 2 off-topic lines) gives no stable floor.
    gated = [label for label, m in report["line"]["per_label"].items() if m["support"] >= MIN_SUPPORT]
    for unit in ("char", "line"):
        for label in gated:
            out[f"{unit}_f1"][label] = floor(report[unit]["per_label"][label]["f1"])
    for label, v in report["char"]["removed"].items():
        if label in gated:
            out["char_removed"][label] = floor(v)
    out["char_content_kept"] = floor(report["char"]["content_kept"])
    out["measured"] = {
        "char_f1": {k: round(v["f1"], 4) for k, v in report["char"]["per_label"].items() if v["support"]},
        "content_kept": round(report["char"]["content_kept"], 4),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--margin", type=float, default=0.02)
    args = ap.parse_args(argv)
    cleaner = Cleaner.from_dir(MODELS_DIR_DEFAULT)
    model = cleaner.model.classifier
    result: dict = {"_model": cleaner.model.path.name + " " + cleaner.version}
    for name, path in (("seeds", SEEDS_DEFAULT), ("devset", DEVSET_DEFAULT)):
        report = score(model, read_labelled(path))
        result[name] = {"sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(), **_floors(report, args.margin)}
    from .synth import load_corpora, synthesize

    docs = synthesize(load_corpora(CORPORA_DEFAULT), SYNTHETIC_TEST["documents"], SYNTHETIC_TEST["seed"], "test")
    fingerprint = hashlib.sha256(json.dumps(docs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    report = score(model, from_dicts(docs, "synthetic-test"))
    result["synthetic_test"] = {**SYNTHETIC_TEST, "sha256": fingerprint, **_floors(report, args.margin)}
    FLOORS_FILE.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
