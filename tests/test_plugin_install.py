"""A throwaway plugin package, really installed (pip, its own pyproject, entry-point group
``nianbao``) into a separate folder: its rule shows in ``nianbao rules``, its finding in every
output format, its version in SARIF ``tool.extensions``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "examples" / "plugin-template"
SEED = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("plugin")
    pkg = work / "pkg"
    shutil.copytree(TEMPLATE, pkg)
    # a version of its own, so the test sees that the installed metadata is what SARIF reports
    pyproject = pkg / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('version = "0.3.1"', 'version = "7.4.2"'))
    site = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(pkg),
        ],
        check=True,
        capture_output=True,
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def nianbao(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nianbao", *args], env=env, capture_output=True, text=True)


def test_rule_listed(plugin_env: dict[str, str]) -> None:
    out = nianbao(plugin_env, "rules", "--format", "json")
    assert out.returncode == 0, out.stderr
    rules = {r["id"]: r for r in json.loads(out.stdout)}
    assert rules["EX101"]["plugin"] == "nianbao-example-rules"
    assert rules["EX101"]["level"] == "note"
    assert "EX101" in nianbao(plugin_env, "rules").stdout


def test_the_plugin_speaks_both_languages_from_its_own_catalogue(plugin_env: dict[str, str]) -> None:
    zh = {r["id"]: r for r in json.loads(nianbao(plugin_env, "rules", "--format", "json").stdout)}["EX101"]
    assert zh["summary"] == "报告写明了政府信息公开申请的咨询电话。" and zh["title"] == "公开咨询电话"
    en = {r["id"]: r for r in json.loads(nianbao(plugin_env, "rules", "-f", "json", "--lang", "en").stdout)}["EX101"]
    assert en["summary"] == "The report gives a telephone number for information-disclosure requests."
    doc = json.loads(nianbao(plugin_env, "check", str(SEED), "--format", "json").stdout)
    (message,) = [f["message"] for f in doc["reports"][0]["findings"] if f["rule"] == "EX101"]
    assert message.startswith("报告 ") and message.endswith("个部分中均未找到联系电话")
    doc = json.loads(nianbao(plugin_env, "check", str(SEED), "--format", "json", "--lang", "en").stdout)
    (message,) = [f["message"] for f in doc["reports"][0]["findings"] if f["rule"] == "EX101"]
    assert message.startswith("no contact telephone (联系电话) found in any of the ")


def test_not_installed_not_listed() -> None:
    out = nianbao(dict(os.environ), "rules", "--format", "json")
    assert "EX101" not in {r["id"] for r in json.loads(out.stdout)}


def test_finding_in_every_format(plugin_env: dict[str, str], tmp_path: Path) -> None:
    text = nianbao(plugin_env, "check", str(SEED), "--format", "text")
    assert "EX101" in text.stdout

    doc = json.loads(nianbao(plugin_env, "check", str(SEED), "--format", "json").stdout)
    (report,) = doc["reports"]
    assert [f["rule"] for f in report["findings"] if f["rule"] == "EX101"] == ["EX101"]
    assert "EX101" in report["rules"]["failed"]

    junit = ET.fromstring(nianbao(plugin_env, "check", str(SEED), "--format", "junit").stdout)
    cases = [c for c in junit.iter("testcase") if c.get("name", "").startswith("EX101")]
    # a note: below the default --fail-on error, so kept in the case's system-out, not a failure
    assert len(cases) == 1 and cases[0].find("failure") is None and "EX101" in cases[0].find("system-out").text
    junit = ET.fromstring(nianbao(plugin_env, "check", str(SEED), "-f", "junit", "--fail-on", "note").stdout)
    cases = [c for c in junit.iter("testcase") if c.get("name", "").startswith("EX101")]
    assert cases[0].find("failure") is not None

    sarif = json.loads(nianbao(plugin_env, "check", str(SEED), "--format", "sarif").stdout)
    (run,) = sarif["runs"]
    assert any(r["ruleId"] == "EX101" for r in run["results"])
    extensions = {e["name"]: e for e in run["tool"].get("extensions", [])}
    assert extensions["nianbao-example-rules"]["version"] == "7.4.2"


def test_a_plugin_installed_after_a_cached_run_is_seen(tmp_path: Path) -> None:
    """The entry points are remembered between runs (nianbao.entrypoints): a cached run, then
    pip installs the plugin into a folder on the path, and the next run lists its rule."""
    site = tmp_path / "site"
    site.mkdir()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["NIANBAO_CACHE_DIR"] = str(tmp_path / "cache")
    # every folder trusted however recently it changed, so that the first run is remembered
    main = "import sys; from nianbao import cli, entrypoints; entrypoints.RECENT_NS = 0; sys.exit(cli.main())"

    def rules() -> set[str]:
        out = subprocess.run([sys.executable, "-c", main, "rules", "-f", "json"], env=env, capture_output=True)
        assert out.returncode == 0, out.stderr
        return {r["id"] for r in json.loads(out.stdout)}

    assert "EX101" not in rules()
    assert any((tmp_path / "cache").iterdir())  # remembered
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(site)]
    subprocess.run([*pip, str(TEMPLATE)], check=True, capture_output=True)
    assert "EX101" in rules()
