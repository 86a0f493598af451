"""The command line: exit statuses, options, every input in every format, clear messages for
user mistakes, lazy start-up, and the seed report end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import modelkit
import pytest
from nianbao import __version__, pluginmanager
from nianbao.cli import main
from nianbao.model import resolve

SEED = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"


def _broken_model(tmp_path: Path, name: str = "broken.json") -> Path:
    """A report model JSON whose one count cell is text: M001 (schema) must flag exactly that."""
    model = modelkit.build("2021")
    model["tables"]["applications"]["granted"]["total"] = "many"
    path = tmp_path / name
    path.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- usage -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [("zh", ("示例：", "退出状态")), ("en", ("examples:", "exit status"))])
def test_help_teaches_with_examples(capsys, lang, words):
    with pytest.raises(SystemExit) as exc:
        main(["--help", "--lang", lang])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert words[0] in out and "nianbao check reports/ --format sarif -o nianbao.sarif" in out
    assert words[1] in out


@pytest.mark.parametrize("argv", [["check"], ["check", "x.txt", "--format", "pdf"], ["check", "--bogus", "x"], []])
@pytest.mark.parametrize(("lang", "usage"), [("zh", "用法："), ("en", "usage:")])
def test_usage_errors_exit_2(capsys, argv, lang, usage):
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--lang", lang] if argv else ["--lang", lang])
    assert exc.value.code == 2
    assert usage in capsys.readouterr().err


def test_version_lists_nianbao(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.splitlines()[0] == f"nianbao {__version__}"


def test_unknown_rule_selection_is_a_usage_error(capsys):
    code, out, err = _run(capsys, "check", str(SEED), "--select", "T3,Q9", "--lang", "en")
    assert code == 2 and out == ""
    assert err.strip() == "nianbao: --select: no rule id is or starts with Q9 (see `nianbao rules`)"
    code, out, err = _run(capsys, "check", str(SEED), "--select", "T3,Q9")
    assert err.strip() == "nianbao：--select：没有编号为 Q9 或以其开头的规则（见 `nianbao rules`）"


def test_config_error_is_a_message_not_a_traceback(tmp_path, capsys):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("fail-on: fatal\n", encoding="utf-8")
    code, _, err = _run(capsys, "check", str(SEED), "--config", str(cfg), "--lang", "en")
    assert code == 2
    assert err.startswith(f"nianbao: {cfg}:1: 'fail-on' must be one of error, warning, note")
    assert "Traceback" not in err
    code, _, err = _run(capsys, "check", str(SEED), "--config", str(cfg))
    assert code == 2 and err.startswith(f"nianbao：{cfg}:1：“fail-on”应为 error, warning, note 之一，而不是 'fatal'")
    code, _, err = _run(capsys, "check", str(SEED), "--config", str(tmp_path / "none.yaml"), "--lang", "en")
    assert code == 2 and err.strip().endswith("cannot read the configuration: no such file or folder")
    code, _, err = _run(capsys, "check", str(SEED), "--config", str(tmp_path / "none.yaml"))
    assert code == 2 and err.strip().endswith("无法读取配置文件：文件或文件夹不存在")


# --- check: inputs, exit statuses, formats -----------------------------------------------------


def test_nonexistent_path_is_a_read_error_in_every_format(tmp_path, capsys):
    missing = str(tmp_path / "nowhere.txt")
    for fmt in ("text", "json", "junit", "sarif"):
        code, out, _ = _run(capsys, "check", missing, "--format", fmt)
        assert code == 1, fmt
        assert "nowhere.txt" in out, fmt
    code, out, _ = _run(capsys, "check", missing, "--format", "json")
    (report,) = json.loads(out)["reports"]
    assert report["status"] == "error" and report["error"]["kind"] == "not-found"


def test_folders_are_walked_and_an_empty_one_is_reported(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    _broken_model(tmp_path / "a", "x.json")
    (tmp_path / "empty").mkdir()
    code, out, _ = _run(
        capsys, "check", str(tmp_path / "a"), str(tmp_path / "empty"), "--format", "json", "--select", "M"
    )
    uris = [r["source"]["uri"] for r in json.loads(out)["reports"]]
    assert uris == [str(tmp_path / "a" / "x.json"), str(tmp_path / "empty")]
    assert code == 1


def test_finding_sets_the_exit_status_by_fail_on(tmp_path, capsys):
    broken = str(_broken_model(tmp_path))
    code, out, _ = _run(capsys, "check", broken, "--select", "M001", "--format", "json")
    (report,) = json.loads(out)["reports"]
    assert code == 1
    assert report["rules"]["failed"] == ["M001"]
    assert [f["pointers"] for f in report["findings"]] == [["/tables/applications/granted/total"]]
    # the same finding demoted to a warning by the configuration: fails only at --fail-on warning
    cfg = tmp_path / "nianbao.yaml"
    cfg.write_text("levels: {M001: warning}\n", encoding="utf-8")
    assert _run(capsys, "check", broken, "--select", "M001", "--config", str(cfg))[0] == 0
    assert _run(capsys, "check", broken, "--select", "M001", "--config", str(cfg), "--fail-on", "warning")[0] == 1
    assert _run(capsys, "check", broken, "--select", "M001", "--config", str(cfg), "--fail-on", "note")[0] == 1
    # the command line overrides the configuration's selection
    cfg.write_text("select: [M001]\n", encoding="utf-8")
    code, out, _ = _run(capsys, "check", broken, "--config", str(cfg), "--ignore", "M", "--format", "json")
    assert "M001" not in json.dumps(json.loads(out)["reports"][0]["rules"])


def test_output_file_and_summary_on_stderr(tmp_path, capsys):
    broken = str(_broken_model(tmp_path))
    target = tmp_path / "out.sarif"
    code, out, err = _run(capsys, "check", broken, "--select", "M001", "--format", "sarif", "-o", str(target))
    assert code == 1 and out == ""
    assert err.strip() == "共 1 个文件：1 个错误，0 个警告，0 个提示；0 个文件无法读取"
    argv = ("check", broken, "--select", "M001", "-f", "sarif", "-o", str(target), "--lang", "en")
    code, out, err = _run(capsys, *argv)
    assert err.strip() == "1 file, 1 error, 0 warnings, 0 notes, 0 files unreadable"
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["M001"]


def test_colour_flag(tmp_path, capsys):
    broken = str(_broken_model(tmp_path))
    assert "\x1b[31m" in _run(capsys, "check", broken, "--select", "M001", "--color", "always")[1]
    assert "\x1b[" not in _run(capsys, "check", broken, "--select", "M001")[1]  # captured: not a terminal


def test_unwritable_output_is_a_usage_error(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "dir.txt"
    code, _, err = _run(capsys, "check", str(tmp_path / "x.txt"), "-o", str(target), "--lang", "en")
    assert code == 2 and "cannot write" in err
    code, _, err = _run(capsys, "check", str(tmp_path / "x.txt"), "-o", str(target))
    assert code == 2 and f"无法写入 {target}" in err


# --- parse, rules ------------------------------------------------------------------------------


def test_parse_prints_the_model(tmp_path, capsys):
    broken = _broken_model(tmp_path)
    code, out, _ = _run(capsys, "parse", str(broken))
    assert code == 0
    data = json.loads(out)
    assert data["model"] == "nianbao.report/1" and data["tables"]["applications"]["granted"]["total"] == "many"
    assert "示例县" in out  # ensure_ascii=False


def test_parse_unreadable_file(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = _run(capsys, "parse", str(empty), "--lang", "en")
    assert code == 1 and out == ""
    assert err.strip() == f"nianbao: {empty}: cannot read it as a report (empty): the file is empty"


def test_rules_lists_every_rule(capsys):
    code, out, _ = _run(capsys, "rules", "--format", "json")
    listed = json.loads(out)
    assert code == 0
    assert [r["id"] for r in listed] == [r.id for r in pluginmanager.rules()]
    assert {"id", "level", "name", "summary", "explanation", "legal_basis"} <= set(listed[0])
    code, out, _ = _run(capsys, "rules")
    for r in pluginmanager.rules():
        assert f"{r.id}  {r.level:<7}  {r.name}" in out


# --- start-up ----------------------------------------------------------------------------------

_PROBE = """
import os, sys
from nianbao.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = os.environ["PROBE_HEAVY"].split()
print(sorted(h for h in heavy if any(m == h or m.startswith(h + ".") for m in sys.modules)), file=sys.stderr)
"""
_FORMAT_LIBRARIES = "jsonschema lxml pypdfium2 docx charset_normalizer xml.etree"


def _imported(*argv: str, heavy: str = _FORMAT_LIBRARIES) -> list[str]:
    env = {**os.environ, "PROBE_HEAVY": heavy}
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=False, env=env)
    return json.loads(done.stderr.strip().splitlines()[-1].replace("'", '"'))


def test_the_package_names_import_on_first_use():
    # the command imports nianbao before main: its rule and model classes are defined inside main,
    # under start-up's stores; and the submodule nianbao.rule leaves the name to the decorator
    probe = (
        "import sys, nianbao; "
        "print(sorted(m for m in ('pluggy', 'nianbao.rule', 'nianbao.model') if m in sys.modules)); "
        "import nianbao.rule; from nianbao import rule, Rule; defined = sys.modules['nianbao.rule']; "
        "print(rule is defined.rule is nianbao.rule, Rule is defined.Rule, set(nianbao.__all__) - set(dir(nianbao)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True True set()"]


def test_help_imports_nothing_heavy():
    assert _imported("--help") == []


def test_checking_a_text_file_imports_no_format_library():
    # M001 included: a model that conforms is vouched for without importing jsonschema
    assert _imported("check", str(SEED)) == []


def test_checking_a_text_file_leaves_out_standard_modules_it_does_not_use():
    # each costs a cold start a few milliseconds (importlib.resources brings tempfile, zipfile …);
    # the second run, with the entry points remembered (finding them reads metadata with email)
    heavy = "importlib.resources importlib.metadata zipfile calendar tempfile email"
    _imported("check", str(SEED), heavy=heavy)
    assert _imported("check", str(SEED), heavy=heavy) == []


# --- the seed end to end -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings() -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "check", str(SEED), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    doc["exit"] = done.returncode
    return doc


def test_seed_is_read_as_a_2021_report(seed_findings):
    (report,) = seed_findings["reports"]
    assert report["status"] == "checked", report["error"]
    assert report["template"] == "2021" and report["source"]["format"] == "text"


def test_seed_every_rule_has_one_outcome(seed_findings):
    (report,) = seed_findings["reports"]
    outcome = report["rules"]
    listed = outcome["passed"] + outcome["failed"] + list(outcome["skipped"])
    assert sorted(listed) == sorted(r.id for r in pluginmanager.rules() if not r.pack)  # packs are off by default
    assert sorted({f["rule"] for f in report["findings"]}) == sorted(outcome["failed"])
    failing = any(f["level"] == "error" for f in report["findings"])
    assert seed_findings["exit"] == (1 if failing else 0)


def test_seed_finding_locations_point_at_the_cell(seed_findings, tmp_path):
    (report,) = seed_findings["reports"]
    model = json.loads(
        subprocess.run(
            [sys.executable, "-m", "nianbao.cli", "parse", str(SEED)], capture_output=True, text=True, check=True
        ).stdout
    )
    lines = SEED.read_text(encoding="utf-8").splitlines()
    located = [f for f in report["findings"] if "line" in f["location"]]
    for f in located:
        entry = next(model["provenance"][p] for p in f["pointers"] if p in model["provenance"])
        assert (entry["line"], entry.get("column")) == (f["location"]["line"], f["location"].get("column"))
        line = lines[entry["line"] - 1]
        assert line[entry.get("column", 1) - 1 :].startswith(entry["raw"]), (f, line)
        if f["pointers"][0].startswith("/tables/"):
            resolve(model, f["pointers"][0])  # the pointer names a cell that exists


def test_seed_junit_and_sarif_name_every_selected_rule(tmp_path):
    junit, sarif = tmp_path / "seed.xml", tmp_path / "seed.sarif"
    for fmt, target in (("junit", junit), ("sarif", sarif)):
        subprocess.run(
            [sys.executable, "-m", "nianbao.cli", "check", str(SEED), "--format", fmt, "-o", str(target), "-q"],
            check=False,
        )
    ids = sorted(r.id for r in pluginmanager.rules() if not r.pack)
    cases = ET.parse(junit).getroot().findall("testsuite/testcase")
    assert sorted(c.get("name").split()[0] for c in cases) == ids
    tool = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["tool"]
    assert sorted(r["id"] for c in [tool["driver"], *tool.get("extensions", [])] for r in c["rules"]) == ids


def test_colour_auto_follows_the_terminal_and_no_color(monkeypatch):
    from nianbao import cli

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._use_colour("auto", None) is True
    assert cli._use_colour("auto", "out.txt") is False  # a file is not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_colour("auto", None) is False
    assert cli._use_colour("always", None) is True
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    monkeypatch.delenv("NO_COLOR")
    assert cli._use_colour("auto", None) is False
    assert cli._use_colour("never", None) is False


def test_broken_plugin_is_a_message_not_a_traceback(monkeypatch, capsys):
    def broken() -> list:
        raise pluginmanager.PluginError("rule id T301 is declared twice: by nianbao and by nianbao-acme")

    monkeypatch.setattr(pluginmanager, "rules", broken)
    code, out, err = _run(capsys, "rules", "--lang", "en")
    assert code == 2 and out == ""
    assert err == "nianbao: rule id T301 is declared twice: by nianbao and by nianbao-acme\n"


def test_seed_all_formats_tell_the_same_story(seed_findings, tmp_path):
    (report,) = seed_findings["reports"]
    outputs = {}
    for fmt in ("text", "junit", "sarif"):
        done = subprocess.run(
            [sys.executable, "-m", "nianbao.cli", "check", str(SEED), "--format", fmt],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert done.returncode == seed_findings["exit"], fmt
        outputs[fmt] = done.stdout
    levels = [f["level"] for f in report["findings"]]
    counts = {level: levels.count(level) for level in ("error", "warning", "note")}
    summary = outputs["text"].splitlines()[-1]
    assert summary.startswith(f"共 1 个文件：{counts['error']} 个错误，")
    assert f"{counts['warning']} 个警告" in summary and f"{counts['note']} 个提示" in summary
    suite = ET.fromstring(outputs["junit"].encode("utf-8")).find("testsuite")
    # a test case fails only for findings at or above --fail-on (error): the rest are kept in system-out
    failing = {f["rule"] for f in report["findings"] if f["level"] == "error"}
    assert int(suite.get("failures")) == len(failing)
    assert int(suite.get("skipped")) == len(report["rules"]["skipped"])
    results = json.loads(outputs["sarif"])["runs"][0]["results"]
    assert [(r["ruleId"], r["message"]["text"]) for r in results] == [
        (f["rule"], f["message"]) for f in report["findings"]
    ]
