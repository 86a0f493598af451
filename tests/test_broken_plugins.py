"""Broken plugins, each a package of its own (pyproject.toml, entry point in the group
``nianbao``), really installed with pip — all in one pip call into one folder, built once per
session; each case turns the others off with ``plugins: {disable: [...]}`` in its configuration,
which is also how a user sets a broken plugin aside. A broken declaration is exit 2 with one
message naming the distribution and the rule, no traceback; a rule that raises or loops is an
internal error, exit 3, with every output format still well-formed."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
SECOND = FIXTURES / "text" / "qingshi-town-2021-fullwidth.txt"
SCHEMAS = FIXTURES / "conformance"

GOOD_RULE = """
@rule(id="{id}", name="{name}", level="{level}", summary="A broken plugin's rule.")
def check(report, ctx):
    {body}
"""
#: name → (module source, what it declares)
PLUGINS = {
    "level": GOOD_RULE.format(id="BL101", name="bad-level", level="warn", body="yield from ()")
    + "\n@hookimpl\ndef nianbao_rules():\n    return [check]\n",
    "badid": GOOD_RULE.format(id="bad id", name="bad-id", level="note", body="yield from ()")
    + "\n@hookimpl\ndef nianbao_rules():\n    return [check]\n",
    "dupid": GOOD_RULE.format(id="T301", name="dup-id", level="note", body="yield from ()")
    + "\n@hookimpl\ndef nianbao_rules():\n    return [check]\n",
    "nonlist": GOOD_RULE.format(id="BN101", name="not-a-list", level="note", body="yield from ()")
    + "\n@hookimpl\ndef nianbao_rules():\n    return check\n",
    "importerror": "import nianbao_no_such_dependency  # noqa: F401\n",
    "raises": GOOD_RULE.format(id="BR101", name="raises", level="error", body="raise KeyError('table 三')")
    + "\n@hookimpl\ndef nianbao_rules():\n    return [check]\n",
    "loops": GOOD_RULE.format(id="BO101", name="loops", level="error", body="while True:\n        pass\n    yield")
    + "\n@hookimpl\ndef nianbao_rules():\n    return [check]\n",
}


def _dist(name: str) -> str:
    return f"nianbao-broken-{name}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("broken")
    packages = []
    for name, source in PLUGINS.items():
        pkg = work / name
        module = pkg / f"nianbao_broken_{name}"
        module.mkdir(parents=True)
        (module / "__init__.py").write_text("from nianbao import hookimpl, rule\n" + source, encoding="utf-8")
        (pkg / "pyproject.toml").write_text(
            textwrap.dedent(f"""\
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "{_dist(name)}"
                version = "1.0.{len(name)}"

                [project.entry-points.nianbao]
                broken_{name} = "nianbao_broken_{name}"

                [tool.setuptools]
                packages = ["nianbao_broken_{name}"]
            """),
            encoding="utf-8",
        )
        packages.append(str(pkg))
    target = work / "site"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(target)]
    subprocess.run([*pip, *packages], check=True, capture_output=True)
    return target


def nianbao(site: Path, tmp_path: Path, only: str, *args: str) -> subprocess.CompletedProcess[str]:
    """nianbao with the broken plugins installed and all but ``only`` disabled."""
    config = tmp_path / f"{only}.yaml"
    others = [_dist(n) for n in PLUGINS if n != only]
    config.write_text(f"plugins: {{disable: [{', '.join(others)}]}}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    env["NIANBAO_LANG"] = "en"
    cmd = [sys.executable, "-m", "nianbao", *args, "--config", str(config)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, encoding="utf-8")


@pytest.fixture
def in_process(site: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """cli.main in this process with the broken plugins on the path (a subprocess costs a second)."""
    from nianbao import cli, i18n, pluginmanager

    sys.path.insert(0, str(site))
    pluginmanager.reset()
    i18n.set_language("en")

    def main(only: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
        config = tmp_path / f"{only}.yaml"
        others = [_dist(n) for n in PLUGINS if n != only]
        config.write_text(f"plugins: {{disable: [{', '.join(others)}]}}\n", encoding="utf-8")
        code = cli.main([*args, "--config", str(config), "--lang", "en"])
        out, err = capsys.readouterr()
        return code, out, err

    try:
        yield main
    finally:
        sys.path.remove(str(site))
        pluginmanager.disable([])
        pluginmanager.reset()


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        ("level", "plugin nianbao-broken-level: rule BL101: level 'warn' is not one of error, warning, note"),
        ("badid", "plugin nianbao-broken-badid: rule bad id: id 'bad id' is not an upper-case prefix and a number"),
        ("dupid", "plugin nianbao-broken-dupid: rule T301 is declared twice: by nianbao and by nianbao-broken-dupid"),
        (
            "nonlist",
            "plugin nianbao-broken-nonlist: hook nianbao_rules returned one rule, not a list of rules "
            "(return [rule, …])",
        ),
        (
            "importerror",
            "plugin nianbao-broken-importerror: entry point broken_importerror = nianbao_broken_importerror "
            "could not be imported: ModuleNotFoundError: No module named 'nianbao_no_such_dependency'",
        ),
    ],
)
def test_a_broken_declaration_is_one_message_and_exit_2(in_process, tmp_path: Path, plugin: str, message: str) -> None:
    for fmt in ("text", "json", "junit", "sarif"):  # nothing is written in any format: the message is all
        code, out, err = in_process(plugin, tmp_path, "check", str(SEED), "-f", fmt)
        assert code == 2 and out == "", (fmt, err)
        assert err.startswith(f"nianbao: {message}") and err.count("\n") == 1, err
    code, out, err = in_process(plugin, tmp_path, "rules")
    assert code == 2 and err.startswith(f"nianbao: {message}")


def test_a_broken_declaration_in_a_subprocess_has_no_traceback(site: Path, tmp_path: Path) -> None:
    done = nianbao(site, tmp_path, "level", "check", str(SEED))
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith("nianbao: plugin nianbao-broken-level: rule BL101: level 'warn'")


def test_a_broken_plugin_disabled_is_out_of_the_way(site: Path, tmp_path: Path) -> None:
    done = nianbao(site, tmp_path, "none", "check", str(SEED), "-q")  # every broken plugin disabled
    assert done.returncode == 0, done.stderr


def _well_formed(fmt: str, out: str) -> None:
    if fmt == "json":
        from jsonschema import Draft202012Validator
        from nianbao import schemas

        assert list(Draft202012Validator(schemas.load("findings")).iter_errors(json.loads(out))) == []
    elif fmt == "sarif":
        from jsonschema import Draft4Validator

        schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
        assert list(Draft4Validator(schema).iter_errors(json.loads(out))) == []
    elif fmt == "junit":
        etree = pytest.importorskip("lxml.etree")
        xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd")))
        assert xsd.validate(etree.fromstring(out.encode("utf-8"))), [str(e) for e in xsd.error_log][:3]
        for suite in ET.fromstring(out.encode("utf-8")).iter("testsuite"):
            cases = suite.findall("testcase")
            assert int(suite.get("errors")) == sum(c.find("error") is not None for c in cases)
            assert max(collections.Counter(c.get("name") for c in cases).values()) == 1


@pytest.mark.parametrize(
    ("plugin", "rule", "what", "args"),
    [
        ("raises", "BR101", "raised KeyError: 'table 三'", ()),
        ("loops", "BO101", "ran past its time limit of 0.5 s and was stopped", ("--rule-time-limit", "0.5")),
    ],
)
def test_a_rule_that_raises_or_loops_is_an_internal_error(
    site: Path, tmp_path: Path, plugin: str, rule: str, what: str, args: tuple[str, ...]
) -> None:
    dist = _dist(plugin)
    outputs = {}
    for fmt in ("text", "json", "junit", "sarif"):
        done = nianbao(site, tmp_path, plugin, "check", str(SEED), str(SECOND), "-f", fmt, *args)
        assert done.returncode == 3, (fmt, done.stderr)
        assert "Traceback" not in done.stderr
        _well_formed(fmt, done.stdout)
        outputs[fmt] = done.stdout
    assert f"nianbao: internal error: rule {rule} (plugin {dist}) {what}" in outputs["text"]
    doc = json.loads(outputs["json"])
    checked = [r for r in doc["reports"] if r["status"] == "checked"]
    assert len(checked) >= 2 and all(rule in r["rules"]["errored"] for r in checked)  # the run went on
    assert all(r["findings"] or r["rules"]["passed"] for r in checked)  # the other rules ran
    assert {e["plugin"] for e in doc["internal_errors"]} == {dist}
    cases = [
        c for c in ET.fromstring(outputs["junit"].encode("utf-8")).iter("testcase") if c.get("name").startswith(rule)
    ]
    assert cases and all(c.find("error").get("type") == "internal-error" for c in cases)
    assert dist in cases[0].find("error").get("message")
    invocation = json.loads(outputs["sarif"])["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = [n for n in invocation["toolExecutionNotifications"] if n.get("properties", {}).get("plugin") == dist]
    assert notes and all(n["level"] == "error" and dist in n["message"]["text"] for n in notes)
    assert notes[0]["associatedRule"]["id"] == rule
