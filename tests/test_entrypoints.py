"""The entry points remembered between runs (nianbao.entrypoints): the same as
importlib.metadata finds, and a distribution installed, removed or changed since is seen."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from nianbao import entrypoints, pluginmanager

PAST = 1_600_000_000 * 10**9  # a modification time long before any test runs


def _install(site: Path, name: str, version: str, points: dict[str, str]) -> Path:
    """A distribution as pip leaves it: NAME-VERSION.dist-info with METADATA and entry_points.txt."""
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    lines = "".join(f"{k} = {v}\n" for k, v in points.items())
    (info / "entry_points.txt").write_text(f"[nianbao]\n{lines}", encoding="utf-8")
    return info


def _settle(*paths: Path, step: int = 0) -> None:
    """Give paths an old, distinct modification time (as if installed long ago): the cache only
    trusts folders that have not changed in the last seconds."""
    for path in paths:
        os.utime(path, ns=(PAST + step * 10**9,) * 2)  # whole seconds: importlib.metadata looks at those


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "nb_fake_plugin.py").write_text("VALUE = 42\nclass Holder:\n    inner = 'x'\n", encoding="utf-8")
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NIANBAO_NO_CACHE", raising=False)
    # the other folders on sys.path (this venv) may have been installed a moment ago
    monkeypatch.setattr(entrypoints, "RECENT_NS", 0)
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    sys.modules.pop("nb_fake_plugin", None)


def _names(found: list[entrypoints.Entry]) -> list[tuple[str, str, str, str]]:
    return [(e.name, e.value, e.dist, e.version) for e in found]


def _scan_refused(group: str) -> list[entrypoints.Entry]:
    raise AssertionError("scanned again: the cache was not used")


def test_the_same_entry_points_as_importlib_metadata(site: Path) -> None:
    _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site)
    expected = [(ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version) for ep in entry_points(group="nianbao")]
    assert _names(entrypoints.scan("nianbao")) == expected
    assert ("fake", "nb_fake_plugin", "nb-fake", "1.2") in expected
    assert _names(entrypoints.scan("nianbao")) == expected  # from the cache, the same


def test_a_cached_scan_is_not_repeated(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site)
    first = entrypoints.scan("nianbao")
    monkeypatch.setattr(entrypoints, "_scan", _scan_refused)
    assert entrypoints.scan("nianbao") == first


def test_a_plugin_installed_or_removed_since_is_seen(site: Path) -> None:
    _settle(site)
    assert "fake" not in [e.name for e in entrypoints.scan("nianbao")]
    info = _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site, step=1)
    assert ("fake", "nb_fake_plugin", "nb-fake", "1.2") in _names(entrypoints.scan("nianbao"))
    for f in info.iterdir():
        f.unlink()
    info.rmdir()
    _settle(site, step=2)
    assert "fake" not in [e.name for e in entrypoints.scan("nianbao")]


def test_entry_points_edited_in_place_are_seen(site: Path) -> None:
    info = _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site, info / "entry_points.txt")
    assert "fake2" not in [e.name for e in entrypoints.scan("nianbao")]
    (info / "entry_points.txt").write_text("[nianbao]\nfake2 = nb_fake_plugin:Holder.inner\n", encoding="utf-8")
    _settle(site)  # the folder itself looks untouched
    _settle(info / "entry_points.txt", step=5)
    names = [e.name for e in entrypoints.scan("nianbao")]
    assert "fake2" in names and "fake" not in names


def test_a_folder_changed_a_moment_ago_is_not_remembered(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entrypoints, "RECENT_NS", 10**18)
    entrypoints.scan("nianbao")
    assert not (site.parent / "cache").exists()


def test_the_importlib_metadata_backport_is_a_path_finder_too(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class MetadataPathFinder:  # as importlib_metadata installs it (Dask imports it)
        @staticmethod
        def find_distributions(context: object = None) -> list[object]:
            return []

    MetadataPathFinder.__module__ = "importlib_metadata"
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, MetadataPathFinder()])
    assert entrypoints._standard_finders()

    class Frozen:
        def find_distributions(self, context: object = None) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Frozen()])
    assert not entrypoints._standard_finders()


def test_load_follows_the_value(site: Path) -> None:
    entry = entrypoints.Entry("fake", "nb_fake_plugin:Holder.inner [extra]", "nb-fake", "1.2")
    assert entry.load() == "x"
    assert entrypoints.Entry("fake", "nb_fake_plugin", "nb-fake", "1.2").load().VALUE == 42


def test_a_broken_cache_file_is_ignored_and_rewritten(site: Path) -> None:
    _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site)
    entrypoints.scan("nianbao")
    (cache,) = (site.parent / "cache").iterdir()
    cache.write_text("{not json", encoding="utf-8")
    assert "fake" in [e.name for e in entrypoints.scan("nianbao")]
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == entrypoints.FORMAT


def test_no_cache_when_asked(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_NO_CACHE", "1")
    _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site)
    assert "fake" in [e.name for e in entrypoints.scan("nianbao")]
    assert not (site.parent / "cache").exists()


def test_an_unwritable_cache_folder_does_not_stop_the_run(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = site.parent / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("NIANBAO_CACHE_DIR", str(blocker / "cache"))
    _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site)
    assert "fake" in [e.name for e in entrypoints.scan("nianbao")]


def test_the_plugin_manager_uses_it(site: Path) -> None:
    _install(site, "nb-fake", "1.2", {"fake": "nb_fake_plugin"})
    _settle(site)
    pluginmanager.reset()
    try:
        found = {p.name: p for p in pluginmanager.plugins()}
        assert found["fake"].dist == "nb-fake" and found["fake"].version == "1.2"
        assert found["cells"].builtin
    finally:
        pluginmanager.reset()
