"""Worker processes, streaming, limits: the command line's run over many files."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from nianbao import cli, loader, runner
from nianbao.config import Config

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = [str(FIXTURES / "crossyear"), str(FIXTURES / "text"), str(FIXTURES / "bad")]


def _check(tmp_path: Path, fmt: str, *extra: str) -> str:
    out = tmp_path / f"out-{fmt}-{'_'.join(extra)}"
    cli.main(["check", *INPUTS, "-f", fmt, "-o", str(out), "-q", *extra])
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
def test_any_number_of_workers_writes_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    # in this process (no worker), one worker, three workers (results packed by the workers)
    outs = [_check(tmp_path, fmt, "-j", "1", "--time-limit", "0"), _check(tmp_path, fmt, "-j", "1")]
    outs.append(_check(tmp_path, fmt, "-j", "3"))
    if fmt == "junit":  # the rules' timings differ from run to run, nothing else
        outs = [re.sub(r' time="[0-9.]+"', "", x) for x in outs]
    assert outs[0] == outs[1] == outs[2] and outs[0].strip()


def test_results_spilled_to_disk_are_the_results_kept_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = list(loader.expand([str(FIXTURES / "crossyear"), str(FIXTURES / "text")]))

    def run(jobs: int) -> list[dict[str, object]]:
        return [r.to_dict() for r in runner.stream(paths, Config(), jobs=jobs)]

    held = run(1), run(2)
    monkeypatch.setattr(runner.Spool, "MEMORY", 1)  # every record goes to the temporary file
    monkeypatch.setattr(runner._Summaries, "RECENT", 1)  # every summary and head read back again
    monkeypatch.setattr(runner._Outcomes, "BLOCK", 2)  # the cross-report outcomes in many blocks
    assert (run(1), run(2)) == held and held[0] == held[1]


def test_compacted_outcomes_read_back_as_the_map_they_were_made_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner._Outcomes, "BLOCK", 3)
    outcome: dict[int, object] = {0: "skipped: no other year", 4: [], 5: "甲", 9: "乙", 31: "丙"}
    kept = runner._Outcomes(outcome)  # type: ignore[arg-type]
    assert dict(kept) == outcome and len(kept) == 5
    assert [n in kept for n in (-1, 1, 4, 32, 10**6, "4")] == [False, False, True, False, False, False]
    assert kept.get(7, "passed") == "passed" and kept[31] == "丙" and kept[0] == "skipped: no other year"
    with pytest.raises(KeyError):
        kept[1]
    assert dict(runner._Outcomes({})) == {}


def test_the_roster_is_an_input_once_when_no_cross_report_rule_is_selected(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    roster = FIXTURES / "roster" / "linxia.yaml"
    seed = FIXTURES / "seed-dongxiang-2021.txt"
    cli.main(["check", str(seed), "--roster", str(roster), "--select", "T3", "-f", "json", "-o", str(out), "-q"])
    uris = [r["source"]["uri"] for r in json.loads(out.read_text(encoding="utf-8"))["reports"]]
    assert uris == [str(seed), str(roster)]


def test_a_file_over_the_time_limit_is_stopped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    seed = (FIXTURES / "seed-dongxiang-2021.txt").read_text(encoding="utf-8")
    slow.write_text(seed, encoding="utf-8")
    fine.write_text(seed, encoding="utf-8")
    real = loader.load

    def load(path: str, *args: object, **kwargs: object) -> loader.Loaded:
        if path.endswith("slow.txt"):
            time.sleep(30)  # a reader stuck on a hostile file, where no signal reaches it
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "load", load)  # the forked workers inherit it
    started = time.monotonic()
    results = list(runner.stream([str(slow), str(fine)], Config(), jobs=2, time_limit=1.0))
    assert time.monotonic() - started < 15
    error = results[0].error
    assert error and error["kind"] == "time-limit" and "--time-limit" in error["message"]
    assert results[1].error is None and results[1].passed


def test_files_queued_behind_one_stopped_or_crashed_are_checked_by_the_next_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one worker, sent a file ahead (runner.AHEAD): the file stuck or crashing takes its worker
    # down, and the files already sent to that worker are sent again, to its replacement
    seed = (FIXTURES / "seed-dongxiang-2021.txt").read_text(encoding="utf-8")
    names = ["slow.txt", "a.txt", "crash.txt", "b.txt", "c.txt"]
    for name in names:
        (tmp_path / name).write_text(seed, encoding="utf-8")
    real = loader.load

    def load(path: str, *args: object, **kwargs: object) -> loader.Loaded:
        if path.endswith("slow.txt"):
            time.sleep(30)
        if path.endswith("crash.txt"):
            os._exit(7)  # a reader killing its process (a crash inside C code)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    list(runner.stream([str(tmp_path / "a.txt")], Config()))  # imports made here, not in each new worker
    monkeypatch.setattr(runner, "load", load)
    assert runner.AHEAD > 1
    results = list(runner.stream([str(tmp_path / n) for n in names], Config(), jobs=1, time_limit=3.0))
    assert [r.uri for r in results] == [str(tmp_path / n) for n in names]
    kinds = [r.error["kind"] if r.error else None for r in results]
    assert kinds == ["time-limit", None, "reader-crash", None, None]
    assert "7" in results[2].error["message"]  # type: ignore[index]
    assert all(r.passed for r in results if r.error is None)


def test_results_keep_no_model_beyond_what_their_findings_name() -> None:
    results = list(runner.stream(list(loader.expand([str(FIXTURES / "crossyear")])), Config(), jobs=2))
    assert results and all(r.report is not None for r in results)
    for r in results:
        assert r.report is not None
        named = {p for f in r.findings for p in f.pointers}
        # the cells it keeps are those its findings name, with their values (baselines need them)
        assert {p for p, _ in r.report.cells()} - {"/tables"} <= named
        assert set(r.report.provenance) <= named


def test_sarif_beyond_the_limit_is_split_into_parts(tmp_path: Path) -> None:
    from nianbao.reporters import sarif
    from nianbao.results import RunResult

    results = list(runner.stream(list(loader.expand([str(FIXTURES / "crossyear"), str(FIXTURES / "text")])), Config()))
    total, limit = sum(len(r.findings) for r in results), max(len(r.findings) for r in results)
    assert total > limit
    warnings: list[str] = []
    path = tmp_path / "out.sarif"
    run = RunResult(results, [], [])
    with open(path, "w", encoding="utf-8") as fh:
        w = sarif.Writer(run, fh, path=str(path), max_results=limit, warn=warnings.append)
        for r in results:
            w.add(r)
        w.close()
    parts = sorted(tmp_path.glob("out*.sarif"))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in parts]
    counts = [len(d["runs"][0]["results"]) for d in docs]
    assert len(parts) > 1 and all(n <= limit for n in counts)
    assert sum(counts) == total  # split between reports; nothing lost
    ids = [d["runs"][0]["automationDetails"]["id"] for d in docs]
    assert len(set(ids)) == len(ids)
    assert len(warnings) == 1 and str(parts[-1]) in warnings[0]


def test_sarif_to_stdout_is_capped_with_a_warning() -> None:
    from io import StringIO

    from nianbao.reporters import sarif
    from nianbao.results import RunResult

    results = list(runner.stream(list(loader.expand([str(FIXTURES / "crossyear")])), Config()))
    warnings: list[str] = []
    out = StringIO()
    w = sarif.Writer(RunResult(results, [], []), out, max_results=2, warn=warnings.append)
    for r in results:
        w.add(r)
    w.close()
    assert len(json.loads(out.getvalue())["runs"][0]["results"]) <= 2
    assert len(warnings) == 1 and "-o" in warnings[0]


def test_a_large_file_gets_time_in_proportion(tmp_path: Path) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("报告", encoding="utf-8")
    with large.open("wb") as f:
        f.truncate(20 * 1024 * 1024)  # 20 MB: 2.5 × limits.FILE_BYTES
    assert runner._limit(str(small), 60.0) == 60.0
    assert runner._limit(str(large), 60.0) == 150.0
    assert runner._limit(str(tmp_path / "absent.txt"), 60.0) == 60.0
    assert runner._limit(str(large), None) == float("inf")
