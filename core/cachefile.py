"""The files of nianbao's caches in the user's cache folder (:func:`nianbao.entrypoints.cache_dir`):
one file per kind and interpreter, written beside and renamed, so that a concurrent run reads the
old file or the new, never half of one. A cache file that cannot be read or written is a miss,
never an error. The two :mod:`marshal` stores (:mod:`nianbao.regex`, :mod:`nianbao.codecache`)
share their reading, merging and saving here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any


def write(path: str, data: bytes) -> None:
    part = f"{path}.{os.getpid()}.part"  # renamed when complete
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(part, "wb") as fh:
            fh.write(data)
        os.replace(part, path)
    except OSError:  # a folder not writable
        with contextlib.suppress(OSError):
            os.unlink(part)


def store_path(kind: str, *versions: object) -> str | None:
    """The file of the marshal store of ``kind`` (None: caching is off), one per interpreter and
    per version of what it holds (``versions``, beside the interpreter's own)."""
    from nianbao.entrypoints import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    import zlib

    tag = "\0".join(map(str, (sys.version, sys.implementation.cache_tag, *versions)))
    return os.path.join(folder, f"{kind}-{zlib.crc32(tag.encode()):08x}.marshal")


def read_store(path: str | None, layout: int) -> dict[Any, Any]:
    """The entries of a marshal store, or none if there is no file, it cannot be read or it has
    another layout; each entry is checked by its user when used."""
    if path is None:
        return {}
    import marshal

    try:
        with open(path, "rb") as fh:
            doc = marshal.loads(fh.read())  # (marshal.load reads a file object piece by piece: 10× slower)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(doc, dict) or doc.get("format") != layout or not isinstance(doc.get("entries"), dict):
        return {}
    return doc["entries"]  # type: ignore[no-any-return]


def _merge(current: dict[Any, Any], used: set[Any], new: dict[Any, Any], keep: int) -> dict[Any, Any]:
    """The store after a run: what it used and made first, then the rest, at most ``keep``."""
    mine = {k: current[k] for k in used if k in current}
    mine.update(new)
    merged = {**mine, **{k: v for k, v in current.items() if k not in mine}}
    return dict(list(merged.items())[:keep]) if len(merged) > keep else merged


def save_store(
    path: str | None, layout: int, loaded: dict[Any, Any] | None, used: set[Any], new: dict[Any, Any], keep: int
) -> None:
    """Add the entries ``new`` in this process to the store (merged with what another run may have
    added since it was read), keeping at most ``keep``, this run's first; then they join the
    store as ``loaded`` in this process, and ``new`` is emptied."""
    if not new or path is None:
        return
    import marshal

    try:
        data = marshal.dumps({"format": layout, "entries": _merge(read_store(path, layout), used, new, keep)})
    except ValueError:  # an entry marshal cannot hold
        return
    write(path, data)
    if loaded is not None:
        loaded.update(new)
    new.clear()
