"""The phrases the narrative rules recognise, read from ``schemas/narrative-phrases.json``.

The file holds every word list as regular-expression alternatives; the rules keep only the
grammar that puts them together. It is read on first use, not at import (start-up stays fast),
and a province pack extends it with :func:`extend` (from its ``nianbao_rules`` hook, say)::

    from nianbao.rules.narrative import phrases
    phrases.extend({"other_topic": ["民情通"], "subjects": {"received": ["收件"]}})
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from importlib.resources import files
from typing import Any

_data: dict[str, Any] | None = None
_compiled: dict[str, Any] = {}


def data() -> dict[str, Any]:
    """Every phrase list: the shipped file plus what :func:`extend` added."""
    global _data
    if _data is None:
        text = files("nianbao.schemas").joinpath("narrative-phrases.json").read_text(encoding="utf-8")
        _data = json.loads(text)
    return _data


def extend(extra: Mapping[str, Any]) -> None:
    """Add alternatives: ``{list: [alternative, …]}`` appends to a list, ``{group: {name: [alternative, …]}}``
    to a named list of a group (``subjects``, ``breakdown_categories``, ``average_periods``; a new
    name is added last). Raises ValueError naming the entry when an alternative is not a valid
    regular expression or a list is unknown."""
    base = data()
    for name, value in extra.items():
        if name not in base or name.startswith("$"):
            raise ValueError(f"narrative phrases: no list named {name!r}")
        target = base[name]
        if isinstance(target, dict):
            if not isinstance(value, Mapping):
                raise ValueError(f"narrative phrases: {name!r} maps names to lists of alternatives")
            for key, alternatives in value.items():
                target.setdefault(str(key), []).extend(_checked(f"{name}.{key}", alternatives))
        else:
            target.extend(_checked(name, value))
    _compiled.clear()


def _checked(name: str, alternatives: Any) -> list[str]:
    if isinstance(alternatives, str) or not isinstance(alternatives, list):
        raise ValueError(f"narrative phrases: {name!r} takes a list of alternatives")
    for alt in alternatives:
        try:
            re.compile(alt)
        except (re.error, TypeError) as exc:
            raise ValueError(f"narrative phrases: {name!r}: {alt!r} is not a regular expression ({exc})") from exc
    return [str(a) for a in alternatives]


def alternation(alternatives: list[str]) -> str:
    return "(?:" + "|".join(alternatives) + ")"


def words(name: str) -> str:
    """The list ``name`` (``group.key`` for a named list of a group) as one non-capturing group."""
    node: Any = data()
    for part in name.split("."):
        node = node[part]
    return alternation(node)


def compiled(name: str, build: Callable[[], Any]) -> Any:
    """``build()`` once until the phrases change: a rule's pattern made from the lists."""
    found = _compiled.get(name)
    if found is None:
        found = _compiled[name] = build()
    return found


def pattern(name: str) -> re.Pattern[str]:
    """The list ``name`` compiled as it stands."""
    return compiled(name, lambda: re.compile(words(name)))
