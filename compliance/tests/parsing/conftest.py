"""Shared fixtures for the parser tests (no database needed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def _seeds_dir() -> Path:
    env = os.environ.get("DUBAN_SEEDS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of real seed documents; tests using it skip when it is absent."""
    path = _seeds_dir()
    if not path.is_dir() or not any(path.glob("*.txt")):
        pytest.skip(f"seed documents not found in {path} (set DUBAN_SEEDS_DIR to run these tests)")
    return path


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Small hand-written documents shipped with the tests."""
    return DATA
