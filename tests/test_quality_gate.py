"""Quality gate: per-label F1 floors of the shipped model on fixed, fingerprinted labelled sets.

The floors live in ``quality_floors.json`` next to this file, with the SHA-256 of the data they were
measured on. A changed data file fails the fingerprint check instead of silently moving the bar,
and lowering a floor is a visible edit of that file, to be justified in its commit message.
The dev set and the synthetic test split are checked only where ``../shared`` exists (CI has it;
a user's fresh clone does not).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from service import LABELS
from training.data import from_dicts, read_labelled
from training.evaluate import score
from tests.conftest import SEEDS_DIR, SHARED

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text("utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(report: dict, floors: dict) -> list[str]:
    failures = []
    for unit in ("line", "char"):
        for label, floor in floors.get(f"{unit}_f1", {}).items():
            got = report[unit]["per_label"][label]["f1"]
            if not got >= floor:
                failures.append(f"{unit} F1 {label}: {got:.4f} < floor {floor}")
    for key, floor in floors.get("char_removed", {}).items():
        got = report["char"]["removed"][key]
        if not got >= floor:
            failures.append(f"char removed {key}: {got:.4f} < floor {floor}")
    if "char_content_kept" in floors and not report["char"]["content_kept"] >= floors["char_content_kept"]:
        failures.append(f"content kept {report['char']['content_kept']:.4f} < floor {floors['char_content_kept']}")
    return failures


def test_floors_cover_every_label_and_are_sane():
    for name, floors in FLOORS.items():
        if name.startswith("_"):
            continue
        assert set(floors["char_f1"]) <= set(LABELS) and floors["char_f1"], name
        assert all(0.5 <= v <= 1.0 for v in floors["char_f1"].values()), name


def test_seeds_gate(cleaner):
    path = SEEDS_DIR / "labelled.jsonl"
    assert sha256(path) == FLOORS["seeds"]["sha256"], "seeds/labelled.jsonl changed: re-measure and update the floors"
    report = score(cleaner.model.classifier, read_labelled(path))
    assert check(report, FLOORS["seeds"]) == []


def test_devset_gate(cleaner):
    path = SHARED / "devset" / "docs.jsonl"
    if not path.is_file():
        pytest.skip("../shared/devset is not present (fresh clone)")
    assert sha256(path) == FLOORS["devset"]["sha256"], "the dev set changed: re-measure and update the floors"
    report = score(cleaner.model.classifier, read_labelled(path))
    assert check(report, FLOORS["devset"]) == []


def test_synthetic_test_split_gate(cleaner):
    corpora = SHARED / "corpora"
    if not corpora.is_dir():
        pytest.skip("../shared/corpora is not present (fresh clone)")
    from training.synth import load_corpora, synthesize

    spec = FLOORS["synthetic_test"]
    docs = synthesize(load_corpora(corpora), spec["documents"], spec["seed"], "test")
    fingerprint = hashlib.sha256(json.dumps(docs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    assert fingerprint == spec["sha256"], "the synthetic test split changed: re-measure and update the floors"
    report = score(cleaner.model.classifier, from_dicts(docs, "synthetic-test"))
    assert check(report, spec) == []
