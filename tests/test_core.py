"""The engine, configuration, plugin manager and validation, on small synthetic rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nianbao import Finding, Report, Skip, config, engine, hookimpl, pluginmanager, rule
from nianbao.loader import Loaded
from nianbao.model import join, resolve
from nianbao.readers import ReadError
from nianbao.rule import RuleContext
from nianbao.template import describe
from nianbao.validate import validate


def blank_model(template: str = "2021") -> dict:
    tables: dict = {}
    for key, table in describe(template).tables.items():
        out: dict = {}
        for row in table.rows:
            node = out
            for part in row.path[:-1]:
                node = node.setdefault(part, {})
            node[row.path[-1]] = {c.key: 0 for c in row.columns}
        tables[key] = out
    return {
        "model": "nianbao.report/1",
        "template": template,
        "source": {"uri": "r.txt", "format": "text"},
        "meta": {
            "title": "t",
            "organ": "x县",
            "organ_kind": "government",
            "year": 2021,
            "published": None,
            "period": None,
        },
        "sections": [],
        "tables": tables,
        "provenance": {"/tables/applications/granted/total": {"raw": "0", "line": 7, "column": 3}},
    }


class Synthetic:
    """A plugin registered for one test: a rule that fails, one that skips, one that crashes."""

    @staticmethod
    @rule("ZZ1", "always-fails", "warning", "s", "e")
    def fails(report: Report, ctx: RuleContext) -> Iterator[Finding]:
        yield Finding(f"found {ctx.option('what', 'x')}", ["/tables/applications/granted/total"])

    @staticmethod
    @rule("ZZ2", "always-skips", "error", "s", "e")
    def skips(report: Report, ctx: RuleContext) -> Iterator[Finding]:
        raise Skip("nothing to check here")

    @staticmethod
    @rule("ZZ3", "crashes", "error", "s", "e")
    def crashes(report: Report, ctx: RuleContext) -> Iterator[Finding]:
        raise ZeroDivisionError("boom")

    @hookimpl
    def nianbao_rules(self) -> list:
        return [self.fails, self.skips, self.crashes]


@pytest.fixture
def synthetic() -> Iterator[None]:
    pm = pluginmanager.manager()
    plugin = Synthetic()
    pm.register(plugin, name="synthetic")
    pluginmanager.rules.cache_clear()
    yield
    pm.unregister(plugin)
    pluginmanager.rules.cache_clear()


def test_pointer_helpers() -> None:
    assert join("a", "b/c", "d~e") == "/a/b~1c/d~0e"
    assert resolve({"a": [{"b": 1}]}, "/a/0/b") == 1
    assert resolve({"a": 1}, "/x", None) is None


def test_template_descriptions_cover_the_model() -> None:
    assert describe("2021").cell_count() == 200
    assert describe("2019").cell_count() == 198
    assert validate(blank_model("2021")) == []
    assert validate(blank_model("2019") | {"meta": blank_model()["meta"]}) == []


def test_validation_points_at_the_offending_value() -> None:
    model = blank_model()
    model["tables"]["applications"]["granted"]["total"] = "three"
    del model["tables"]["review_litigation"]["review"]
    found = {v.pointer: v.message for v in validate(model)}
    assert "/tables/applications/granted/total" in found
    assert "/tables/review_litigation" in found and "review" in found["/tables/review_litigation"]


def test_mixed_shapes_validate_per_table() -> None:
    model = blank_model("2021")
    model["tables"]["active_disclosure"] = blank_model("2019")["tables"]["active_disclosure"]
    assert validate(model)  # the 2021 schema rejects a 2019 table 二 …
    model["table_templates"] = {"active_disclosure": "2019"}
    assert validate(model) == []  # … unless the model says which shape the table shows


def test_engine_records_every_outcome(synthetic: None) -> None:
    cfg = config.Config(select=["ZZ"], options={"ZZ1": {"what": "figures"}})
    run = engine.run([Loaded("r.txt", report=Report(blank_model()), format="text")], cfg)
    (result,) = run.results
    assert result.failed == ["ZZ1"]
    assert result.skipped["ZZ2"] == "nothing to check here"
    assert "ZeroDivisionError" in result.errored["ZZ3"] and "ZZ3" not in result.skipped
    assert run.notifications and "ZZ3" in run.notifications[0]["message"]
    assert run.notifications[0]["plugin"] == "synthetic" and run.exit_status() == 3
    (finding,) = result.findings
    assert finding.message == "found figures" and finding.level == "warning"
    assert finding.location == {"uri": "r.txt", "line": 7, "column": 3}
    assert not run.failing()  # a warning does not fail at --fail-on error
    assert engine.run(
        [Loaded("r.txt", report=Report(blank_model()))], config.Config(select=["ZZ1"], fail_on="warning")
    ).failing()


def test_levels_and_ignore(synthetic: None) -> None:
    cfg = config.Config(select=["ZZ"], ignore=["ZZ2", "ZZ3"], levels={"ZZ1": "note"})
    (result,) = engine.run([Loaded("r.txt", report=Report(blank_model()))], cfg).results
    assert [f.level for f in result.findings] == ["note"]
    assert "ZZ2" not in result.skipped


def test_unreadable_file_is_reported_not_dropped() -> None:
    run = engine.run([Loaded("bad.pdf", error=ReadError("corrupt", "truncated"))], config.Config())
    (result,) = run.results
    assert result.status == "error" and result.error == {"kind": "corrupt", "message": "truncated"}
    assert run.failing()
    assert run.to_dict()["reports"][0]["status"] == "error"


def test_config_file(tmp_path: Path) -> None:
    path = tmp_path / "nianbao.yaml"
    path.write_text("select: [T, D]\nignore: T203\nfail-on: warning\noptions:\n  D103: {township_deadline: '02-28'}\n")
    cfg = config.load(str(path))
    assert cfg.selects("T301") and not cfg.selects("T203") and not cfg.selects("S101")
    assert cfg.fail_on == "warning" and cfg.options["D103"]["township_deadline"] == "02-28"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("fail-on: fatal\n", "fail-on"), ("colour: red\n", "无法识别的配置项"), ("- a\n", "键值映射"), ("a: [\n", "YAML")],
)
def test_config_errors_are_messages(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(config.ConfigError, match=fragment):
        config.load(str(path))


def test_builtin_rules_have_metadata() -> None:
    for r in pluginmanager.rules():
        meta = r.metadata()
        assert meta["level"] in ("error", "warning", "note"), r.id
        assert meta["summary"] and meta["explanation"] and meta["name"], r.id
        assert meta["plugin"] == "nianbao", r.id


def test_a_model_read_back_from_json_is_checked_without_borrowed_places(tmp_path: Path) -> None:
    """`nianbao parse` output, edited and checked again: the JSON file is the source; its
    provenance places belong to the document it was parsed from, so findings are file-level
    (the pointers say which cell) instead of pointing at lines of the wrong file."""
    import json

    from nianbao.loader import load

    seed = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"
    model = load(str(seed)).report.data
    model["tables"]["applications"]["granted"]["natural_person"] = 3
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")

    loaded = load(str(path))
    assert loaded.format == "json"
    assert loaded.report.data["source"]["parsed_from"]["uri"] == str(seed)
    (result,) = engine.run([loaded], config.Config(select=["M", "T3"])).results
    assert "M001" in result.passed
    (t302,) = result.findings_of("T302")
    assert t302.location == {"uri": str(path)}
    assert "/tables/applications/granted/natural_person" in t302.pointers


def test_derived_data_is_computed_once_per_report() -> None:
    from nianbao import derived

    calls: list[int] = []

    @derived
    def size(report: Report) -> int:
        calls.append(1)
        return len(report.data)

    a, b = Report({"x": 1}), Report({"x": 1, "y": 2})
    assert (size(a), size(a), size(b), size(b)) == (1, 1, 2, 2)
    assert len(calls) == 2  # once per report, whoever asks


def _hook_implementations(pm: object) -> dict[str, list[tuple[str, object, dict]]]:
    hook = pm.hook  # type: ignore[attr-defined]
    return {
        name: [(i.plugin_name, i.function, i.opts) for i in getattr(hook, name).get_hookimpls()]
        for name in dir(hook)
        if name.startswith("nianbao_")
    }


def test_the_manager_finds_the_hook_implementations_pluggy_finds() -> None:
    # the manager passes over a module's names that cannot be hook implementations: the same
    # implementations as pluggy's own manager, for the installed plugins and a module of every kind of name
    import types

    import pluggy
    from nianbao import hookspecs

    class Holder:
        @hookimpl
        def nianbao_configure(self, config: dict) -> None:
            pass

    module = types.ModuleType("odd_plugin")

    def unmarked() -> list:
        return []

    module.__dict__.update(
        nianbao_rules=hookimpl(lambda: []),
        nianbao_pack=staticmethod(hookimpl(lambda: None)),
        nianbao_configure=Holder().nianbao_configure,
        nianbao_readers=unmarked,
        helper=unmarked,
        Holder=Holder,
        value=3,
        rules=rule,
        os=types,
    )
    installed = pluginmanager.manager().list_name_plugin()
    mine = pluginmanager._Manager(hookspecs.PROJECT)
    plain = pluggy.PluginManager(hookspecs.PROJECT)
    for pm in (mine, plain):
        pm.add_hookspecs(hookspecs)
        for name, plugin in [*installed, ("odd", module)]:
            pm.register(plugin, name=name)
    found = _hook_implementations(mine)
    assert found == _hook_implementations(plain)
    assert [i[0] for i in found["nianbao_configure"]][-1] == "odd" and len(found["nianbao_rules"]) > 10
