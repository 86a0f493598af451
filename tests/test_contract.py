"""The plugin contract checked in-process: rule declarations, option declarations against the
configuration (with file and line), a config saved in GBK, the time limit and crash handling.
The same mistakes made by really installed packages are in test_broken_plugins.py."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nianbao import Finding, Option, Report, Skip, cli, config, engine, hookimpl, i18n, limits, pluginmanager, rule
from nianbao.loader import Loaded
from nianbao.rule import RuleContext, problems
from test_core import blank_model

SEED = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the messages in English (the Chinese ones are the catalogue's, tested there)."""
    monkeypatch.setenv(i18n.ENV, "en")
    i18n.set_language("en")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _declared(**kw: object) -> object:
    @rule(**{"id": "GS101", "name": "contact-telephone", "level": "note", "summary": "s", **kw})  # type: ignore[arg-type]
    def check(report: Report, ctx: RuleContext) -> Iterator[Finding]:
        yield from ()

    return check


def test_a_well_declared_rule_has_no_problems() -> None:
    good = _declared(options={"limit": Option(int, 3, "how many"), "bare": 0.5}, help_uri="https://example.org/r")
    assert problems(good) == []
    assert good.defaults() == {"limit": 3, "bare": 0.5}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"level": "warn"}, "level 'warn' is not one of error, warning, note"),
        ({"id": "gs-1"}, "id 'gs-1' is not an upper-case prefix and a number"),
        ({"name": "Contact Telephone"}, "name 'Contact Telephone' is not lower-case words joined by hyphens"),
        ({"summary": ""}, "summary is missing"),
        ({"help_uri": "docs/x.md"}, "help_uri 'docs/x.md' is not an http(s) address"),
        ({"options": {"n": Option(dict, {})}}, "option n: type 'dict' is not one of"),
        ({"options": {"n": Option(int, "3")}}, "option n: default '3' is not of type integer"),
        ({"options": {"n": None}}, "option n: declare Option(type, None) for an option without a default"),
        ({"options": ["n"]}, "options must be a mapping"),
    ],
)
def test_each_declaration_mistake_is_named(kw: dict, message: str) -> None:
    assert any(message in p for p in problems(_declared(**kw)))


def test_not_a_rule() -> None:
    assert problems(lambda r, c: []) and "not a rule" in problems(print)[0]


# --- the configuration's options, with file and line -------------------------------------------


def _config(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "nianbao.yaml"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("options:\n  Q999: {x: 1}\n", ":2: options: no rule 'Q999'"),
        (
            "options:\n  D103:\n    township: '02-28'\n",
            ":3: options: D103 has no option 'township' (its options: township_deadline",
        ),
        (
            "options:\n  X103:\n    min_chars: 20\n    threshold: high\n",
            ":4: options: X103.threshold must be of type number, not 'high'",
        ),
        (
            "options:\n  T202: {has_rulemaking_power: 'yes'}\n",
            ":2: options: T202.has_rulemaking_power must be of type boolean",
        ),
        ("levels:\n  T301: error\n  T302: loud\n", ":3: levels: T302: 'loud' is not one of"),
        ("packs: [nowhere]\n", ":1: packs: no pack 'nowhere'"),
        ("rule-time-limit: soon\n", ":1: 'rule-time-limit' is seconds"),
        ("selekt: [T]\n", ":1: unknown key(s) selekt"),
    ],
)
def test_config_mistakes_name_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = _config(tmp_path, text)
    code, out, err = _run(capsys, "check", str(SEED), "--config", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"nianbao: {path}{message}"), err
    assert "Traceback" not in err


def test_an_option_of_the_right_type_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _config(tmp_path, "select: [X103]\noptions:\n  X103: {threshold: 1, min_chars: 50}\n")
    code, _, err = _run(capsys, "check", str(SEED), "--config", str(path), "-q")
    assert code == 0, err  # an integer is a number


def test_config_saved_in_gbk_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a comment in Chinese, saved by Notepad on a Chinese Windows: GBK, not UTF-8
    path = _config(
        tmp_path, "# 乡镇的期限：省里的通知\nselect: [D103]\noptions:\n  D103: {township_deadline: '02-28'}\n", "gbk"
    )
    with pytest.raises(UnicodeDecodeError):
        path.read_text(encoding="utf-8")
    assert config.load(str(path)).options == {"D103": {"township_deadline": "02-28"}}
    code, _, err = _run(capsys, "check", str(SEED), "--config", str(path), "-q")
    assert code == 0, err


def test_config_in_no_chinese_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nianbao.yaml"
    path.write_bytes(b"select: [T]\n# \xff\xfe\x81\x30\xff\n")
    with pytest.raises(config.ConfigError, match=r"not UTF-8 .* nor GBK/GB18030 text; save the configuration as UTF-8"):
        config.load(str(path))


# --- nianbao rules ID ---------------------------------------------------------------------------


def test_rules_id_shows_the_rule_whole(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules", "X103")
    assert code == 0
    assert out.startswith("X103 text-copied-from-previous-year (note)\n")
    assert "shingles" in out  # the explanation
    assert "legal basis: 《中华人民共和国政府信息公开条例》第四十七条" in out
    assert "threshold (number, default 0.85)" in out and "min_chars (integer, default 200)" in out
    assert "plugin:      nianbao (built in)" in out and "docs/rules.md#x103" in out
    code, _, err = _run(capsys, "rules", "X999")
    assert code == 2 and "no rule X999" in err


# --- crash and time limit -----------------------------------------------------------------------


@rule(id="ZQ1", name="raises", level="error", summary="s")
def _raises(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    raise KeyError("nowhere")


@rule(id="ZQ2", name="loops", level="error", summary="s")
def _loops(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    spins = 0
    while True:
        try:  # a rule that swallows every Exception is still stopped
            time.sleep(0.01)
        except Exception:
            spins += 1
    yield  # pragma: no cover


@rule(id="ZQ3", name="fine", level="note", summary="s")
def _fine(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    raise Skip("nothing to do")


class Misbehaving:
    @hookimpl
    def nianbao_rules(self) -> list:
        return [_raises, _loops, _fine]


@pytest.fixture
def misbehaving() -> Iterator[None]:
    pm = pluginmanager.manager()
    plugin = Misbehaving()
    pm.register(plugin, name="misbehaving")
    pluginmanager.rules.cache_clear()
    yield
    pm.unregister(plugin)
    pluginmanager.rules.cache_clear()


def test_crash_and_timeout_are_internal_errors_and_the_run_goes_on(misbehaving: None) -> None:
    cfg = config.Config(select=["ZQ"], rule_time_limit=0.2)
    items = [Loaded(f"r{i}.txt", report=Report(blank_model()), format="text") for i in range(2)]
    started = time.monotonic()
    run = engine.run(items, cfg)
    assert time.monotonic() - started < 5  # two reports, each stopped after 0.2 s
    for result in run.results:
        assert "KeyError" in result.errored["ZQ1"] and "(plugin misbehaving)" in result.errored["ZQ1"]
        assert "ran past its time limit of 0.2 s" in result.errored["ZQ2"]
        assert result.skipped == {"ZQ3": "nothing to do"}
    assert [n["kind"] for n in run.notifications] == ["crash", "timeout", "crash", "timeout"]
    assert all(n["plugin"] == "misbehaving" for n in run.notifications)
    assert run.exit_status() == 3


def test_a_rule_past_its_time_limit_is_told_in_chinese(misbehaving: None, capsys: pytest.CaptureFixture[str]) -> None:
    """In zh every output says it in Chinese: the text's notification line too (its "internal
    error" was once English), and the exception's own message."""
    for fmt in ("text", "json", "junit", "sarif"):
        code, out, err = _run(
            capsys, "--lang", "zh", "check", str(SEED), "-j", "1", "--time-limit", "0", "--rule-time-limit", "0.2",
            "--select", "ZQ2", "-f", fmt,
        )  # fmt: skip
        assert code == 3
        told = [line for line in (out + err).splitlines() if re.search(r"0\.2 (s|秒)", line)]
        assert told and all("超过了 0.2 秒的时间限制" in line for line in told), (fmt, told)
        assert not re.search(r"internal error|time limit|ran past", out + err), fmt
    i18n.set_language("zh")
    assert str(limits.RuleTimeout(0.2)) == "超过了 0.2 秒的时间限制，已被停止"


def test_time_limit_restores_an_outer_timer() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with limits.time_limit(5):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 0.3  # the caller's timer runs on
        time.sleep(0.4)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_rules_of_a_report_leave_the_alarm_as_they_found_it(misbehaving: None) -> None:
    """The engine installs its time-limit handler once per report (not once per rule): after
    the report the caller's handler is back, and a caller's running timer still runs, each rule
    then being limited within it."""
    cfg = config.Config(select=["ZQ"], rule_time_limit=0.2)
    item = Loaded("r.txt", report=Report(blank_model()), format="text")

    def mine(*_: object) -> None:
        raise AssertionError("the caller's timer fired during the rules")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        result = engine.check_report(item, engine.selected_rules(cfg), cfg, engine.Notes())
        assert "ran past its time limit of 0.2 s" in result.errored["ZQ2"]
        assert signal.getsignal(signal.SIGALRM) is mine and signal.getitimer(signal.ITIMER_REAL)[0] == 0
        signal.setitimer(signal.ITIMER_REAL, 30)
        result = engine.check_report(item, engine.selected_rules(cfg), cfg, engine.Notes())
        assert "ran past its time limit of 0.2 s" in result.errored["ZQ2"]
        assert signal.getsignal(signal.SIGALRM) is mine and 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- CI samples and pre-commit --------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_ci_samples_install_nianbao_from_the_repository() -> None:
    import re

    samples = sorted((ROOT / "examples" / "ci").iterdir())
    installs = [line for p in samples for line in p.read_text(encoding="utf-8").splitlines() if "pip install" in line]
    assert len(installs) == len(samples)
    assert all(re.search(r"nianbao\[all\] @ git\+https://", line) for line in installs), installs


def test_pre_commit_hook_runs_nianbao_check() -> None:
    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "nianbao" and hook["language"] == "python"
    assert hook["entry"].startswith("nianbao check") and re.compile(hook["files"]).search("reports/2021.pdf")


def test_each_rule_of_a_report_has_its_whole_limit() -> None:
    """The report's timer is armed once: a rule that starts after others have used up most of
    the limit is still given all of its own (and stopped once that is spent)."""
    timer = limits.RuleTimer(0.3).open()
    stopped = []
    try:
        for pause in (0.2, 0.2, 0.2, 1.0):
            try:
                with timer.limit():
                    time.sleep(pause)
                stopped.append(False)
            except limits.RuleTimeout:
                stopped.append(True)
    finally:
        timer.close()
    assert stopped == [False, False, False, True]
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_long_report_gives_each_rule_time_in_proportion(misbehaving: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule's time grows with the text: the limit is for a report of up to limits.RULE_CHARS
    characters, and a longer one gets it in proportion (a stuck rule is still stopped)."""
    monkeypatch.setattr(limits, "RULE_CHARS", 10)
    cfg = config.Config(select=["ZQ2"], rule_time_limit=0.1)
    model = blank_model()
    model["sections"] = [{"key": "overview", "text": "一" * 15}, {"key": "other", "text": "二" * 15}]
    result = engine.check_report(
        Loaded("r.txt", report=Report(model), format="text"), engine.selected_rules(cfg), cfg, engine.Notes()
    )
    assert "ran past its time limit of 0.3 s" in result.errored["ZQ2"]  # 30 characters: 3 × 0.1 s
    assert limits.rule_seconds(5, 9) == 5 and limits.rule_seconds(5, 25) == 12.5 and limits.rule_seconds(0, 99) is None
