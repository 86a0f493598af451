"""Property-based tests (hypothesis), short enough for CI; scripts/fuzz.py runs the long,
coverage-guided fuzzing. Each reader takes any bytes with a ReadError or a model; the engine
takes any model without a rule failing (a model that does not conform gets M001 and nothing
else); a conforming model, however odd its values, makes no rule raise; every output format
is valid for whatever the run holds."""

from __future__ import annotations

import copy
import io
import json
import math
import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from modelmutations import base_models, mutated, numeric_places, set_value
from nianbao import pluginmanager
from nianbao.config import Config
from nianbao.engine import run
from nianbao.loader import Loaded
from nianbao.model import Report
from nianbao.readers import ReadError, Source
from nianbao.reporters import render
from nianbao.rule import CrossRule, RuleContext, Skip
from nianbao.validate import validate

FIXTURES = Path(__file__).parent / "fixtures"
#: NIANBAO_PROPERTY_SCALE=50 runs each property fifty times as long (the suite's runs are short)
SCALE = int(os.environ.get("NIANBAO_PROPERTY_SCALE", "1"))


def examples(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


SHORT = examples(25)


def _read(reader: Any, data: bytes) -> None:
    try:
        reader.read(Source("prop", data, ""))
    except ReadError as exc:
        assert exc.kind and exc.message


def _reader(name: str) -> Any:
    from nianbao.readers.builtin import nianbao_readers

    return next(r for r in nianbao_readers() if r.format == name)


# --- readers: any bytes -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["text", "html", "pdf", "docx", "json"])
@SHORT
@given(data=st.binary(max_size=2048))
def test_a_reader_takes_any_bytes(name: str, data: bytes) -> None:
    _read(_reader(name), data)


def _mangle(draw: st.DrawFn, blob: bytes) -> bytes:
    """A file with a few bytes changed, cut short or spliced: as a broken download looks."""
    out = bytearray(blob)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(out) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "dup", "zero"]))
        if kind == "flip":
            out[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[at : at + draw(st.integers(1, 64))]
        elif kind == "dup":
            out[at:at] = out[at : at + draw(st.integers(1, 64))]
        else:
            out[at : at + 4] = b"\0\0\0\0"
        if not out:
            break
    return bytes(out)


FIXTURE_OF = {
    "text": FIXTURES / "seed-dongxiang-2021.txt",
    "html": FIXTURES / "html" / "dongxiang-2021.html",
    "pdf": FIXTURES / "fuzz" / "pdf-seeds" / "tiny.pdf",
    "json": FIXTURES / "fuzz" / "json-seeds" / "transport-2019.json",
}


@pytest.mark.parametrize("name", sorted(FIXTURE_OF))
@SHORT
@given(data=st.data())
def test_a_reader_takes_a_damaged_report(name: str, data: st.DataObject) -> None:
    blob = FIXTURE_OF[name].read_bytes()
    _read(_reader(name), _mangle(data.draw, blob))


def _docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / "docx" / "dongxiang-2021.docx") as z:
        return {i.filename: z.read(i) for i in z.infolist()}


@SHORT
@given(data=st.data())
def test_the_docx_reader_takes_a_damaged_document_xml(data: st.DataObject) -> None:
    parts = _docx_parts()
    xml = _mangle(data.draw, parts["word/document.xml"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for part, content in parts.items():
            z.writestr(part, xml if part == "word/document.xml" else content)
    _read(_reader("docx"), buffer.getvalue())


# --- the engine: any model ------------------------------------------------------------------------


def _outputs_valid(result: Any) -> None:
    for fmt in ("json", "sarif"):
        text = render(fmt, result)
        json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in {fmt}"))  # noqa: B023
        text.encode("utf-8")
    ET.fromstring(render("junit", result).encode("utf-8"))
    render("text", result).encode("utf-8")


@examples(30)
@given(seed=st.integers(0, 2**32))
def test_no_rule_fails_on_a_mutated_model(seed: int) -> None:
    doc, what = mutated(seed)
    conforms = not validate(doc)
    result = run([Loaded("mutated.json", report=Report(doc), format="json")], Config())
    assert not result.notifications, (what, result.notifications)
    (report,) = result.results
    if not conforms:
        # the model does not conform: M001 says why, and no other rule saw it
        assert report.failed == ["M001"] and report.passed == [], what
    _outputs_valid(result)


def _finite(lo: float, hi: float) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.integers(int(lo), int(hi)),
        st.floats(lo, hi, allow_nan=False, allow_infinity=False),
    )


@st.composite
def conforming_models(draw: st.DrawFn) -> dict[str, Any]:
    """A fixture's model with odd but schema-valid values: any figure (negative, fractional,
    huge but sane, blank) in any cell, any text in the sections, meta fields blank or odd."""
    doc = json.loads(draw(st.sampled_from(base_models())))
    cells = numeric_places(doc)
    for where in draw(st.lists(st.sampled_from(cells), max_size=12)):
        set_value(doc, where, draw(_finite(-1e14, 1e14)))
    for section in doc.get("sections", []):
        if draw(st.booleans()):
            section["text"] = draw(st.text(max_size=200))
    meta = doc["meta"]
    meta["year"] = draw(st.one_of(st.none(), st.integers(1, 9999)))
    meta["title"] = draw(st.one_of(st.none(), st.text(max_size=60)))
    meta["organ"] = draw(st.one_of(st.none(), st.text(max_size=20)))
    meta["organ_kind"] = draw(st.sampled_from(["government", "department", "township", "other", None]))
    meta["published"] = draw(st.one_of(st.none(), st.dates().map(str)))
    if draw(st.booleans()):
        start, end = sorted([draw(st.dates()), draw(st.dates())])
        meta["period"] = {"start": str(start), "end": str(end)}
    return doc


@examples(30)
@given(doc=conforming_models())
def test_no_rule_raises_on_a_conforming_model(doc: dict[str, Any]) -> None:
    assume(not validate(doc))
    for rule in pluginmanager.rules():
        if isinstance(rule, CrossRule):
            continue
        try:
            found = list(rule.check(Report(copy.deepcopy(doc)), RuleContext(rule.defaults())))
        except Skip:
            continue
        for f in found:  # what a rule says must itself be writable
            assert isinstance(f.message, str) and all(isinstance(p, str) for p in f.pointers), rule.id
            if f.fix is not None and isinstance(f.fix.value, float):
                assert math.isfinite(f.fix.value), rule.id
    # and across reports: two odd years of the same organ
    second = copy.deepcopy(doc)
    if isinstance(doc["meta"].get("year"), int):
        second["meta"]["year"] = doc["meta"]["year"] + 1
    result = run(
        [Loaded("a.json", report=Report(doc), format="json"), Loaded("b.json", report=Report(second), format="json")],
        Config(),
    )
    assert not result.notifications, result.notifications
    _outputs_valid(result)
