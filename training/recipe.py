"""The training recipe: which labelled data, how it is weighted, and the fitted classifier.

Everything here is deterministic given the recipe: the same files and seed give the same model.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from service.model import ParagraphClassifier
from service.normalize import normalize_many
from service.settings import REPO_ROOT

from .data import LabelledDoc, from_dicts, read_labelled

if TYPE_CHECKING:
    from service.artifact import LoadedModel

    from .synth_corpus import Corpora

log = logging.getLogger(__name__)

SHARED_DIR_DEFAULT = REPO_ROOT.parent / "shared"
SEEDS_DEFAULT = REPO_ROOT / "seeds" / "labelled.jsonl"
DEVSET_DEFAULT = SHARED_DIR_DEFAULT / "devset" / "docs.jsonl"
CORPORA_DEFAULT = SHARED_DIR_DEFAULT / "corpora"
SYNTHETIC_DOCS_DEFAULT = 8000
SYNTHESIS_SEED_DEFAULT = 20241121

# Source weights: real labelled pages are scarce and closest to what users clean, so each real
# paragraph counts more than a synthetic one; a user's corrections count most (issue: a few
# hundred of them must matter against thousands of synthetic pages).
WEIGHT = {"synthetic": 1.0, "devset": 3.0, "seeds": 3.0, "user": 6.0, "injected": 3.0}
LENGTH_POWER = 0.5
"""Paragraph weight grows with sqrt(characters): quality is judged by characters, yet a short
heading still counts."""


INJECTED_COPIES = 2
"""Copies of every real page of the recipe (seeds, dev set) trained on with spam lines and
off-topic passages injected from the corpora's *train* halves (:func:`injected_copies`).
Off-topic passages otherwise occur only on generated pages, around clean prose; real pages, with
their menus and bylines, are where the model must recognise them. With two copies (model 0.6.0)
the dev set's injected off-topic removal went 0.801 -> 0.842 and 0.819 -> 0.821 under the two
synthesis seeds measured, the held-out synthetic pages' 0.670 -> 0.730 (docs/history.md,
"Quality on real pages"). A user's pages are not copied: a thousand of them would add about a
quarter more paragraphs to every fit."""
INJECTED_ROLES = ("seeds", "devset")
"""Whose pages are copied. In a copy only the injected lines weigh: the page's own lines, its own spam included, already
count once as the page itself (a page's 174,000-character keyword block counted three times
swamped the first pass), and counting real pages more removed less chrome (docs/history.md)."""


USER_MIN_SHARE = 0.25
"""A user's labels carry at least this share of the total training weight: against the default
8,000 synthetic pages (~500,000 paragraphs) a few dozen corrected pages at ``WEIGHT["user"]`` alone
would be a few percent of it. Their per-paragraph weight is raised until they reach the share..."""
USER_WEIGHT_MAX = 30.0
"""...but one user paragraph never counts more than this many synthetic ones, so a handful of
documents cannot swamp the recipe."""

PROSE_CORPORA = "corpora"
PROSE_LABELLED = "labelled-documents"
PROSE_NONE = "none"


@dataclass
class Recipe:
    """What a model is trained on; missing optional inputs are skipped and recorded as such.

    ``served_models``: a models directory whose served model (``CURRENT``) lends its embedded spam
    lexicon when ``corpora`` has none (a user's machine has no ``../shared``), so a retrained model
    keeps the spam knowledge of the one it replaces. ``cv_folds``: folds of the cross-validation on
    the user's documents (grouped by site, else document); 0 disables it. ``injected_copies``:
    noisy copies of each real page (:func:`injected_copies`), made only when ``corpora`` is there.
    """

    seeds: Path | None = SEEDS_DEFAULT
    devset: Path | None = DEVSET_DEFAULT
    corpora: Path | None = CORPORA_DEFAULT
    user_data: list[Path] = field(default_factory=list)
    synthetic_docs: int = SYNTHETIC_DOCS_DEFAULT
    seed: int = SYNTHESIS_SEED_DEFAULT
    params: dict[str, object] = field(default_factory=dict)
    served_models: Path | None = None
    cv_folds: int = 0
    injected_copies: int = INJECTED_COPIES


@dataclass
class TrainingSet:
    docs: list[LabelledDoc]
    roles: list[str]
    files: list[dict[str, object]]
    lexicon: dict[str, list[str]]
    synthesis: dict[str, object] = field(default_factory=dict)
    """The manifest's ``training.synthesis``: generator, seed, documents, ``prose_source``."""
    lexicon_source: dict[str, object] = field(default_factory=dict)
    """The manifest's ``training.lexicon``: where the embedded spam lexicon came from."""
    prose: Corpora | None = None
    """What the synthetic documents were drawn from (``None``: no synthesis)."""
    corpora: Corpora | None = None
    """``recipe.corpora`` as loaded (``None``: not given or missing)."""

    def labelled(self) -> tuple[list[LabelledDoc], list[str]]:
        """The labelled (non-synthetic) documents and their roles."""
        pairs = [(d, r) for d, r in zip(self.docs, self.roles) if r != "synthetic"]
        return [d for d, _ in pairs], [r for _, r in pairs]

    def synthetic(self) -> list[LabelledDoc]:
        return [d for d, r in zip(self.docs, self.roles) if r == "synthetic"]


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


def _terms_digest(lexicon: dict[str, list[str]]) -> str:
    digest = hashlib.sha256()
    for cat in sorted(lexicon):
        digest.update(cat.encode("utf-8") + b"\0" + "\n".join(sorted(lexicon[cat])).encode("utf-8") + b"\0")
    return digest.hexdigest()


def served_model(models_dir: Path | None) -> LoadedModel | None:
    """The verified model ``models_dir/CURRENT`` names, or ``None`` when there is none (logged)."""
    if models_dir is None:
        return None
    from service.artifact import CURRENT_FILE, ModelError, load_model

    if not (Path(models_dir) / CURRENT_FILE).is_file():
        log.info("no served model in %s (no %s)", models_dir, CURRENT_FILE)
        return None
    try:
        return load_model(Path(models_dir))
    except ModelError as exc:
        log.warning("served model unusable: %s", exc)
        return None


def _with_spam(corpora: Corpora, lexicon: dict[str, list[str]]) -> Corpora:
    """``corpora`` with ``lexicon`` as its spam terms (split like ``load_corpora`` splits them)."""
    from .synth_pools import SPLITS, split_of

    spam: dict[str, dict[str, list[str]]] = {s: {cat: [] for cat in lexicon} for s in SPLITS}
    for cat, terms in lexicon.items():
        for term in terms:
            spam[split_of(term)][cat].append(term)
    return replace(corpora, spam=spam, spam_all={cat: list(terms) for cat, terms in lexicon.items()})


def prose_corpora(docs: Sequence[LabelledDoc], lexicon: dict[str, list[str]]) -> Corpora | None:
    """A minimal :class:`Corpora` whose clean prose is the ``content`` paragraphs of ``docs``.

    For a machine without corpora: every document with content becomes one source "news" document
    (its first short content line the title, its content split into sentences that the generator
    regroups into paragraphs), its category the document's site so off-topic passages come from
    other sites; titles feed the related-article lists. Everything goes to the train split: no
    synthetic test pages are made from it. ``None`` when no document has content.
    """
    from .synth import _looks_traditional
    from .synth_corpus import Corpora, SourceDoc, sentences

    sources: list[SourceDoc] = []
    for d in docs:
        content = [t.strip() for t, lab in zip(d.texts, d.labels) if lab == "content" and t.strip()]
        if not content:
            continue
        title = None
        if len(content) > 1 and len(content[0]) <= 48 and content[0][-1] not in "。！？!?；;，,：:、":
            title, content = content[0], content[1:]
        sents = tuple(s for t in content for s in (sentences(t) or [t]))
        sample = "".join(content)[:2000]
        sources.append(
            SourceDoc(
                id=f"labelled:{d.id}",
                genre="news",
                script="traditional" if _looks_traditional(sample) else "simplified",
                title=title,
                paragraphs=sents,
                category=d.site or d.id,
            )
        )
    if not sources:
        return None
    titles = [s.title for s in sources if s.title and 4 <= len(s.title) <= 48]
    leads = [s.paragraphs[0] for s in sources if s.title and 12 <= len(s.paragraphs[0]) <= 160]
    corpora = Corpora(
        root=Path("<labelled documents>"),
        docs={"train": {"news": sources}, "test": {"news": []}},
        headlines={"train": {"news": titles, "lead": leads}, "test": {}},
        comments={"train": [], "test": []},
        spam={"train": {}, "test": {}},
    )
    return _with_spam(corpora, lexicon)


def synthesize_docs(corpora: Corpora, n_docs: int, seed: int) -> list[LabelledDoc]:
    from .synth import synthesize

    started = time.perf_counter()
    docs = from_dicts(synthesize(corpora, n_docs, seed, "train"), "synthetic")
    log.info("synthesised %d documents in %.1fs", len(docs), time.perf_counter() - started)
    return docs


def load_training_set(recipe: Recipe, served: LoadedModel | None = None) -> TrainingSet:
    """Read every input of the recipe; a missing optional input is logged, never silently used.

    Synthetic pages draw their prose from ``recipe.corpora`` when it holds any, else from the
    content paragraphs of the labelled documents read here; the spam lexicon comes from the
    corpora's lexicons, else from the served model (``served``, or ``recipe.served_models``).
    """
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

    corpora: Corpora | None = None
    lexicon: dict[str, list[str]] = {}
    lexicon_source: dict[str, object] = {"source": "none"}
    if recipe.corpora is not None and Path(recipe.corpora).is_dir():
        from .synth import load_corpora, spam_terms

        corpora = load_corpora(Path(recipe.corpora))
        lexicon = spam_terms(corpora)
        if any(lexicon.values()):
            lexicon_source = {"source": "corpora", "path": _display(Path(recipe.corpora))}
        else:
            lexicon = {}
        for f in sorted(Path(recipe.corpora).rglob("*")):
            if f.is_file() and f.suffix in (".jsonl", ".txt"):
                files.append(_file_entry(f, "corpora"))
    elif recipe.corpora is not None:
        log.warning("corpora not found at %s", recipe.corpora)
    if not lexicon:
        served = served or served_model(recipe.served_models)
        embedded = getattr(served.classifier, "lexicon_terms", None) if served is not None else None
        if served is not None and embedded:
            lexicon = {cat: list(terms) for cat, terms in embedded.items()}
            lexicon_source = {"source": "served-model", "model": served.path.name, "version": served.version}
            log.info("spam lexicon: the %d terms embedded in the served model %s (%s)",
                     sum(map(len, lexicon.values())), served.path.name, served.version)
        else:
            log.warning("no spam lexicon: no corpora lexicons and no served model to take one from")
    lexicon_source["terms"] = sum(len(v) for v in lexicon.values())
    if lexicon:
        lexicon_source["sha256"] = _terms_digest(lexicon)

    synthesis: dict[str, object] = {"generator": "training.synth", "seed": recipe.seed, "documents": 0, "prose_source": PROSE_NONE}
    prose: Corpora | None = None
    if recipe.synthetic_docs:
        if corpora is not None and corpora.genres("train"):
            prose = corpora if corpora.spam_all else _with_spam(corpora, lexicon)
            synthesis |= {"prose_source": PROSE_CORPORA, "prose_path": _display(Path(recipe.corpora))}  # type: ignore[arg-type]
        else:
            prose = prose_corpora(docs, lexicon)
            if prose is not None:
                n_source = len(prose.docs["train"]["news"])
                synthesis |= {"prose_source": PROSE_LABELLED, "prose_documents": n_source}
        if prose is None:
            log.warning("no prose to synthesise from (no corpora, no labelled content): no synthetic documents")
        else:
            where = synthesis.get("prose_path") or f"the content of {synthesis['prose_documents']} labelled documents"
            log.info("synthetic documents draw their prose from %s", where)
            synthetic = synthesize_docs(prose, recipe.synthetic_docs, recipe.seed)
            docs += synthetic
            roles += ["synthetic"] * len(synthetic)
            synthesis["documents"] = len(synthetic)
    copied = sum(role in INJECTED_ROLES for role in roles)
    if corpora is not None and corpora.genres("train") and recipe.injected_copies > 0 and copied:
        # What fit_classifier will add: recorded only when there are pages to copy.
        synthesis["injected_copies"] = recipe.injected_copies
        synthesis["injected_documents"] = recipe.injected_copies * copied
    return TrainingSet(docs=docs, roles=roles, files=files, lexicon=lexicon, synthesis=synthesis,
                       lexicon_source=lexicon_source, prose=prose, corpora=corpora)


def role_weights(docs: Sequence[LabelledDoc], roles: Sequence[str]) -> dict[str, float]:
    """Per-role paragraph weight: :data:`WEIGHT`, with the user's raised to :data:`USER_MIN_SHARE`."""
    weights = dict(WEIGHT)
    raw: dict[str, float] = {}
    for d, role in zip(docs, roles):
        raw[role] = raw.get(role, 0.0) + float(np.power(np.maximum([len(t) for t in d.texts], 1), LENGTH_POWER).sum())
    if raw.get("user"):
        other = sum(WEIGHT[r] * v for r, v in raw.items() if r != "user")
        needed = USER_MIN_SHARE / (1 - USER_MIN_SHARE) * other / raw["user"]
        weights["user"] = round(min(max(WEIGHT["user"], needed), USER_WEIGHT_MAX), 4)
    return weights


def paragraph_weights(
    docs: Sequence[LabelledDoc], roles: Sequence[str], weights: dict[str, float] | None = None
) -> list[np.ndarray]:
    weights = weights or role_weights(docs, roles)
    out = []
    for d, role in zip(docs, roles):
        w = weights[role] * np.power(np.maximum([len(t) for t in d.texts], 1), LENGTH_POWER)
        out.append(w * np.asarray(d.meta["injected"], dtype=bool) if role == "injected" else w)
    return out


def injected_copies(
    docs: Sequence[LabelledDoc], roles: Sequence[str], corpora: Corpora, seed: int, copies: int = INJECTED_COPIES
) -> list[LabelledDoc]:
    """``copies`` noisy copies of each real page (roles in :data:`INJECTED_ROLES`), drawn from the
    train halves; copy ``c`` of a page depends only on (seed, c, the page's id). A copy's
    ``meta["injected"]`` marks its added lines, ``meta["page"]`` the index of its page in ``docs``."""
    from .synth import inject_noise

    real = [(i, d) for i, (d, role) in enumerate(zip(docs, roles)) if role in INJECTED_ROLES]
    out = []
    for c in range(copies):
        for i, d in real:
            copy = from_dicts([inject_noise(d.to_json(), corpora, seed=seed + c, split="train")], f"injected:{c}")[0]
            copy.meta["injected"] = _added(d.texts, copy.texts)
            copy.meta["page"] = i
            out.append(copy)
    return out


def _added(page: Sequence[str], copy: Sequence[str]) -> list[bool]:
    """Which lines of ``copy`` were added to ``page`` (whose lines it keeps, in order). Read off the
    parsed texts rather than flagged by :func:`~training.synth.inject_noise`, since parsing drops
    blank paragraphs and a flag would then point at the wrong line."""
    added, i = [], 0
    for text in copy:
        if i < len(page) and text == page[i]:
            added.append(False)
            i += 1
        else:
            added.append(True)
    if i != len(page):
        raise ValueError("a noisy copy lost lines of its page")
    return added


def synthetic_bags(roles: Sequence[str], n_bags: int) -> list[int]:
    """Stage-2 member of each document: the synthetic pages cut into ``n_bags`` consecutive shares
    (each share is then a draw of its own), every labelled document in all members (-1)."""
    n_synthetic = sum(role == "synthetic" for role in roles)
    bags: list[int] = []
    seen = 0
    for role in roles:
        if role == "synthetic":
            bags.append(seen * n_bags // n_synthetic)
            seen += 1
        else:
            bags.append(-1)
    return bags


def fit_classifier(
    docs: Sequence[LabelledDoc],
    roles: Sequence[str],
    lexicon: dict[str, list[str]],
    params: dict[str, object] | None = None,
    noise: Corpora | None = None,
    seed: int = SYNTHESIS_SEED_DEFAULT,
    copies: int = INJECTED_COPIES,
) -> ParagraphClassifier:
    """Fit the two-stage classifier with the recipe's weights; the lexicon is normalised like text.

    With ``noise`` (corpora with train halves), :func:`injected_copies` of the real pages among
    ``docs`` are added here, so every fit (shipping, cross-validation) copies only what it trains on.
    """
    groups = list(range(len(docs)))
    if noise is not None and copies > 0 and noise.genres("train"):
        extra = injected_copies(docs, roles, noise, seed, copies)
        groups += [copy.meta["page"] for copy in extra]  # a copy shares its page's out-of-fold group
        docs, roles = [*docs, *extra], [*roles, *["injected"] * len(extra)]
        log.info("%d noisy copies of the real pages added", len(extra))
    terms = {cat: sorted(set(t for t in normalize_many(list(v)) if t)) for cat, v in lexicon.items()}
    model = ParagraphClassifier(lexicon_terms=terms, **(params or {}))
    weights = role_weights(docs, roles)
    if "user" in roles:
        log.info("user paragraphs weigh %.2f (synthetic 1.0)", weights["user"])
    started = time.perf_counter()
    model.fit([d.document() for d in docs], [d.labels for d in docs], paragraph_weights(docs, roles, weights),
              synthetic_bags(roles, model.stage2_bags), groups)
    log.info("fitted on %d documents in %.1fs", len(docs), time.perf_counter() - started)
    return model
