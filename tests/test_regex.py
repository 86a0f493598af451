"""The compiled patterns kept between runs (nianbao.regex): a pattern rebuilt from the store is
the pattern re compiles, a damaged store is ignored, and the store stays bounded."""

from __future__ import annotations

import glob
import marshal
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from nianbao import cli, regex

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
# a text report, HTML in two encodings, a report model: the readers' patterns and the rules'
REPORTS = [
    str(ROOT / "examples" / "reports" / "dongxiang-2021.txt"),
    str(FIXTURES / "html" / "dongxiang-2021.html"),
    str(FIXTURES / "html" / "dongxiang-2021-gb2312.html"),
]

pytestmark = pytest.mark.skipif(not regex._works(), reason="re's compiler is not one nianbao.regex mirrors")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty store of its own; the module's memory of the last one forgotten."""
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NIANBAO_NO_CACHE", raising=False)
    monkeypatch.setattr(regex, "_programs", None)
    monkeypatch.setattr(regex, "_new", {})
    monkeypatch.setattr(regex, "_used", set())
    for name, empty in (("_derived", None), ("_new_derived", {}), ("_used_derived", set()), ("_versions", {})):
        monkeypatch.setattr(regex, name, empty)
    re.purge()
    yield tmp_path / "cache"
    re.purge()


def _file(folder: Path) -> Path:
    found = glob.glob(str(folder / "regex-*.marshal"))
    assert len(found) == 1, found
    return Path(found[0])


def _programs(folder: Path) -> dict[tuple[str | bytes, int], regex.Program]:
    doc = marshal.loads(_file(folder).read_bytes())
    assert doc["format"] == regex.FORMAT
    return doc["entries"]  # type: ignore[no-any-return]


def test_every_pattern_of_a_run_comes_back_as_re_compiles_it(store: Path) -> None:
    """Fresh processes, as a user runs nianbao: the first fills the store, the second makes every
    pattern from it, the third has none; the same output each time."""
    env = {**os.environ, "NIANBAO_CACHE_DIR": str(store)}
    env.pop("NIANBAO_NO_CACHE", None)
    command = [sys.executable, "-m", "nianbao.cli", "check", "--no-progress", *REPORTS]
    outputs = []
    for turn in ("fills the store", "from the store", "no store"):
        if turn == "no store":
            env["NIANBAO_NO_CACHE"] = "1"
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout + done.stderr)
        if turn == "fills the store":
            stamp = _file(store).stat().st_mtime_ns
    assert _file(store).stat().st_mtime_ns == stamp  # nothing new the second time: all from the store
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("\n") > 5
    kept = _programs(store)
    assert len(kept) > 50  # the readers', the rules' and the phrases' patterns
    for (pattern, flags), program in kept.items():
        rebuilt = regex._build(pattern, program)
        own = re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]
        assert rebuilt is not None
        # Pattern.__eq__ compares pattern, flags and the engine's program
        assert rebuilt == own, pattern
        assert (rebuilt.groups, rebuilt.groupindex, rebuilt.flags) == (own.groups, own.groupindex, own.flags)


def test_in_process_the_command_uses_the_store_and_leaves_re_as_it_was(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "-j", "1", "--time-limit", "0", *REPORTS]
    assert cli.main(args) in (0, 1)
    assert re._compiler.compile is not regex._compile  # type: ignore[attr-defined]  # only while main runs
    first = capsys.readouterr().out
    # what this process compiles anew (its modules' own patterns may be made already, by other tests)
    kept = set(_programs(store)) if glob.glob(str(store / "regex-*.marshal")) else set()
    regex._programs = None
    re.purge()
    assert cli.main(args) in (0, 1)
    assert capsys.readouterr().out == first
    # what it compiles again (what the first made and kept, a rule's memo keeps) comes from the store
    assert regex._used <= kept
    assert not regex._new


def test_a_damaged_store_is_ignored(store: Path) -> None:
    with regex.cached():
        assert re.compile(r"(?P<n>\d+)\s*件").search("共 12 件")
    path = _file(store)
    programs = _programs(store)
    key = (r"(?P<n>\d+)\s*件", 0)
    assert key in programs
    flags, code, groups, groupindex, indexgroup = programs[key]
    # a program the engine refuses: the pattern is compiled as usual
    programs[key] = (flags, [99999, *code[1:]], groups, groupindex, indexgroup)
    path.write_bytes(marshal.dumps({"format": regex.FORMAT, "entries": programs}))
    regex._programs = None
    re.purge()
    with regex.cached():
        found = re.compile(r"(?P<n>\d+)\s*件").search("共 12 件")
    assert found and found["n"] == "12"
    # not marshal at all, or another layout: no store
    for junk in (b"\x00garbage", marshal.dumps({"format": regex.FORMAT + 1, "entries": programs}), b""):
        path.write_bytes(junk)
        regex._programs = None
        re.purge()
        with regex.cached():
            found = re.compile(r"(?P<n>\d+)\s*件").search("共 3 件")
        assert found and found["n"] == "3"


def test_flags_bytes_and_errors_as_re_has_them(store: Path) -> None:
    with regex.cached():
        assert re.compile("ABC", re.IGNORECASE).match("abc")
        assert re.compile(b"\\d+").match(b"42")
        assert re.compile("a.b", re.DOTALL).match("a\nb")
        with pytest.raises(re.error):
            re.compile("(unclosed")
    regex._programs = None
    re.purge()
    with regex.cached():
        assert re.compile("ABC", re.IGNORECASE).match("abc")
        assert not re.compile("ABC").match("abc")
        assert re.compile(b"\\d+").match(b"42")
        assert re.compile("a.b", re.DOTALL).match("a\nb")
        assert not re.compile("a.b").match("a\nb")
    assert regex._used >= {("ABC", int(re.IGNORECASE)), (b"\\d+", 0)}


def test_no_store_when_the_cache_is_off(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_NO_CACHE", "1")
    with regex.cached():
        assert re._compiler.compile is not regex._compile  # type: ignore[attr-defined]
        re.compile("未收到")
    assert not store.exists()


def test_the_store_is_bounded_keeping_this_runs_patterns(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex, "KEEP", 5)
    with regex.cached():
        for i in range(8):
            re.compile(f"old{i}")
    assert len(_programs(store)) == 5
    regex._programs = None
    re.purge()
    with regex.cached():
        re.compile("new")
        re.compile("old7")
    kept = _programs(store)
    assert len(kept) == 5
    assert ("new", 0) in kept and ("old7", 0) in kept


def test_unsupported_interpreter_compiles_as_usual(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex, "_works_here", None)
    monkeypatch.setattr(regex, "SUPPORTED", ((sys.version_info[0], sys.version_info[1] + 1),))
    with regex.cached():
        assert re._compiler.compile is not regex._compile  # type: ignore[attr-defined]
        assert re.compile("x+").match("xx")
    assert not store.exists()


def test_a_derived_value_is_kept_until_its_module_changes(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "nb_derived_probe.py"
    module.write_text("calls = []\n\n\ndef first(text):\n    calls.append(text)\n    return text[:1] or None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "nb_derived_probe", raising=False)
    import nb_derived_probe as probe  # type: ignore[import-not-found]

    def run() -> list[str | None]:
        # a fresh process's memory of the store
        for name, empty in (("_derived", None), ("_new_derived", {}), ("_used_derived", set()), ("_versions", {})):
            monkeypatch.setattr(regex, name, empty)
        with regex.cached():
            return [regex.derived(probe.first, "ab"), regex.derived(probe.first, "")]

    assert regex.derived(probe.first, "ab") == "a" and probe.calls == ["ab"]  # not in force: computed
    assert run() == ["a", None] and probe.calls == ["ab", "ab", ""]  # computed, stored
    assert run() == ["a", None] and probe.calls == ["ab", "ab", ""]  # from the store
    st = module.stat()
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # the module edited
    assert run() == ["a", None] and probe.calls == ["ab", "ab", "", "ab", ""]
    assert glob.glob(str(store / "derived-*.marshal"))
