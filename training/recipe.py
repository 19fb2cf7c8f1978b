"""The training recipe: which labelled data, how it is weighted, and the fitted classifier.

Everything here is deterministic given the recipe: the same files and seed give the same model.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from service.model import ParagraphClassifier
from service.normalize import normalize_many
from service.settings import REPO_ROOT

from .data import LabelledDoc, from_dicts, read_labelled

log = logging.getLogger(__name__)

SHARED_DIR_DEFAULT = REPO_ROOT.parent / "shared"
SEEDS_DEFAULT = REPO_ROOT / "seeds" / "labelled.jsonl"
DEVSET_DEFAULT = SHARED_DIR_DEFAULT / "devset" / "docs.jsonl"
CORPORA_DEFAULT = SHARED_DIR_DEFAULT / "corpora"
SYNTHETIC_DOCS_DEFAULT = 4000
SYNTHESIS_SEED_DEFAULT = 20241121

# Source weights: real labelled pages are scarce and closest to what users clean, so each real
# paragraph counts more than a synthetic one; a user's corrections count most (issue: a few
# hundred of them must matter against thousands of synthetic pages).
WEIGHT = {"synthetic": 1.0, "devset": 3.0, "seeds": 3.0, "user": 6.0}
LENGTH_POWER = 0.5
"""Paragraph weight grows with sqrt(characters): quality is judged by characters, yet a short
heading still counts."""


@dataclass
class Recipe:
    """What a model is trained on; missing optional inputs are skipped and recorded as such."""

    seeds: Path | None = SEEDS_DEFAULT
    devset: Path | None = DEVSET_DEFAULT
    corpora: Path | None = CORPORA_DEFAULT
    user_data: list[Path] = field(default_factory=list)
    synthetic_docs: int = SYNTHETIC_DOCS_DEFAULT
    seed: int = SYNTHESIS_SEED_DEFAULT
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class TrainingSet:
    docs: list[LabelledDoc]
    roles: list[str]
    files: list[dict[str, object]]
    lexicon: dict[str, list[str]]


def sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_entry(path: Path, role: str, docs: int | None = None) -> dict[str, object]:
    entry: dict[str, object] = {"role": role, "path": _display(path), "sha256": sha256_path(path)}
    if docs is not None:
        entry["documents"] = docs
    return entry


def _display(path: Path) -> str:
    """Paths relative to the repository's parent, so a manifest names ``shared/devset/docs.jsonl``."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT.parent))
    except ValueError:
        return str(path)


def load_training_set(recipe: Recipe) -> TrainingSet:
    """Read every input of the recipe; a missing optional input is logged, never silently used."""
    docs: list[LabelledDoc] = []
    roles: list[str] = []
    files: list[dict[str, object]] = []
    for role, path in (("seeds", recipe.seeds), ("devset", recipe.devset)):
        if path is None:
            continue
        if not Path(path).is_file():
            log.warning("%s not found at %s: training without it", role, path)
            continue
        part = read_labelled(Path(path))
        docs += part
        roles += [role] * len(part)
        files.append(_file_entry(Path(path), role, len(part)))
    for path in recipe.user_data:
        part = read_labelled(Path(path))
        docs += part
        roles += ["user"] * len(part)
        files.append(_file_entry(Path(path), "user", len(part)))

    lexicon: dict[str, list[str]] = {}
    if recipe.corpora is not None and Path(recipe.corpora).is_dir():
        from .synth import load_corpora, spam_terms, synthesize

        corpora = load_corpora(Path(recipe.corpora))
        lexicon = spam_terms(corpora)
        if recipe.synthetic_docs:
            started = time.perf_counter()
            synthetic = from_dicts(synthesize(corpora, recipe.synthetic_docs, recipe.seed, "train"), "synthetic")
            log.info("synthesised %d documents in %.1fs", len(synthetic), time.perf_counter() - started)
            docs += synthetic
            roles += ["synthetic"] * len(synthetic)
        for f in sorted(Path(recipe.corpora).rglob("*")):
            if f.is_file() and f.suffix in (".jsonl", ".txt"):
                files.append(_file_entry(f, "corpora"))
    elif recipe.corpora is not None:
        log.warning("corpora not found at %s: no synthetic documents and no spam lexicon", recipe.corpora)
    return TrainingSet(docs=docs, roles=roles, files=files, lexicon=lexicon)


def paragraph_weights(docs: Sequence[LabelledDoc], roles: Sequence[str]) -> list[np.ndarray]:
    return [
        WEIGHT[role] * np.power(np.maximum([len(t) for t in d.texts], 1), LENGTH_POWER)
        for d, role in zip(docs, roles)
    ]


def fit_classifier(
    docs: Sequence[LabelledDoc],
    roles: Sequence[str],
    lexicon: dict[str, list[str]],
    params: dict[str, object] | None = None,
) -> ParagraphClassifier:
    """Fit the two-stage classifier with the recipe's weights; the lexicon is normalised like text."""
    terms = {cat: sorted(set(t for t in normalize_many(list(v)) if t)) for cat, v in lexicon.items()}
    model = ParagraphClassifier(lexicon_terms=terms, **(params or {}))
    started = time.perf_counter()
    model.fit([d.document() for d in docs], [d.labels for d in docs], paragraph_weights(docs, roles))
    log.info("fitted on %d documents in %.1fs", len(docs), time.perf_counter() - started)
    return model
