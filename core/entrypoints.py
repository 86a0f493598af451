"""The entry points of a group, remembered between runs (``nianbao.entrypoints``).

Finding the plugins means importing :mod:`importlib.metadata` (with the email parser and
zipfile behind it), reading every installed distribution's ``entry_points.txt`` and parsing the
``METADATA`` of those that have nianbao entry points: about a tenth of a cold ``nianbao check``
of one report. What it finds changes only when a distribution is installed or removed, which changes a
folder on ``sys.path`` (pip adds or deletes a ``*.dist-info`` folder in it): the result is kept in
a small JSON file in the user's cache folder, keyed by the interpreter, the ``sys.path`` entries
and their modification times (and those of the metadata files found), so a plugin installed or
removed since is seen on the next run. A folder changed in the last seconds is not trusted (a
second change within the file system's clock tick would not show), and a non-standard
distribution finder on ``sys.meta_path`` turns the cache off.

``NIANBAO_CACHE_DIR`` names the cache folder (default ``$XDG_CACHE_HOME/nianbao``, else
``~/.cache/nianbao``); ``NIANBAO_NO_CACHE=1`` scans every time. A cache that cannot be read or
written is ignored: the scan is the truth, the cache only remembers it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from nianbao import cachefile

#: the layout of the cache file; another number is a miss
FORMAT = 1
#: a folder modified this recently (nanoseconds) may change again within the same clock tick
RECENT_NS = 2_000_000_000
#: keys kept per interpreter (``nianbao`` and ``python -m nianbao`` from different folders differ)
KEEP = 8


@dataclass(frozen=True)
class Entry:
    """One entry point: its name and value (``module:attr``), and its distribution's name and version."""

    name: str
    value: str
    dist: str
    version: str
    #: the metadata folder of the distribution ("" if unknown): its entry_points.txt is in the key
    where: str = ""

    def load(self) -> Any:
        """What the entry point names, imported (as ``importlib.metadata.EntryPoint.load``)."""
        module, _, attrs = self.value.partition(":")
        target: Any = import_module(module.strip())
        for attr in attrs.split("[", 1)[0].strip().split("."):
            if attr:
                target = getattr(target, attr)
        return target


def cache_dir() -> str | None:
    if os.environ.get("NIANBAO_NO_CACHE"):
        return None
    given = os.environ.get("NIANBAO_CACHE_DIR")
    if given:
        return given
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nianbao")


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path or ".").st_mtime_ns
    except OSError:
        return None


def _standard_finders() -> bool:
    """Only path finders look for distributions: the standard one, or the importlib_metadata
    backport's (which Dask, among others, puts on sys.meta_path), not a zipapp's or a frozen
    application's, whose contents the modification times of sys.path would not reflect."""
    from importlib.machinery import PathFinder

    def path_based(f: object) -> bool:
        kind = f if isinstance(f, type) else type(f)
        return f is PathFinder or (kind.__module__.startswith("importlib_metadata") and "PathFinder" in kind.__name__)

    return all(path_based(f) or not hasattr(f, "find_distributions") for f in sys.meta_path)


def _key() -> list[Any]:
    return [sys.version, sys.prefix, [[p, _mtime(p)] for p in sys.path]]


def _file() -> str | None:
    folder = cache_dir()
    if folder is None:
        return None
    import zlib

    # one file per interpreter: a venv's nianbao never sees another's plugins
    tag = format(zlib.crc32(f"{sys.executable}\0{sys.prefix}".encode("utf-8", "surrogateescape")), "08x")
    return os.path.join(folder, f"entry-points-{tag}.json")


def scan(group: str) -> list[Entry]:
    """Every entry point of ``group``, in the order :func:`importlib.metadata.entry_points` gives."""
    path = _file()
    if path is None or not _standard_finders():
        return _scan(group)
    key = [group, *_key()]
    kept = _read(path)
    for item in kept:
        if item.get("key") == key and _unchanged(item.get("files", [])):
            try:
                return [Entry(**e) for e in item["entries"]]
            except (TypeError, KeyError):
                break
    entries = _scan(group)
    files = [[e.where, _mtime(os.path.join(e.where, "entry_points.txt"))] for e in entries if e.where]
    now = time.time_ns()
    stamps = [m for _, m in key[-1] if m is not None] + [m for _, m in files if m is not None]
    if any(now - m < RECENT_NS for m in stamps):
        return entries  # too fresh to vouch for: scan again next time
    item = {"key": key, "files": files, "entries": [vars(e) for e in entries]}
    _write(path, [item, *[k for k in kept if k.get("key") != key]][:KEEP])
    return entries


def _unchanged(files: list[Any]) -> bool:
    return all(_mtime(os.path.join(where, "entry_points.txt")) == m for where, m in files)


def _scan(group: str) -> list[Entry]:
    from importlib.metadata import entry_points

    # a distribution's METADATA is parsed by the email parser (README included): once each
    read: dict[int, tuple[str, str, str]] = {}
    out = []
    for ep in entry_points(group=group):
        dist = ep.dist
        if dist is None:
            out.append(Entry(ep.name, ep.value, ep.name, ""))
            continue
        if id(dist) not in read:
            meta = dist.metadata
            where = getattr(dist, "_path", None)  # PathDistribution: its metadata folder
            read[id(dist)] = (meta["Name"], meta["Version"], str(where) if where is not None else "")
        name, version, where = read[id(dist)]
        out.append(Entry(ep.name, ep.value, name, version, where))
    return out


def _read(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return []
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("keys"), list):
        return []
    return [k for k in doc["keys"] if isinstance(k, dict)]


def _write(path: str, keys: list[dict[str, Any]]) -> None:
    try:
        data = json.dumps({"format": FORMAT, "keys": keys}, ensure_ascii=False).encode("utf-8")
    except ValueError:  # a path JSON or UTF-8 cannot hold
        return
    cachefile.write(path, data)
