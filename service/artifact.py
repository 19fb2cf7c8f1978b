"""A model is a directory: the fitted pipeline, a manifest, a model card. Loading verifies it.

Nothing but a file whose SHA-256 matches its manifest is ever unpickled, and only from the
configured models directory: a pickle is code, so an unverified one is never loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass
from pathlib import Path

import joblib

from .document import build_document
from .model import ParagraphClassifier

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
CARD_FILE = "MODEL_CARD.md"
CURRENT_FILE = "CURRENT"
FORMAT_VERSION = 1


class ModelError(RuntimeError):
    """A model directory that is missing, incomplete, or does not match its manifest."""


@dataclass(slots=True)
class LoadedModel:
    """A verified classifier with its manifest and the directory it came from."""

    classifier: ParagraphClassifier
    manifest: dict[str, object]
    path: Path

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unknown"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    import jieba
    import numpy
    import scipy
    import sklearn

    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "jieba": jieba.__version__,
        "rjieba": version("rjieba"),
        "opencc": version("opencc"),
        "joblib": joblib.__version__,
    }


def save_model(classifier: ParagraphClassifier, directory: Path, manifest: dict[str, object], card: str) -> Path:
    """Write ``model.joblib``, then the manifest with its hash, then the card; atomic per file."""
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    _atomic_write(model_path, lambda p: joblib.dump(classifier, p, compress=3))
    full = dict(manifest)
    full.setdefault("format", FORMAT_VERSION)
    full["libraries"] = library_versions()
    full["model_file"] = {"name": MODEL_FILE, "sha256": sha256_file(model_path), "bytes": model_path.stat().st_size}
    _atomic_write(
        directory / MANIFEST_FILE,
        lambda p: Path(p).write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"),
    )
    _atomic_write(directory / CARD_FILE, lambda p: Path(p).write_text(card, encoding="utf-8"))
    return directory


def _atomic_write(target: Path, write: object) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        write(tmp)  # type: ignore[operator]
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a model directory is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def resolve_model_dir(models_dir: Path, name: str | None = None) -> Path:
    """The directory of model ``name`` inside ``models_dir``, or of the one ``CURRENT`` names.

    ``models_dir`` may also be a model directory itself (it holds a manifest). A name never
    escapes ``models_dir``.
    """
    models_dir = Path(models_dir)
    if name is None and (models_dir / MANIFEST_FILE).is_file():
        return models_dir
    if name is None:
        current = models_dir / CURRENT_FILE
        if not current.is_file():
            raise ModelError(f"no model in {models_dir}: neither {MANIFEST_FILE} nor {CURRENT_FILE} found")
        name = current.read_text(encoding="utf-8").strip()
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelError(f"invalid model name {name!r}")
    path = models_dir / name
    if not (path / MANIFEST_FILE).is_file():
        raise ModelError(f"model {name!r} not found in {models_dir}")
    return path


def load_model(models_dir: Path, name: str | None = None) -> LoadedModel:
    """Load and verify a model; refuse a file whose hash differs from the manifest's."""
    path = resolve_model_dir(models_dir, name)
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable manifest in {path}: {exc}") from None
    entry = manifest.get("model_file") or {}
    model_path = path / str(entry.get("name", MODEL_FILE))
    if model_path.parent != path or not model_path.is_file():
        raise ModelError(f"model file missing in {path}")
    expected = entry.get("sha256")
    actual = sha256_file(model_path)
    if not expected or actual != expected:
        raise ModelError(f"{model_path}: SHA-256 {actual} does not match the manifest ({expected}); refusing to load")
    incompatible = f"{model_path} was built by an incompatible version of jingwen or its libraries"
    try:
        classifier = joblib.load(model_path)
    except (ImportError, AttributeError, TypeError, ValueError, EOFError, pickle.UnpicklingError) as exc:
        raise ModelError(f"{incompatible} ({type(exc).__name__}: {exc}); retrain it with `jingwen train`") from None
    if not isinstance(classifier, ParagraphClassifier):
        raise ModelError(f"{model_path} does not hold a ParagraphClassifier")
    try:  # a pickle can load and still miss state this code needs: find out now, not on a request
        classifier.predict_proba_docs([build_document("模型自检。\nself-check")])
    except Exception as exc:  # noqa: BLE001 - any failure here means the model cannot serve
        raise ModelError(f"{incompatible}: it fails on a two-line document ({type(exc).__name__}: {exc}); retrain it with `jingwen train`") from None
    return LoadedModel(classifier=classifier, manifest=manifest, path=path)
