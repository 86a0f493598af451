"""The code dataclasses writes, kept compiled between runs (nianbao.codecache): the stored code is
what Python compiles from the same text, classes made from it behave alike, a damaged store is
ignored."""

from __future__ import annotations

import dataclasses
import glob
import marshal
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from nianbao import codecache

ROOT = Path(__file__).resolve().parents[1]
REPORT = str(ROOT / "examples" / "reports" / "dongxiang-2021.txt")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NIANBAO_NO_CACHE", raising=False)
    monkeypatch.setattr(codecache, "_codes", None)
    monkeypatch.setattr(codecache, "_new", {})
    monkeypatch.setattr(codecache, "_used", set())
    yield tmp_path / "cache"


def _file(folder: Path) -> Path:
    found = glob.glob(str(folder / "code-*.marshal"))
    assert len(found) == 1, found
    return Path(found[0])


def _stored(folder: Path) -> dict[str, types.CodeType]:
    doc = marshal.loads(_file(folder).read_bytes())
    assert doc["format"] == codecache.FORMAT
    return doc["entries"]  # type: ignore[no-any-return]


def test_a_cold_check_runs_stored_code_compiled_from_the_same_text(store: Path) -> None:
    env = {**os.environ, "NIANBAO_CACHE_DIR": str(store)}
    env.pop("NIANBAO_NO_CACHE", None)
    command = [sys.executable, "-m", "nianbao.cli", "check", "--no-progress", REPORT]
    outputs = []
    for turn in ("fills the store", "from the store", "no store"):
        if turn == "no store":
            env["NIANBAO_NO_CACHE"] = "1"
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        outputs.append(done.stdout + done.stderr)
        if turn == "fills the store":
            stamp = _file(store).stat().st_mtime_ns
    assert _file(store).stat().st_mtime_ns == stamp  # the second run found every text in the store
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("\n") > 3
    stored = _stored(store)
    assert len(stored) > 100  # some 250 methods of nianbao's dataclasses
    for source, code in stored.items():
        assert "def __create_fn__" in source
        # code objects compare by their bytecode, constants, names and the rest
        assert code == compile(source, "<string>", "exec", dont_inherit=True)


def _define() -> type:
    @dataclasses.dataclass(frozen=True)
    class Cell:
        key: str
        value: int | None = None
        notes: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Cell


def test_classes_from_the_store_behave_as_dataclasses_makes_them(store: Path) -> None:
    plain = _define()
    with codecache.cached():
        first = _define()
    assert "exec" not in vars(dataclasses)  # only while cached() is in force
    assert codecache._new == {} and len(_stored(store)) >= 4
    codecache._codes = None
    with codecache.cached():
        second = _define()
    assert codecache._used
    for made in (first, second):
        cell = made("三/1", 5)
        assert repr(cell).endswith("Cell(key='三/1', value=5, notes=[])") and repr(plain("三/1", 5)).endswith(
            "Cell(key='三/1', value=5, notes=[])"
        )
        assert cell == made("三/1", 5, ["x"]) and cell != made("三/1", 6)
        assert hash(cell) == hash(made("三/1", 5))
        assert made("a").notes is not made("a").notes
        with pytest.raises(dataclasses.FrozenInstanceError):
            cell.value = 1  # type: ignore[misc]
        with pytest.raises(TypeError):
            made()


def test_a_damaged_store_is_ignored(store: Path) -> None:
    with codecache.cached():
        _define()
    path = _file(store)
    stored = _stored(store)
    wrong = {source: compile("raise SystemExit(9)", "<string>", "exec") for source in stored}
    for junk in (
        b"\x00garbage",
        b"",
        marshal.dumps({"format": codecache.FORMAT + 1, "entries": wrong}),
        marshal.dumps({"format": codecache.FORMAT, "entries": {s: "not code" for s in stored}}),
    ):
        path.write_bytes(junk)
        codecache._codes = None
        with codecache.cached():
            cell = _define()("k", 1)
        assert cell.value == 1


def test_off_with_the_other_caches(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_NO_CACHE", "1")
    with codecache.cached():
        assert "exec" not in vars(dataclasses)
        _define()
    assert not store.exists()
