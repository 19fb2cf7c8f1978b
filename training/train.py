"""``jingwen train``: fit the recipe, measure it, write a model directory.

Measured on: held-out synthetic pages (when the corpora hold prose), and, when the recipe has user
documents, a cross-validation on them grouped by site (else by document) — each fold trains the
whole recipe minus that fold's user documents — next to the served model's numbers on the same
documents, so a user sees whether retraining on their labels is worth promoting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from service.artifact import LoadedModel, save_model
from service.model import ParagraphClassifier
from service.settings import LABELS, OFF_TOPIC_MIN, OFF_TOPIC_NEAR, REPEAT_MIN_CHARS, SWITCH_CHARS, SWITCH_COST

from .data import LabelledDoc, from_dicts
from .evaluate import predict_labels, score
from .metrics import evaluate, format_report
from .recipe import (
    PROSE_CORPORA,
    PROSE_LABELLED,
    Recipe,
    TrainingSet,
    fit_classifier,
    load_training_set,
    prose_corpora,
    role_weights,
    served_model,
    synthesize_docs,
)

log = logging.getLogger(__name__)

SYNTHETIC_TEST_DOCS = 600
USER_CV_KEY = "user_cv"
SERVED_KEY = "served_model_on_user"


def cv_groups(docs: Sequence[LabelledDoc]) -> tuple[list[str], str]:
    """Group keys for the user documents and what they are (``site`` when any record names one)."""
    groups = [d.group or d.id for d in docs]
    by_site = any(g != d.id for g, d in zip(groups, docs))
    return groups, "site" if by_site else "document"


def cross_validate_user(data: TrainingSet, recipe: Recipe, folds: int) -> tuple[dict[str, object], dict[str, object]] | None:
    """Out-of-fold report on the user documents, and how the folds were made; ``None`` if impossible.

    Each fold fits the full recipe (seeds, dev set, synthetic pages, the other user documents)
    without the fold's user documents. Synthetic pages are reused across folds, except when their
    prose was drawn from the labelled documents themselves: then each fold synthesises its own from
    the documents it trains on, so no held-out prose leaks into training.
    """
    from sklearn.model_selection import GroupKFold

    labelled, roles = data.labelled()
    user = [d for d, r in zip(labelled, roles) if r == "user"]
    if not user or folds <= 0:
        return None
    groups, grouped_by = cv_groups(user)
    k = min(folds, len(set(groups)))
    if k < 2:
        log.warning("cross-validation skipped: the user documents form %d %s group", len(set(groups)), grouped_by)
        return None
    others = [(d, r) for d, r in zip(labelled, roles) if r != "user"]
    resynthesise = data.synthesis.get("prose_source") == PROSE_LABELLED
    synthetic = [] if resynthesise else data.synthetic()
    final: list[list[str]] = [[] for _ in user]
    first: list[list[str]] = [[] for _ in user]
    started = time.perf_counter()
    for fold, (train_idx, test_idx) in enumerate(GroupKFold(n_splits=k).split(user, groups=groups)):
        train_docs = [d for d, _ in others] + [user[i] for i in train_idx]
        train_roles = [r for _, r in others] + ["user"] * len(train_idx)
        if resynthesise and recipe.synthetic_docs:
            prose = prose_corpora(train_docs, data.lexicon)
            synthetic = synthesize_docs(prose, recipe.synthetic_docs, recipe.seed) if prose is not None else []
        model = fit_classifier(train_docs + synthetic, train_roles + ["synthetic"] * len(synthetic), data.lexicon, recipe.params,
                               data.corpora, recipe.seed, recipe.injected_copies)
        test = [user[i] for i in test_idx]
        f, p = predict_labels(model, test)
        pos = 0
        for i, d in zip(test_idx, test):
            n = len(d.labels)
            final[i], first[i] = f[pos : pos + n], p[pos : pos + n]
            pos += n
        log.info("cross-validation fold %d/%d: %d user documents held out", fold + 1, k, len(test_idx))
    true = [lab for d in user for lab in d.labels]
    lengths = [len(t) for d in user for t in d.texts]
    report = evaluate(true, [x for f in final for x in f], lengths)
    report["first_pass"] = evaluate(true, [x for f in first for x in f], lengths)
    info = {
        "folds": k,
        "grouped_by": grouped_by,
        "groups": len(set(groups)),
        "documents": len(user),
        "synthetic": "resynthesised per fold from its training documents" if resynthesise else "shared by all folds",
        "seconds": round(time.perf_counter() - started, 1),
    }
    return report, info


def _trained_on(served: LoadedModel, data: TrainingSet) -> bool:
    """Whether the served model's manifest lists one of this run's user files (same SHA-256)."""
    user = {f["sha256"] for f in data.files if f.get("role") == "user"}
    training = served.manifest.get("training") or {}
    listed = {f.get("sha256") for f in training.get("files", []) if isinstance(f, dict)}  # type: ignore[union-attr]
    return bool(user & listed)


def train(recipe: Recipe, out: Path, version: str | None = None) -> tuple[ParagraphClassifier, dict[str, object]]:
    """Train on ``recipe`` and save to ``out``; returns the classifier and its manifest."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    served = served_model(recipe.served_models)
    data = load_training_set(recipe, served)
    if not data.docs:
        raise ValueError("no training data: give --data files, or seeds/devset/corpora paths that exist")
    weights = role_weights(data.docs, data.roles)
    timings["load"] = time.perf_counter() - started
    model = fit_classifier(data.docs, data.roles, data.lexicon, recipe.params, data.corpora, recipe.seed, recipe.injected_copies)
    timings["fit"] = time.perf_counter() - started - sum(timings.values())
    metrics: dict[str, object] = {}
    corpora = data.prose if data.synthesis.get("prose_source") == PROSE_CORPORA else data.corpora
    if corpora is not None and corpora.genres("test"):
        from .synth import synthesize

        test = from_dicts(synthesize(corpora, SYNTHETIC_TEST_DOCS, recipe.seed + 1, "test"), "synthetic-test")
        metrics["synthetic_test"] = score(model, test)
        log.info("%s", format_report(metrics["synthetic_test"], "held-out synthetic test split"))  # type: ignore[arg-type]
        timings["synthetic_test"] = time.perf_counter() - started - sum(timings.values())

    evaluation: dict[str, object] = {}
    user = [d for d, r in zip(data.docs, data.roles) if r == "user"]
    cv = cross_validate_user(data, recipe, recipe.cv_folds)
    if cv is not None:
        metrics[USER_CV_KEY], evaluation["cross_validation"] = cv
        timings["cross_validation"] = time.perf_counter() - started - sum(timings.values())
    if user and served is not None:
        evaluation["served_model"] = {"name": served.path.name, "version": served.version}
        try:
            metrics[SERVED_KEY] = score(served.classifier, user)
            evaluation["served_model"]["trained_on_this_data"] = _trained_on(served, data)  # type: ignore[index]
        except Exception as exc:  # noqa: BLE001 - e.g. a model pickled by code with other features
            log.warning("the served model %s cannot score your data: %s", served.path.name, exc)
            evaluation["served_model"]["error"] = f"{type(exc).__name__}: {exc}"  # type: ignore[index]
        timings["served_model"] = time.perf_counter() - started - sum(timings.values())

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
            "synthesis": data.synthesis,
            "lexicon": data.lexicon_source,
            "lexicon_terms": sum(len(v) for v in data.lexicon.values()),
            "weights": {r: weights[r] for r in sorted(set(data.roles) | ({"injected"} if data.synthesis.get("injected_copies") else set()))},
            "params": model.get_params(deep=False) | {"lexicon_terms": "(embedded)"},
            "evaluation": evaluation,
            "seconds": round(time.perf_counter() - started, 1),
            "timings": {k: round(v, 1) for k, v in timings.items()},
        },
        "decision": decision_rule(),
        "metrics": metrics,
    }
    save_model(model, out, manifest, model_card(manifest))
    return model, manifest


def decision_rule() -> dict[str, float]:
    """The serving decision's constants, recorded next to the metrics measured with them."""
    return {
        "switch_cost": SWITCH_COST,
        "switch_chars": SWITCH_CHARS,
        "repeat_min_chars": REPEAT_MIN_CHARS,
        "off_topic_min": OFF_TOPIC_MIN,
        "off_topic_near": OFF_TOPIC_NEAR,
    }


# -- reports ------------------------------------------------------------------------------------

def _f(x: float) -> str:
    return "   -  " if x != x else f"{x:.4f}"


def format_comparison(reports: Mapping[str, Mapping[str, object]], unit: str = "char") -> str:
    """Reports side by side: keep F1, content kept, junk removed, then P/R/F1 per label."""
    names = list(reports)
    width = max(16, *(len(n) + 2 for n in names))
    lines = [f"{'by ' + unit:<22}" + "".join(f"{n:>{width}}" for n in names)]

    def row(title: str, values: list[float]) -> None:
        lines.append(f"{title:<22}" + "".join(f"{_f(v):>{width}}" for v in values))

    parts = [r[unit] for r in reports.values()]  # type: ignore[index]
    row("keep F1", [p["keep_f1"] for p in parts])  # type: ignore[index]
    row("content kept", [p["content_kept"] for p in parts])  # type: ignore[index]
    for label in LABELS:
        values = [p["removed"].get(label, float("nan")) for p in parts]  # type: ignore[index]
        if any(v == v for v in values):  # no such paragraphs in the data: no row
            row(f"{label} removed", values)
    for label in LABELS:
        if not any(p["per_label"][label]["support"] for p in parts):  # type: ignore[index]
            continue
        support = parts[0]["per_label"][label]["support"]  # type: ignore[index]
        lines.append(f"{label} (support {support:.0f})")
        for m in ("precision", "recall", "f1"):
            row(f"  {m}", [p["per_label"][label][m] for p in parts])  # type: ignore[index]
    return "\n".join(lines)


def training_summary(manifest: Mapping[str, object], out: Path | None = None) -> str:
    """What ``jingwen train`` prints: the model, what it was trained on, and the user-data comparison."""
    training = manifest["training"]  # type: ignore[index]
    synthesis = training.get("synthesis", {})  # type: ignore[union-attr]
    lexicon = training.get("lexicon", {})  # type: ignore[union-attr]
    metrics = manifest.get("metrics") or {}
    lines = [f"model {out or manifest['name']} (version {manifest['version']})"]
    lines.append(f"documents by source: {training['documents']}")  # type: ignore[index]
    prose = synthesis.get("prose_source", "none")
    where = synthesis.get("prose_path") or (f"{synthesis.get('prose_documents')} labelled documents" if prose == PROSE_LABELLED else "")
    lines.append(f"synthetic documents: {synthesis.get('documents', 0)}, prose from {prose}{': ' + str(where) if where else ''}")
    if synthesis.get("injected_copies"):
        lines.append(f"noisy copies of each seed and dev-set page: {synthesis['injected_copies']} (spam and off-topic from the corpora's train halves)")
    lex = lexicon.get("source", "none")
    if lex == "served-model":
        lex = f"served model {lexicon.get('model')} ({lexicon.get('version')})"
    lines.append(f"spam lexicon: {lexicon.get('terms', 0)} terms from {lex}")
    weights = training.get("weights", {})  # type: ignore[union-attr]
    if "user" in weights:
        lines.append(f"user paragraphs weigh {weights['user']} (synthetic 1.0)")
    if "synthetic_test" in metrics:  # type: ignore[operator]
        c = metrics["synthetic_test"]["char"]  # type: ignore[index]
        lines.append(f"held-out synthetic pages: keep F1 {c['keep_f1']:.4f}, content kept {c['content_kept']:.4f}")
    evaluation = training.get("evaluation", {})  # type: ignore[union-attr]
    columns: dict[str, Mapping[str, object]] = {}
    cv = evaluation.get("cross_validation")
    if USER_CV_KEY in metrics:  # type: ignore[operator]
        columns[f"this recipe ({cv['folds']}-fold CV)"] = metrics[USER_CV_KEY]  # type: ignore[index]
    served = evaluation.get("served_model")
    if SERVED_KEY in metrics:  # type: ignore[operator]
        columns[f"served {served['name']}"] = metrics[SERVED_KEY]  # type: ignore[index]
    if columns:
        first = next(iter(columns.values()))
        lines.append("")
        head = f"your data: {first['paragraphs']} paragraphs, {first['chars']} characters"
        if cv:
            head += f"; {cv['documents']} documents in {cv['groups']} {cv['grouped_by']} groups"
        lines.append(head)
        if served and served.get("trained_on_this_data"):
            lines.append(f"note: the served model {served['name']} was trained on this data: its numbers are not held out")
        lines.append(format_comparison(columns, "char"))
        lines.append("")
        lines.append(format_comparison(columns, "line"))
    if training["documents"].get("user") and not cv:  # type: ignore[index, union-attr]
        lines.append("no cross-validation on your data (--cv-folds 0, or fewer than 2 site/document groups)")
    if served and served.get("error"):
        lines.append(f"the served model {served['name']} could not score your data: {served['error']}")
    return "\n".join(lines)


def model_card(manifest: dict[str, object]) -> str:
    """A short human-readable card; the manifest is the machine-readable truth."""
    training = manifest["training"]  # type: ignore[index]
    rule: dict = manifest.get("decision") or decision_rule()  # type: ignore[assignment]
    bags = int(training.get("params", {}).get("stage2_bags", 1))  # type: ignore[union-attr]
    lines = [
        f"# Model card: {manifest['name']} (version {manifest['version']})",
        "",
        "Two-stage paragraph classifier for scraped Chinese web text (labels: content, chrome, spam, off_topic).",
        "Stage 1: SGD logistic regression on hashed character 1-3-grams, shape and spam-lexicon features.",
        "Stage 2: gradient-boosted trees on the paragraph's own features plus document context",
        "(neighbours' first-pass scores, maximum-sum prose segment, repeats, comment and end-of-article cues, topic fit)"
        + (f", {bags} members averaged, each trained on the real pages and its share of the synthetic ones." if bags > 1 else "."),
        f"Decision: the most probable keep/remove sequence over the document (a switch between runs costs {rule['switch_cost']:g},",
        f"a paragraph's evidence counts once per {rule['switch_chars']:g} characters), then a kept paragraph of at least",
        f"{rule['repeat_min_chars']} characters, mostly CJK, that repeats an earlier kept one exactly is chrome (the template's copy),",
        f"then off-topic wherever its probability reaches {rule['off_topic_min']:g}"
        + (f", and in the kept paragraphs next to such a one from {rule['off_topic_near']:g} (the rest of the pasted passage)"
           if "off_topic_near" in rule else "")
        + ". The metrics below were measured with this rule.",
        "",
        "## Training data",
        "",
        f"Documents by source: {training['documents']}; paragraphs: {training['paragraphs']}.",  # type: ignore[index]
    ]
    synthesis = training.get("synthesis") or {}  # type: ignore[union-attr]
    if synthesis.get("documents"):
        lines.append(
            f"Synthetic documents: {synthesis['documents']} (seed {synthesis.get('seed')}), prose from "
            f"{synthesis.get('prose_source')}" + (f" ({synthesis['prose_path']})" if synthesis.get("prose_path") else "") + "."
        )
    if synthesis.get("injected_copies"):
        lines.append(
            f"Noisy copies of every seed and dev-set page: {synthesis['injected_copies']}, with spam lines and off-topic passages "
            "injected from the corpora's train halves; only the injected lines weigh."
        )
    lexicon = training.get("lexicon") or {}  # type: ignore[union-attr]
    if lexicon.get("source") == "served-model":
        lines.append(f"Spam lexicon: {lexicon.get('terms')} terms taken from the served model {lexicon.get('model')} ({lexicon.get('version')}).")
    weights = training.get("weights") or {}  # type: ignore[union-attr]
    if "user" in weights:
        lines.append(f"User paragraphs weigh {weights['user']} (a synthetic paragraph 1.0).")
    lines += [
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


__all__ = ["train", "cross_validate_user", "format_comparison", "training_summary", "model_card"]
