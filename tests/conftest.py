"""Shared fixtures. Everything a test reads lives under tests/ (never ../shared)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from nianbao import i18n

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"


def pytest_configure(config: pytest.Config) -> None:
    """The remembered entry points (nianbao.entrypoints) of this run live in a folder of its own,
    shared by the subprocesses the tests start: no test reads or writes the user's cache."""
    os.environ["NIANBAO_CACHE_DIR"] = tempfile.mkdtemp(prefix="nianbao-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("NIANBAO_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def _language(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """Every test starts in the default language (zh), whatever the one before chose or the
    environment says; a module that asserts English words sets ``LANGUAGE = "en"`` (their
    Chinese is tested by tests/test_i18n.py), a test that wants English asks for it."""
    monkeypatch.delenv(i18n.ENV, raising=False)
    i18n.set_language(getattr(request.module, "LANGUAGE", i18n.DEFAULT))
    yield
    i18n.set_language(i18n.DEFAULT)


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
