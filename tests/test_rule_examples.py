"""Every built-in rule has an example report (schemas/rule-examples.json): a short fragment of a
report that triggers it. tests/rule_examples.json says which sample each fragment goes into; here each
is put there and the run must give the rule's finding. `nianbao rules ID` and docs/rules*.md
show it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nianbao import pluginmanager
from nianbao.cli import main
from nianbao.config import Config
from nianbao.engine import run
from nianbao.loader import Loaded, load
from nianbao.model import Report
from nianbao.rule import builtin_examples

#: `nianbao rules ID` is read in English (its Chinese words: the catalogue, tests/test_i18n.py)
LANGUAGE = "en"
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
HOW = {k: v for k, v in json.loads((ROOT / "tests" / "rule_examples.json").read_text("utf-8")).items() if k[0] != "$"}
BUILTIN = {r.id: r for r in pluginmanager.rules() if r.builtin}


def test_every_built_in_rule_has_an_example_and_a_way_to_try_it() -> None:
    assert set(builtin_examples()) == set(BUILTIN) == set(HOW)
    assert all(BUILTIN[i].example_report.strip() for i in BUILTIN)


def _input(how: dict[str, Any], example: str) -> tuple[str, str]:
    """The text the example goes into, edited, and the suffix of its file."""
    base = how["in"]
    if base is None:
        return example, ".yaml"
    if base.startswith("model:"):
        report = load(str(FIXTURES / base.removeprefix("model:"))).report
        assert report is not None
        text, suffix = json.dumps(report.data, ensure_ascii=False, indent=2), ".json"
    else:
        text, suffix = (FIXTURES / base).read_text(encoding="utf-8"), Path(base).suffix
    for old, new in how.get("edits", []):
        assert old in text, (base, old[:40])
        text = text.replace(old, new.replace("{example}", example), 1)
    assert example in text  # the example shown is what the report says
    return text, suffix


@pytest.mark.parametrize("rule_id", sorted(HOW))
def test_each_example_triggers_its_rule(rule_id: str, tmp_path: Path) -> None:
    rule, how = BUILTIN[rule_id], HOW[rule_id]
    text, suffix = _input(how, rule.example_report)
    edited = tmp_path / ("roster.yaml" if how.get("as") == "roster" else f"example{suffix}")
    edited.write_text(text, encoding="utf-8")
    others = [str(FIXTURES / w) for w in how.get("with", [])]
    if how.get("as") == "roster":
        roster, paths = str(edited), others
    else:
        roster, paths = (str(FIXTURES / how["roster"]) if how.get("roster") else None), [str(edited), *others]
    if str(how["in"]).startswith("model:"):  # in memory: a model read from a file keeps no OCR source
        items = [Loaded(str(edited), report=Report(json.loads(text)), format="json")] + [load(p) for p in others]
    else:
        items = [load(p) for p in paths]
    config = Config(select=[rule_id], packs=[rule.pack] if rule.pack else [], roster=roster)
    results = run(items, config).results
    judged = results if how.get("finding_on") == "run" else [r for r in results if r.uri == str(edited)]
    found = [f for r in judged for f in r.findings if f.rule == rule_id]
    assert found, [(r.uri, r.skipped.get(rule_id), r.errored.get(rule_id)) for r in results]
    # and without the example's edits the sample does not give it (the example is what triggers it)
    if how.get("edits") and how.get("as") != "roster" and not str(how["in"]).startswith("model:"):
        plain = load(str(FIXTURES / how["in"]))
        again = run([plain] + [load(p) for p in others], config).results
        assert not [f for f in again[0].findings if f.rule == rule_id]


def test_rules_id_and_the_docs_show_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "T301", "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert "triggered by:" in shown and "一、本年新收政府信息公开申请数量\t6" in shown and "(none given)" not in shown
    docs = (ROOT / "docs" / "rules.en.md").read_text(encoding="utf-8")
    assert all(BUILTIN[i].example_report.strip("\n") in docs for i in BUILTIN)
