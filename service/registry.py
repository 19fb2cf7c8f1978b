"""Model versions in a models directory: list them, promote one to served, roll back.

A models directory holds model directories (``service.artifact``), ``CURRENT`` (the name of the
served one) and ``HISTORY`` (the names ``CURRENT`` held before, oldest first, one per line with the
time it was replaced). Every change is atomic: a new file is written beside the old one and moved
over it with ``os.replace``, so a reader sees the old name or the new one, never a torn file; a
lock on the directory itself (``flock``) serialises concurrent changes. A model is only promoted
after it loads and verifies (its SHA-256 against its manifest), and the same check guards a rollback.

Crash safety: ``promote`` appends the outgoing name to ``HISTORY`` before it switches ``CURRENT``;
``rollback`` switches ``CURRENT`` before it drops the entry from ``HISTORY``. A crash in between
leaves a ``HISTORY`` whose last entry equals ``CURRENT``, which both operations treat as stale.

Everything here is a pure function of the directory; the command line (``jingwen models``) and,
later, the HTTP service's reload only call these.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .artifact import CURRENT_FILE, MANIFEST_FILE, MODEL_FILE, LoadedModel, ModelError, load_model, resolve_model_dir, sha256_file

HISTORY_FILE = "HISTORY"
SUMMARY_METRICS = (("user_cv", "user CV"), ("synthetic_test", "synthetic"))
"""Metrics ``list`` summarises (keep F1 by character), in this order, when a manifest has them."""


class RegistryError(ModelError):
    """A promotion or rollback that cannot be done; nothing was changed."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    name: str
    replaced: str = ""


@dataclass(slots=True)
class ModelEntry:
    """One model directory as ``jingwen models list`` shows it."""

    name: str
    version: str = ""
    created: str = ""
    current: bool = False
    metrics: dict[str, float] = field(default_factory=dict)
    verified: bool | None = None
    error: str | None = None

    def summary(self) -> str:
        labels = dict(SUMMARY_METRICS)
        return ", ".join(f"{labels.get(k, k)} keep-F1 {v:.4f}" for k, v in self.metrics.items()) or "-"

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "version": self.version, "created": self.created, "current": self.current,
            "metrics": self.metrics, "verified": self.verified, "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class Switch:
    """The served model before and after an operation; ``changed`` is false for a no-op."""

    previous: str | None
    current: str
    changed: bool = True


def current_name(models_dir: Path) -> str | None:
    """The name ``CURRENT`` holds, or ``None`` if there is no ``CURRENT``."""
    path = Path(models_dir) / CURRENT_FILE
    try:
        name = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def history(models_dir: Path) -> list[HistoryEntry]:
    """Earlier values of ``CURRENT``, oldest first."""
    path = Path(models_dir) / HISTORY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    entries = []
    for line in text.splitlines():
        if line.strip():
            name, _, when = line.strip().partition("\t")
            entries.append(HistoryEntry(name.strip(), when.strip()))
    return entries


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows it
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_history(models_dir: Path, entries: list[HistoryEntry]) -> None:
    _write_atomic(Path(models_dir) / HISTORY_FILE, "".join(f"{e.name}\t{e.replaced}\n" for e in entries))


def _set_current(models_dir: Path, name: str) -> None:
    _write_atomic(Path(models_dir) / CURRENT_FILE, name + "\n")


@contextlib.contextmanager
def _locked(models_dir: Path) -> Iterator[None]:
    """An exclusive lock on the models directory for one read-modify-write of CURRENT/HISTORY."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        raise RegistryError(f"models directory {models_dir} does not exist")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: atomic replaces, no lock
        yield
        return
    fd = os.open(models_dir, os.O_RDONLY)  # the directory itself: no lock file left among the models
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def verify(models_dir: Path, name: str) -> LoadedModel:
    """Load ``name`` as the server would (hash checked against its manifest); raises ``ModelError``."""
    return load_model(Path(models_dir), name)


def promote(models_dir: Path, name: str) -> Switch:
    """Make ``name`` the served model, after verifying that it loads; the old name goes to HISTORY."""
    models_dir = Path(models_dir)
    with _locked(models_dir):
        resolve_model_dir(models_dir, name)  # a valid name of a model directory inside models_dir
        try:
            verify(models_dir, name)
        except ModelError as exc:
            raise RegistryError(f"not promoting {name!r}: {exc}") from None
        previous = current_name(models_dir)
        if previous == name:
            return Switch(previous, name, changed=False)
        if previous is not None:
            entries = history(models_dir)
            if not entries or entries[-1].name != previous:  # the stale entry of an interrupted run is there already
                entries.append(HistoryEntry(previous, _now()))
                _write_history(models_dir, entries)
        _set_current(models_dir, name)
        return Switch(previous, name)


def rollback(models_dir: Path) -> Switch:
    """Serve the previously promoted model again (verified first); its HISTORY entry is consumed."""
    models_dir = Path(models_dir)
    with _locked(models_dir):
        current = current_name(models_dir)
        entries = history(models_dir)
        while entries and entries[-1].name == current:  # stale: an interrupted promote or rollback
            entries.pop()
        if not entries:
            raise RegistryError(f"nothing to roll back to: {models_dir / HISTORY_FILE} holds no earlier model")
        target = entries[-1].name
        try:
            verify(models_dir, target)
        except ModelError as exc:
            raise RegistryError(f"cannot roll back to {target!r}: {exc}; promote a model explicitly") from None
        _set_current(models_dir, target)
        _write_history(models_dir, entries[:-1])
        return Switch(current, target)


def list_models(models_dir: Path, verify_files: bool = False) -> list[ModelEntry]:
    """Every model directory (one holding a manifest), oldest first; ``verify_files`` checks hashes.

    A broken manifest is listed with its error rather than hidden. Nothing is unpickled.
    """
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        raise RegistryError(f"models directory {models_dir} does not exist")
    current = current_name(models_dir)
    entries: list[ModelEntry] = []
    for path in sorted(models_dir.iterdir()):
        if not path.is_dir() or path.name.startswith(".") or not (path / MANIFEST_FILE).is_file():
            continue
        entry = ModelEntry(name=path.name, current=path.name == current)
        try:
            manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            entry.error = f"unreadable manifest: {exc}"
            entries.append(entry)
            continue
        entry.version = str(manifest.get("version", ""))
        entry.created = str(manifest.get("created", ""))
        metrics = manifest.get("metrics") or {}
        for key, _ in SUMMARY_METRICS:
            report = metrics.get(key) if isinstance(metrics, dict) else None
            try:
                entry.metrics[key] = float(report["char"]["keep_f1"])  # type: ignore[index]
            except (KeyError, TypeError, ValueError):
                pass
        if verify_files:
            model_file = path / str((manifest.get("model_file") or {}).get("name", MODEL_FILE))
            expected = (manifest.get("model_file") or {}).get("sha256")
            entry.verified = bool(expected) and model_file.is_file() and sha256_file(model_file) == expected
            if not entry.verified:
                entry.error = "model file missing or its SHA-256 differs from the manifest"
        entries.append(entry)
    entries.sort(key=lambda e: (e.created, e.name))
    return entries


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


__all__ = [
    "HISTORY_FILE", "HistoryEntry", "ModelEntry", "RegistryError", "Switch",
    "current_name", "history", "list_models", "promote", "rollback", "verify",
]
