"""The methods :mod:`dataclasses` writes, compiled once per interpreter (``nianbao.codecache``).

Defining a dataclass writes the source of its ``__init__``, ``__repr__``, ``__eq__`` … and has
Python compile it, for every class in every process: some 250 small compilations, a fifth of a
cold ``nianbao check`` of one report (callgrind: 133 M of 656 M instructions). The source depends
only on the class's fields and the interpreter's :mod:`dataclasses`, and the compiled code only on
that source and the interpreter, so while :func:`cached` is in force (the ``nianbao`` command) the
compiled code is kept in the cache folder by its source text, as ``__pycache__`` keeps a module's
(``code-*.marshal`` beside ``regex-*.marshal``, one per interpreter, at most :data:`KEEP`), and
dataclasses runs the stored code of the very text it wrote. The functions made are the same: the
same code, compiled from the same text with the same (no) compiler flags and file name
``<string>``; a text not in the store is compiled as dataclasses would, and kept.

It works by giving the :mod:`dataclasses` module, for that time, an ``exec`` of its own (a
module's global shadows the built-in of that name), which every version of dataclasses calls to
run the text it writes; anything else it passes (a code object, another call) goes to the built-in
as it is. ``NIANBAO_NO_CACHE=1`` turns it off with the other caches.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import types
from collections.abc import Iterator
from typing import Any

from nianbao import cachefile

#: the layout of the store; another number is a miss
FORMAT = 1
#: texts kept in the store (those of the last runs first)
KEEP = 4000
#: texts compiled and recorded in one process at most
RECORD = 2000

_codes: dict[str, types.CodeType] | None = None  # the store, read on first use
_new: dict[str, types.CodeType] = {}  # compiled in this process, not yet saved
_used: set[str] = set()  # taken from the store in this process
_active = False
_owner = 0


def _store_path() -> str | None:
    from importlib.util import MAGIC_NUMBER

    # code objects are marshalled as the interpreter's own .pyc files are: its magic number in the name
    return cachefile.store_path("code", MAGIC_NUMBER.hex())


def _loaded() -> dict[str, types.CodeType]:
    global _codes
    if _codes is None:
        found = cachefile.read_store(_store_path(), FORMAT)
        _codes = {k: v for k, v in found.items() if type(k) is str and type(v) is types.CodeType}
    return _codes


def _exec(source: Any, globals: Any = None, locals: Any = None, /, **kwargs: Any) -> Any:
    """dataclasses' ``exec``: the text it wrote, run from the stored code of that text."""
    if type(source) is not str or kwargs:
        return builtins.exec(source, globals, locals, **kwargs)
    codes = _loaded()
    code = codes.get(source)
    if code is not None:
        _used.add(source)
    else:
        # as exec compiles it there: dataclasses' own code has no __future__ flags to pass on
        code = compile(source, "<string>", "exec", dont_inherit=True)
        if len(_new) < RECORD:
            _new[source] = code
    return builtins.exec(code, globals, locals)


@contextlib.contextmanager
def cached() -> Iterator[None]:
    """Dataclasses defined within run stored code; what is new is stored at the end (by the process
    that entered). Nested, or with the cache turned off, it does nothing."""
    global _active, _owner
    import dataclasses

    from nianbao.entrypoints import cache_dir

    if _active or cache_dir() is None or "exec" in vars(dataclasses):
        yield
        return
    _active, _owner = True, os.getpid()
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del dataclasses.exec  # type: ignore[attr-defined]
        _active = False
        if os.getpid() == _owner:
            save()


def save() -> None:
    """Add the code compiled in this process to the store (merged with what another run may have
    added since), keeping at most :data:`KEEP` texts, this run's first."""
    cachefile.save_store(_store_path(), FORMAT, _codes, _used, _new, KEEP)
