"""The narrative rules skip a sentence's clauses when a search of the whole sentence shows that
none of them can hold what a rule looks for (phrases.anywhere, text.prints_count). A skip must
never change a finding: whenever a phrase list matches in one clause, or a clause holds a
count, the sentence-level test says so."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.rules.narrative import phrases
from nianbao.rules.narrative.text import Sentence, figures, prints_count


def _lists() -> list[str]:
    names = []
    for name, value in phrases.data().items():
        if name.startswith("$"):
            continue
        if isinstance(value, dict):
            names += [f"{name}.{key}" for key in value]
        else:
            names.append(name)
    return names


def _tokens() -> list[str]:
    """The words of every phrase list (the literal runs of its alternatives), their characters,
    numerals, units and every clause separator: texts made of them meet the look-arounds."""
    words = set()
    for name in _lists():
        words.update(re.findall(r"[\u4e00-\u9fff0-9A-Za-z%]+", phrases.words(name)))
    chars = {c for w in words for c in w}
    extra = set("，、：:（）()【】[],;；。0123456789一二十件份条项次人万余") | {"12,345", "1,2345"}
    return sorted(words | chars | extra)


LISTS = _lists()
TEXTS = st.lists(st.sampled_from(_tokens()), max_size=14).map("".join)
#: numerals, 万/亿, 余/多, every unit a figure is printed with, what comes before an ordinal
FIGURE_TEXTS = st.lists(
    st.sampled_from(
        list(
            "0123456789,.%‰零〇一二两三四五六七八九十百千万亿余多近约超逾人次件份条宗起个项例篇期家名户场年月日号元天时第〔[“”是，、；"
        )
    ),
    max_size=12,
).map("".join)
CHECKS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def _clauses(text: str) -> list[str]:
    return [c.text for c in Sentence(text, 0, "", "/sections/0", {}).clauses()]


@CHECKS
@given(TEXTS)
def test_a_phrase_in_a_clause_is_found_in_the_sentence(text: str) -> None:
    clauses = _clauses(text)
    for name in LISTS:
        if any(phrases.pattern(name).search(c) for c in clauses):
            assert phrases.anywhere(name)(text), (name, text)


@CHECKS
@given(TEXTS)
def test_several_lists_are_found_in_one_search(text: str) -> None:
    names = ("application_topic", "other_topic", "bare_application")
    clauses = _clauses(text)
    if any(phrases.pattern(name).search(c) for name in names for c in clauses):
        assert phrases.anywhere_of(*names)(text), text


@CHECKS
@given(FIGURE_TEXTS)
def test_a_count_in_a_clause_is_found_in_the_sentence(text: str) -> None:
    if any(f.is_count for c in _clauses(text) for f in figures(c)):
        assert prints_count(text), text


@pytest.mark.parametrize(
    ("source", "relaxed"),
    [
        (r"信访(?!举报)|(?<!举报)投诉(?!类)", "信访|投诉"),
        (r"(?:^|[，,])无(?=因|涉及)", "(?:|[，,])无(?=因|涉及)"),
        (r"[^，(?!]{0,3}?等\b", "[^，(?!]{0,3}?等"),
        (r"(?i)申请", None),  # flags: not taken apart
        (r"(?>申请)", None),  # an atomic group does not try every way
        (r"申请++", None),
    ],
)
def test_loose_leaves_out_what_looks_past_a_clause(source: str, relaxed: str | None) -> None:
    assert phrases.loose(source) == relaxed


def test_a_list_that_cannot_be_loosened_never_skips() -> None:
    assert phrases._anywhere(r"(?i)x")("nothing here")
