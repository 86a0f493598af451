"""Inputs that once crashed a reader (found by scripts/fuzz.py or by hand, kept in
tests/fixtures/fuzz/<reader>/): each is now read, or refused with a ReadError naming what is
wrong; none is a reader crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.loader import load

FUZZ = Path(__file__).parent / "fixtures" / "fuzz"
CASES = sorted(p for p in FUZZ.glob("*/*") if p.is_file() and not p.parent.name.endswith("-seeds"))


def test_the_regression_corpus_is_there() -> None:
    assert {p.parent.name for p in CASES} >= {"docx", "html", "json"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_former_crash_is_read_or_refused_cleanly(path: Path) -> None:
    loaded = load(str(path))
    assert loaded.report is not None or loaded.error is not None
    if loaded.error is not None:
        assert loaded.error.kind != "reader-crash", loaded.error.message
        assert loaded.error.message and "Traceback" not in loaded.error.message
