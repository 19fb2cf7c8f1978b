"""``jingwen train``: fit the recipe, score it on held-out synthetic pages, write a model directory."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from service.artifact import save_model
from service.model import ParagraphClassifier

from .data import from_dicts
from .evaluate import score
from .metrics import format_report
from .recipe import Recipe, fit_classifier, load_training_set

log = logging.getLogger(__name__)

SYNTHETIC_TEST_DOCS = 600


def train(recipe: Recipe, out: Path, version: str | None = None) -> tuple[ParagraphClassifier, dict[str, object]]:
    """Train on ``recipe`` and save to ``out``; returns the classifier and its manifest."""
    started = time.perf_counter()
    data = load_training_set(recipe)
    if not data.docs:
        raise ValueError("no training data: give --data files, or seeds/devset/corpora paths that exist")
    model = fit_classifier(data.docs, data.roles, data.lexicon, recipe.params)
    metrics: dict[str, object] = {}
    if recipe.corpora is not None and Path(recipe.corpora).is_dir():
        from .synth import load_corpora, synthesize

        test = from_dicts(
            synthesize(load_corpora(Path(recipe.corpora)), SYNTHETIC_TEST_DOCS, recipe.seed + 1, "test"),
            "synthetic-test",
        )
        metrics["synthetic_test"] = score(model, test)
        log.info("%s", format_report(metrics["synthetic_test"], "held-out synthetic test split"))  # type: ignore[arg-type]
    counts: dict[str, int] = {}
    for role in data.roles:
        counts[role] = counts.get(role, 0) + 1
    version = version or datetime.now(timezone.utc).strftime("%Y.%m.%d")
    manifest: dict[str, object] = {
        "name": out.name,
        "version": version,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": list(model.classes_),
        "training": {
            "documents": counts,
            "paragraphs": sum(len(d.labels) for d in data.docs),
            "files": data.files,
            "synthesis": {"generator": "training.synth", "seed": recipe.seed, "documents": counts.get("synthetic", 0)},
            "lexicon_terms": sum(len(v) for v in data.lexicon.values()),
            "params": model.get_params(deep=False) | {"lexicon_terms": "(embedded)"},
            "seconds": round(time.perf_counter() - started, 1),
        },
        "metrics": metrics,
    }
    save_model(model, out, manifest, model_card(manifest))
    return model, manifest


def model_card(manifest: dict[str, object]) -> str:
    """A short human-readable card; the manifest is the machine-readable truth."""
    training = manifest["training"]  # type: ignore[index]
    lines = [
        f"# Model card: {manifest['name']} (version {manifest['version']})",
        "",
        "Two-stage paragraph classifier for scraped Chinese web text (labels: content, chrome, spam, off_topic).",
        "Stage 1: SGD logistic regression on hashed character 1-3-grams, shape and spam-lexicon features.",
        "Stage 2: gradient-boosted trees on the paragraph's own features plus document context",
        "(neighbours' first-pass scores, maximum-sum prose segment, repeats, topic fit).",
        "",
        "## Training data",
        "",
        f"Documents by source: {training['documents']}; paragraphs: {training['paragraphs']}.",  # type: ignore[index]
        "",
        "| role | file | sha256 |",
        "|---|---|---|",
    ]
    for f in training["files"]:  # type: ignore[index]
        lines.append(f"| {f['role']} | {f['path']} | `{str(f['sha256'])[:16]}…` |")
    lines += [
        "",
        "The spam lexicon embedded in the model is derived from konsheng/Sensitive-lexicon (MIT),",
        "fwwdn/sensitive-stop-words (Apache-2.0), houbb/sensitive-word and toolgood/ToolGood.Words",
        "(Apache-2.0), as listed in the training corpora's SOURCES.md. Hits are features, never verdicts.",
        "",
        "## Metrics",
        "",
        "See `manifest.json` (`metrics`) and the README's quality table for the grouped cross-validation",
        "on real pages.",
    ]
    metrics = manifest.get("metrics") or {}
    for name, report in metrics.items():  # type: ignore[union-attr]
        if isinstance(report, dict) and "char" in report:
            c = report["char"]
            lines.append(
                f"- {name}: keep F1 {c['keep_f1']:.4f}, content kept {c['content_kept']:.4f}, "
                + ", ".join(f"{k} removed {v:.4f}" for k, v in c["removed"].items())
            )
    return "\n".join(lines) + "\n"
