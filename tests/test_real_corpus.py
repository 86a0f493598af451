"""The real corpus (tests/fixtures/real and tests/fixtures/corpus): every cell, the template,
the meta and the section headings read as the hand-made truth says; every error-level finding
is one of the defects the document really has, and every error-level defect is found."""

from __future__ import annotations

import pytest
from realcorpus import Outcome, outcomes, truth_files

IDS = [p.name.removesuffix(".truth.json") for p in truth_files()]


@pytest.fixture(scope="module", params=range(len(IDS)), ids=IDS)
def outcome(request: pytest.FixtureRequest) -> Outcome:
    return outcomes()[request.param]


def test_the_corpus_is_there() -> None:
    assert len(IDS) >= 35
    for path in truth_files():
        assert path.exists()


def test_every_cell_as_printed(outcome: Outcome) -> None:
    assert outcome.loaded.error is None, outcome.loaded.error and outcome.loaded.error.message
    assert outcome.wrong_cells() == {}


def test_unreadable_cells_are_not_guessed(outcome: Outcome) -> None:
    # a cell the truth cannot read from this file (figures run together that several readings
    # fit) must not come back as a figure: the reader leaves it unread, never silently picks one
    guessed = {
        p: outcome.report.get(p) for p in outcome.truth.get("unreadable", []) if outcome.report.get(p) is not None
    }
    assert guessed == {}


def test_template_year_meta_sections(outcome: Outcome) -> None:
    assert outcome.meta_mismatches() == {}


def test_every_error_is_a_known_defect(outcome: Outcome) -> None:
    unexplained = [f"{f.rule}: {f.message}" for f in outcome.unexplained_errors()]
    assert unexplained == []


def test_every_known_error_is_found(outcome: Outcome) -> None:
    missed = [d["what"] for d, hit in outcome.defects_found() if d["level"] == "error" and not hit]
    assert missed == []


def test_cells_read_exactly_overall() -> None:
    total = sum(o.cell_count() for o in outcomes())
    wrong = sum(len(o.wrong_cells()) for o in outcomes())
    assert total > 0 and (total - wrong) / total >= 0.995
