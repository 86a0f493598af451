"""Every output file is written to FILE.part and renamed when complete (nianbao.atomic): a write
interrupted part-way (Ctrl-C, a crash) leaves neither a partial FILE that looks complete nor a
stray FILE.part, and a FILE of an earlier run stays as it was."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from nianbao import atomic, export
from nianbao.cli import main
from nianbao.reporters import html, junit, sarif
from nianbao.reporters import json as json_reporter

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
REPORTS = [str(SEED), str(FIXTURES / "text" / "dongxiang-2021-tabbed.txt")]  # each with findings
OLD = "an earlier run's output\n"


def _check(*args: str) -> int:
    return main(["check", *REPORTS, "-j", "1", "--time-limit", "0", "--no-progress", *args])


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(atomic.SUFFIX))


def _interrupt(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, when: int = 1) -> None:
    """``owner.name`` writes a partial piece to the output, then is interrupted, on its
    ``when``-th call (earlier calls run as they are)."""
    original = getattr(owner, name)
    calls = []

    def interrupted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) < when:
            return original(self, *args, **kwargs)
        out = getattr(self, "out", None) or (args[0] if args and hasattr(args[0], "write") else None)
        if out is not None:
            out.write('{"half": [1, 2')
        raise KeyboardInterrupt

    monkeypatch.setattr(owner, name, interrupted)


@pytest.mark.parametrize(
    ("fmt", "owner", "name", "when"),
    [
        ("json", json_reporter.Writer, "add", 2),
        ("junit", junit.Writer, "close", 1),
        ("sarif", sarif.Writer, "close", 1),
    ],
)
def test_an_interrupted_report_leaves_the_earlier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, owner: Any, name: str, when: int
) -> None:
    out = tmp_path / f"out.{fmt}"
    out.write_text(OLD, encoding="utf-8")
    _interrupt(monkeypatch, owner, name, when)
    assert _check("-f", fmt, "-o", str(out)) == 130  # "interrupted"
    assert out.read_text(encoding="utf-8") == OLD and _left(tmp_path) == []
    monkeypatch.undo()
    assert _check("-f", fmt, "-o", str(out)) == 0
    assert out.read_text(encoding="utf-8") != OLD and _left(tmp_path) == []


def _split_sarif(monkeypatch: pytest.MonkeyPatch) -> None:
    # one result a run: the second report's results go to a second file, out.2.sarif
    monkeypatch.setitem(sarif.Writer.__init__.__kwdefaults__, "max_results", 1)  # type: ignore[index]


def test_an_interrupted_sarif_part_leaves_no_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.sarif"
    _split_sarif(monkeypatch)
    _interrupt(monkeypatch, sarif._Part, "write", 2)  # while the second file is written
    assert _check("-f", "sarif", "-o", str(out)) == 130
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    _split_sarif(monkeypatch)
    _check("-f", "sarif", "-o", str(out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.2.sarif", "out.sarif"]
    assert all(json.loads(p.read_text(encoding="utf-8"))["runs"] for p in tmp_path.iterdir())


def test_interrupted_html_pages_leave_no_partial_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "run.html"
    out.write_text(OLD, encoding="utf-8")
    monkeypatch.setitem(html.write.__kwdefaults__, "page_size", 1)  # type: ignore[index]
    _interrupt(monkeypatch, html, "_detail", 2)  # while the second page is drawn
    assert _check("-f", "html", "-o", str(out)) == 130
    assert out.read_text(encoding="utf-8") == OLD and _left(tmp_path) == []
    pages = list((tmp_path / "run.pages").iterdir())
    assert [p.name for p in pages] == ["0001.html"]
    assert pages[0].read_text(encoding="utf-8").rstrip().endswith("</html>")  # whole


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx", ".parquet"])
def test_an_interrupted_export_leaves_the_earlier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    out = tmp_path / f"corpus{suffix}"
    out.write_text(OLD, encoding="utf-8")
    original = export.rows

    def rows(*args: Any, **kwargs: Any) -> Iterator[Any]:
        it = original(*args, **kwargs)
        yield next(it)  # the first row is written, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "rows", rows)
    assert main(["export", *REPORTS, "-o", str(out)]) == 130
    assert out.read_text(encoding="utf-8") == OLD and _left(tmp_path) == []
    monkeypatch.undo()
    assert main(["export", *REPORTS, "-o", str(out)]) == 0
    assert out.read_bytes() != OLD.encode() and _left(tmp_path) == []


def test_replacing_keeps_devices_links_and_permissions(tmp_path: Path) -> None:
    with atomic.replacing(os.devnull) as name:
        assert name == os.devnull  # nothing is renamed onto /dev/null
    real = tmp_path / "real.json"
    real.write_text(OLD, encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    with atomic.atomic_open(link) as fh:
        fh.write("new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    with pytest.raises(OSError), atomic.atomic_open(real) as fh:
        fh.write("half")
        raise OSError("disk full")
    assert real.read_text(encoding="utf-8") == "new" and _left(tmp_path) == []
