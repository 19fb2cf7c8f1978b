"""A model directory is verified before anything in it is unpickled."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import types

import joblib
import pytest

from service.artifact import CURRENT_FILE, MANIFEST_FILE, MODEL_FILE, ModelError, load_model, resolve_model_dir
from tests.conftest import models_dir


@pytest.fixture()
def model_copy(tmp_path):
    src = resolve_model_dir(models_dir())
    dst = tmp_path / "models" / src.name
    shutil.copytree(src, dst)
    (dst.parent / CURRENT_FILE).write_text(src.name + "\n")
    return dst


def test_shipped_model_loads_with_its_manifest():
    loaded = load_model(models_dir())
    assert loaded.version and loaded.manifest["labels"] == ["content", "chrome", "spam", "off_topic"]
    files = loaded.manifest["training"]["files"]
    assert any(f["role"] == "seeds" for f in files)
    assert all(len(f["sha256"]) == 64 for f in files)
    assert loaded.manifest["model_file"]["bytes"] < 60 * 1024 * 1024


def test_current_pointer_and_explicit_name(model_copy):
    assert load_model(model_copy.parent).path == model_copy
    assert load_model(model_copy.parent, model_copy.name).path == model_copy


def test_a_tampered_model_file_is_refused(model_copy):
    with open(model_copy / MODEL_FILE, "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="does not match the manifest"):
        load_model(model_copy.parent)


def test_a_manifest_without_hash_is_refused(model_copy):
    manifest = json.loads((model_copy / MANIFEST_FILE).read_text())
    del manifest["model_file"]["sha256"]
    (model_copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ModelError):
        load_model(model_copy.parent)


@pytest.mark.parametrize("name", ["../evil", "/etc", ".hidden", "a/b", "missing"])
def test_names_never_escape_the_models_directory(model_copy, name):
    with pytest.raises(ModelError):
        load_model(model_copy.parent, name)


def _rehash(model_dir):
    manifest = json.loads((model_dir / MANIFEST_FILE).read_text())
    manifest["model_file"]["sha256"] = hashlib.sha256((model_dir / MODEL_FILE).read_bytes()).hexdigest()
    (model_dir / MANIFEST_FILE).write_text(json.dumps(manifest))


def test_a_model_pickled_against_a_missing_module_is_refused_clearly(model_copy):
    """A model from an older release (e.g. its lexicon pickled as a pyahocorasick automaton) names a
    module this version does not install: a ModelError saying what to do, not a traceback."""
    stub = types.ModuleType("jingwen_gone_module")
    stub.Gone = type("Gone", (), {"__module__": "jingwen_gone_module"})
    sys.modules["jingwen_gone_module"] = stub
    try:
        joblib.dump(stub.Gone(), model_copy / MODEL_FILE)
    finally:
        del sys.modules["jingwen_gone_module"]
    _rehash(model_copy)
    with pytest.raises(ModelError, match="incompatible version.*retrain it"):
        load_model(model_copy.parent)


def test_a_model_missing_state_this_code_needs_is_refused_at_load(model_copy):
    classifier = load_model(model_copy.parent).classifier
    del classifier.lexicon_.__dict__["patterns_"]  # as if pickled by code that stored something else
    classifier.lexicon_.__dict__.pop("_automaton")
    joblib.dump(classifier, model_copy / MODEL_FILE)
    _rehash(model_copy)
    with pytest.raises(ModelError, match="fails on a two-line document"):
        load_model(model_copy.parent)
