"""Shared fixtures: the shipped model (loaded once per session) and the project's seed documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service import Cleaner
from service.settings import MODELS_DIR_DEFAULT, REPO_ROOT

SEEDS_DIR = REPO_ROOT / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = REPO_ROOT.parent / "shared"


def models_dir() -> Path:
    """The shipped model's directory, unless ``JINGWEN_MODELS_DIR`` says otherwise."""
    return Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT)


@pytest.fixture(scope="session", name="models_dir")
def models_dir_fixture() -> Path:
    return models_dir()


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner.from_dir(models_dir())


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}
