"""Shared fixtures. Everything a test reads lives under tests/ (never ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao import i18n

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"


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
