"""Training end to end on data a fresh clone has: the seeds and the invented fixture corpus."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from service.artifact import load_model
from service.document import build_documents
from service.settings import OFF_TOPIC_MIN, OFF_TOPIC_NEAR, REPEAT_MIN_CHARS, SWITCH_CHARS, SWITCH_COST
from training.data import LabelledDataError, read_labelled
from training.recipe import Recipe
from training.train import train
from tests.conftest import FIXTURES, SEEDS_DIR

SMALL = {"oof_folds": 2, "stage2_iter": 20, "ngram_features": 2**14, "topic_features": 2**12}


def small_recipe(**kw) -> Recipe:
    base = dict(seeds=SEEDS_DIR / "labelled.jsonl", devset=None, corpora=FIXTURES / "corpora", synthetic_docs=40, seed=7, params=SMALL)
    base.update(kw)
    return Recipe(**base)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "tiny"
    model, manifest = train(small_recipe(), out, version="test-1")
    return out, model, manifest


def test_training_writes_a_verified_model_directory_with_its_data_hashes(trained):
    out, _, manifest = trained
    loaded = load_model(out)
    assert loaded.version == "test-1"
    roles = {f["role"] for f in manifest["training"]["files"]}
    assert {"seeds", "corpora"} <= roles
    seeds_entry = next(f for f in manifest["training"]["files"] if f["role"] == "seeds")
    import hashlib

    assert seeds_entry["sha256"] == hashlib.sha256((SEEDS_DIR / "labelled.jsonl").read_bytes()).hexdigest()
    assert manifest["training"]["documents"] == {"seeds": 5, "synthetic": 40}
    assert "synthetic_test" in manifest["metrics"]
    # The metrics depend on the decision rule as well as the trees: its constants are recorded with them.
    assert manifest["decision"] == {
        "switch_cost": SWITCH_COST, "switch_chars": SWITCH_CHARS, "repeat_min_chars": REPEAT_MIN_CHARS, "off_topic_min": OFF_TOPIC_MIN,
        "off_topic_near": OFF_TOPIC_NEAR,
    }
    assert manifest["training"]["synthesis"]["injected_copies"] == 2
    assert manifest["training"]["weights"]["injected"] == 3.0
    card = (out / "MODEL_CARD.md").read_text()
    assert card.startswith("# Model card") and f"a switch between runs costs {SWITCH_COST:g}" in card


def test_real_pages_are_trained_on_again_with_injected_lines_from_the_train_halves_and_only_those_weigh():
    from training.recipe import injected_copies, load_training_set, paragraph_weights
    from training.synth import inject_noise

    data = load_training_set(small_recipe())
    assert data.corpora is not None
    copies = injected_copies(data.docs, data.roles, data.corpora, seed=7, copies=2)
    seeds = [d for d, r in zip(data.docs, data.roles) if r == "seeds"]
    assert len(copies) == 2 * len(seeds) == 10  # the real pages, twice; generated pages are not copied
    assert [data.docs[copy.meta["page"]] for copy in copies] == seeds * 2
    for copy, page in zip(copies, seeds * 2):
        added = [(t, lab) for t, lab, new in zip(copy.texts, copy.labels, copy.meta["injected"]) if new]
        assert added and all(lab in ("spam", "off_topic") for _, lab in added), copy.id
        # The page's own lines are all there, in order, with their labels.
        own = iter(zip(copy.texts, copy.labels))
        assert all(line in own for line in zip(page.texts, page.labels))
        assert len(copy.texts) > len(page.texts)
    # Drawn from the train halves (the quality report injects its test pages from the test halves).
    page = seeds[0].to_json()
    assert copies[0].texts == [p["text"] for p in inject_noise(page, data.corpora, seed=7, split="train")["paragraphs"]]
    assert copies[0].texts != [p["text"] for p in inject_noise(page, data.corpora, seed=7, split="test")["paragraphs"]]
    # Two copies of one page differ, and the same seed gives the same copies.
    assert copies[0].texts != copies[len(seeds)].texts
    assert [d.texts for d in injected_copies(data.docs, data.roles, data.corpora, seed=7, copies=2)] == [d.texts for d in copies]
    # Only the injected lines weigh: not the page's own lines, not even its own spam, which the
    # page itself already counts once.
    weights = paragraph_weights(copies, ["injected"] * len(copies))
    for copy, w, page in zip(copies, weights, seeds * 2):
        assert (w > 0).sum() == len(copy.texts) - len(page.texts)
        assert w[np.isin(copy.labels, ["content", "chrome"])].sum() == 0
    native_spam = sum(lab == "spam" for d in seeds for lab in d.labels)
    assert native_spam and sum(int((w > 0).sum()) for w in weights) < sum(lab == "spam" or lab == "off_topic" for d in copies for lab in d.labels)
    assert data.synthesis["injected_copies"] == 2 and data.synthesis["injected_documents"] == len(copies)
    # Without corpora (a fresh clone retraining on its own labels) there is nothing to inject from,
    # and without seeds or dev-set pages nothing to copy: the manifest does not claim copies.
    assert "injected_copies" not in load_training_set(small_recipe(corpora=None, synthetic_docs=0)).synthesis
    assert "injected_copies" not in load_training_set(small_recipe(seeds=None, synthetic_docs=5)).synthesis


def test_a_page_and_its_copies_share_one_out_of_fold_group():
    from service.model import ParagraphClassifier

    labelled = read_labelled(SEEDS_DIR / "labelled.jsonl")
    docs, labels = [d.document() for d in labelled], [d.labels for d in labelled]
    seeds = build_documents([p.read_text("utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))])

    def fitted(groups):
        model = ParagraphClassifier(**SMALL).fit(docs + docs[:2], labels + labels[:2], groups=groups)
        return np.vstack([p2 for p2, _ in model.predict_proba_docs(seeds)])

    # Default groups are one per document; grouping the two copies with their pages changes the
    # first pass's out-of-fold scores, which no longer come from a model that saw the same lines.
    np.testing.assert_array_equal(fitted(None), fitted(list(range(7))))
    assert np.abs(fitted(None) - fitted([0, 1, 2, 3, 4, 0, 1])).max() > 1e-3
    with pytest.raises(ValueError, match="groups"):
        ParagraphClassifier(**SMALL).fit(docs, labels, groups=[0, 1])


def test_same_inputs_and_seed_give_the_same_predictions(trained, tmp_path):
    _, model, _ = trained
    again, _ = train(small_recipe(), tmp_path / "again", version="test-1")
    docs = build_documents([p.read_text("utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))])
    for (a, _), (b, _) in zip(model.predict_proba_docs(docs), again.predict_proba_docs(docs)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-6)


def test_training_without_any_data_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no training data"):
        train(Recipe(seeds=None, devset=None, corpora=None, synthetic_docs=0), tmp_path / "none")


def test_labelled_reader_names_file_and_line_of_a_bad_record(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "paragraphs": [{"text": "正文", "label": "content"}]}\n'
        '{"id": "b", "paragraphs": [{"text": "一\\n二", "label": "content"}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(LabelledDataError, match=rf"{bad}:2: paragraph 0: paragraph text contains a line break"):
        read_labelled(bad)


def test_train_command_line_trains_on_labelled_files_only(tmp_path):
    out = tmp_path / "models" / "cli"
    run = subprocess.run(
        [sys.executable, "-m", "jingwen", "train", "--out", str(out), "--no-devset", "--no-synthetic",
         "--corpora", str(FIXTURES / "corpora"), "--data", str(FIXTURES / "hard_cases.jsonl"), "--promote"],
        capture_output=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert (out.parent / "CURRENT").read_text().strip() == "cli"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["training"]["documents"] == {"seeds": 5, "user": 5}
    assert load_model(out.parent).path == out


def test_stage2_members_learn_from_their_own_share_of_the_synthetic_pages_and_are_averaged():
    import copy

    from training.recipe import fit_classifier, load_training_set, synthetic_bags

    assert synthetic_bags(["seeds", "synthetic", "synthetic", "devset", "synthetic", "synthetic"], 2) == [-1, 0, 0, -1, 1, 1]
    data = load_training_set(small_recipe())
    model = fit_classifier(data.docs, data.roles, data.lexicon, SMALL | {"stage2_bags": 2})
    assert len(model.stage2_) == 2
    docs = build_documents([(SEEDS_DIR / name).read_text("utf-8") for name in sorted(p.name for p in SEEDS_DIR.glob("*.txt"))])
    both = np.vstack([p2 for p2, _ in model.predict_proba_docs(docs)])
    alone = []
    for member in model.stage2_:
        one = copy.copy(model)
        one.stage2_ = [member]
        alone.append(np.vstack([p2 for p2, _ in one.predict_proba_docs(docs)]))
    assert np.abs(alone[0] - alone[1]).max() > 0.01  # different pages, different trees
    np.testing.assert_allclose(both, (alone[0] + alone[1]) / 2, atol=1e-6)
    # Without shares (a user's labelled files only) one member learns from everything.
    labelled = [d for d, r in zip(data.docs, data.roles) if r != "synthetic"]
    assert len(fit_classifier(labelled, ["seeds"] * len(labelled), data.lexicon, SMALL | {"stage2_bags": 2}).stage2_) == 1
    with pytest.raises(ValueError, match="bags"):
        model.fit([d.document() for d in labelled], [d.labels for d in labelled], bags=[2] * len(labelled))


def test_quality_report_measures_spam_and_off_topic_over_several_injection_draws_per_held_out_page():
    from training.quality import DRAW_STRIDE, run
    from training.synth import inject_noise, load_corpora

    hard = FIXTURES / "hard_cases.jsonl"
    seeds, corpora = SEEDS_DIR / "labelled.jsonl", FIXTURES / "corpora"
    report = run(hard, seeds, corpora, folds=2, synthetic_docs=20, seed=7, params=SMALL, injection_draws=3)
    assert report["injection_draws"] == 3
    pages = read_labelled(hard) + read_labelled(seeds)
    predictions = report["predictions"]
    corp = load_corpora(corpora)
    for i, page in enumerate(pages):
        draws = predictions[page.id]["injected"]
        assert len(draws) == 3
        for r, draw in enumerate(draws):
            # Each draw is the page injected with its own seed (draw 0 is the single draw reports used to
            # measure), labelled and scored line by line.
            expected = inject_noise(page.to_json(), corp, seed=7 + i + r * DRAW_STRIDE, split="test")["paragraphs"]
            assert draw["texts"] == [p["text"] for p in expected if p["text"].strip()]
            assert len(draw["labels"]) == len(draw["pred"]) == len(draw["scores"]) == len(draw["texts"])
        assert len({tuple(d["texts"]) for d in draws}) == 3, page.id
    # The injected figures count every draw's characters once.
    for name, docs in (("devset", pages[:5]), ("seeds", pages[5:])):
        off = sum(len(t) for d in docs for draw in predictions[d.id]["injected"] for t, lab in zip(draw["texts"], draw["labels"]) if lab == "off_topic")
        assert off and report[name]["model_injected"]["char"]["per_label"]["off_topic"]["support"] == off
    with pytest.raises(ValueError, match="injection_draws"):
        run(hard, seeds, corpora, folds=2, synthetic_docs=0, injection_draws=0)
