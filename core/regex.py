"""Regular expressions compiled once per interpreter, not once per run (``nianbao.regex``).

A cold ``nianbao check`` of one report spent about a fifth of its time compiling the readers',
the rules' and the narrative phrases' patterns: for each pattern, Python's ``re`` parses it and
turns it into a program for its matching engine, in Python, in every new process. That program
depends only on the pattern, its flags and the interpreter's ``re``, so while :func:`cached` is
in force (the ``nianbao`` command) the programs are kept in the user's cache folder (beside the
entry points: ``NIANBAO_CACHE_DIR``; ``NIANBAO_NO_CACHE=1`` turns both off) and a pattern seen
before is rebuilt from its program by the engine's own constructor, which checks the program (a
damaged one is refused and the pattern compiled as usual).

It works at the one place ``re`` compiles (``re._compiler.compile``, called on a miss of
``re``'s own cache), so ``re.compile``, ``re.search(pattern, …)`` and the rest are covered
without a change to the code using them, and a pattern is the same object either way
(``Pattern.__eq__`` compares the programs; the tests check every pattern nianbao uses). It is
used only on the interpreters whose ``re`` it was written against (3.11–3.13: the same
``compile`` in each); on another, or if anything in the store is not as expected, patterns are
compiled as usual. The store is a :mod:`marshal` file (as ``__pycache__`` is), one per
interpreter, of at most :data:`KEEP` patterns.

Beside the programs, :func:`derived` keeps what a caller derives from a pattern's text by taking
it apart in Python (the narrative phrases' first characters and loose forms, with re's parser:
another twentieth of a cold check), in a second file.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's engine (built in, imported by re)
import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from nianbao import cachefile

#: the layout of the store; another number is a miss
FORMAT = 2
#: patterns kept in the store (those of the last runs first)
KEEP = 4000
#: programs recorded in one process at most (a run that builds patterns from its data, one per
#: report say, does not fill the store with patterns no other run will see)
RECORD = 1000
#: the interpreters whose ``re._compiler.compile`` this mirrors
SUPPORTED = ((3, 11), (3, 12), (3, 13))

Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_programs: dict[tuple[str | bytes, int], Program] | None = None  # the store, read on first use
_new: dict[tuple[str | bytes, int], Program] = {}  # recorded in this process, not yet saved
_used: set[tuple[str | bytes, int]] = set()  # taken from the store in this process
_derived: dict[tuple[str, str, str], str | None] | None = None  # derived(): the store, read on first use
_new_derived: dict[tuple[str, str, str], str | None] = {}
_used_derived: set[tuple[str, str, str]] = set()
_versions: dict[str, str | None] = {}  # derived(): module name → its file's modification time and size
_original: Callable[..., Any] | None = None  # re._compiler.compile while cached() is in force
_owner = 0  # the process that installed it (a forked worker does not write the store)


def _compiler() -> Any:
    from re import _compiler  # type: ignore[attr-defined]

    return _compiler


def _store_path() -> str | None:
    return cachefile.store_path("regex", _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT)


def _derived_path() -> str | None:
    return cachefile.store_path("derived")


def _build(pattern: str | bytes, program: Any) -> re.Pattern[Any] | None:
    """The pattern from its stored program, or None if the program is not one the engine takes."""

    try:
        flags, code, groups, groupindex, indexgroup = program
        if (
            type(flags) is not int
            or type(code) is not list
            or type(groups) is not int
            or type(groupindex) is not dict
            or type(indexgroup) is not tuple
        ):
            return None
        return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
    except (RuntimeError, TypeError, ValueError, OverflowError):  # "invalid SRE code", and the like
        return None


def _program(pattern: str | bytes, flags: int) -> tuple[re.Pattern[Any], Program]:
    """What ``re._compiler.compile(pattern, flags)`` does (the same in 3.11–3.13), keeping the program."""

    c = _compiler()
    parsed = c._parser.parse(pattern, flags)
    code = [int(op) for op in c._code(parsed, flags)]  # plain ints: marshal takes no int subclass
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    program: Program = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    return _sre.compile(pattern, *program), program


#: flags a stored program may have been made with (DEBUG prints; TEMPLATE is deprecated)
_FLAGS = int(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE | re.VERBOSE | re.ASCII)


def _compile(pattern: Any, flags: int = 0) -> Any:
    """``re._compiler.compile``, from the store when the pattern is in it."""
    original = _original or _compiler().compile  # (or uninstalled meanwhile, by another thread)
    if type(pattern) not in (str, bytes) or type(flags) is not int or flags & ~_FLAGS:
        return original(pattern, flags)
    key = (pattern, flags)
    programs = _loaded()
    stored = programs.get(key)
    if stored is not None:
        built = _build(pattern, stored)
        if built is not None:
            _used.add(key)
            return built
        programs.pop(key, None)
    if len(_new) >= RECORD:
        return original(pattern, flags)
    try:
        built, program = _program(pattern, flags)
    except Exception:  # a bad pattern: re says why, as it always does
        return original(pattern, flags)
    _new[key] = program
    return built


def _loaded() -> dict[tuple[str | bytes, int], Program]:
    global _programs
    if _programs is None:
        _programs = cachefile.read_store(_store_path(), FORMAT)
    return _programs


_works_here: bool | None = None


def _works() -> bool:
    """The mirror of ``re``'s compile gives ``re``'s own patterns on this interpreter (tried once)."""
    global _works_here
    if _works_here is None:
        _works_here = False
        if sys.version_info[:2] in SUPPORTED:
            try:
                c = _compiler()
                # small classes only: a class spanning thousands of characters is slow to compile
                for pattern, flags in (("(?P<y>(?:19|20)\\d{2})\\s*年", 0), ("[^a-z年]+|a(?=b)", int(re.IGNORECASE))):
                    mine, _ = _program(pattern, flags)
                    theirs = c.compile(pattern, flags)
                    if mine != theirs or mine.groupindex != theirs.groupindex:
                        return False
                _works_here = True
            except Exception:
                return False
    return _works_here


@contextlib.contextmanager
def cached() -> Iterator[None]:
    """Patterns compiled within come from the store, and those new to it are added to it at the
    end (by the process that entered; a forked worker uses the store as it was). Nested, or
    with the cache turned off, it does nothing."""
    global _original, _owner
    from nianbao.entrypoints import cache_dir

    if _original is not None or cache_dir() is None or not _works():
        yield
        return
    c = _compiler()
    _original, _owner = c.compile, os.getpid()
    c.compile = _compile
    try:
        yield
    finally:
        c.compile = _original
        _original = None
        if os.getpid() == _owner:
            save()


def save() -> None:
    """Add the programs recorded in this process to the store (merged with what another run may
    have added since it was read), keeping at most :data:`KEEP`, this run's first; the same for
    the derived values."""
    cachefile.save_store(_store_path(), FORMAT, _programs, _used, _new, KEEP)
    cachefile.save_store(_derived_path(), FORMAT, _derived, _used_derived, _new_derived, KEEP)


def derived(compute: Callable[[str], str | None], text: str) -> str | None:
    """``compute(text)``, kept in a store while :func:`cached` is in force, for a function that
    takes a pattern's text apart in Python, as compiling does. ``compute`` must depend on
    nothing but ``text``, the code of its own module and the interpreter: a value is kept under
    the modification time and size of that module's file (what ``__pycache__`` checks of a
    module's source), so a changed module computes afresh."""
    if _original is None:
        return compute(text)
    version = _version(compute.__module__)
    if version is None:
        return compute(text)
    key = (f"{compute.__module__}.{compute.__qualname__}", version, text)
    store = _derived_loaded()
    if key in store:
        value = store[key]
        if value is None or type(value) is str:
            _used_derived.add(key)
            return value
    value = compute(text)
    if len(_new_derived) < RECORD:
        _new_derived[key] = value
    return value


def _version(module: str) -> str | None:
    if module not in _versions:
        try:
            st = os.stat(sys.modules[module].__file__ or "")
            _versions[module] = f"{st.st_mtime_ns}:{st.st_size}"
        except (KeyError, OSError, TypeError, AttributeError):
            _versions[module] = None
    return _versions[module]


def _derived_loaded() -> dict[tuple[str, str, str], str | None]:
    global _derived
    if _derived is None:
        _derived = cachefile.read_store(_derived_path(), FORMAT)
    return _derived
