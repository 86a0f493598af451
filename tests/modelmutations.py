"""Random mutations of report models, for the property tests and scripts/mutate_models.py.

A mutation picks a place in a model read from a fixture (any value, at any depth) and puts
something else there: another type, a number at the edge (negative, fractional, 10^14, 10^20),
odd text (empty, control characters, a lone surrogate, a very long string), an empty or deep
container; or deletes a key, or adds one. Some results still conform to the schema, most do
not: nianbao must take both without any rule failing.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = [
    FIXTURES / "seed-dongxiang-2021.txt",
    FIXTURES / "text" / "ningchuan-transport-2019.txt",
    FIXTURES / "text" / "qingshi-town-2021-fullwidth.txt",
    FIXTURES / "html" / "dongxiang-2021.html",
]

ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    -(10**9),
    0.5,
    -0.25,
    10**14,
    10**20,
    1e300,
    True,
    False,
    "",
    "5",
    "五",
    "\x00\x1b[31m",
    "\ud800",
    "年度报告" * 200,
    "2021-13-45",
    "2021-02-29",
    "0000-01-01",
    [],
    [None],
    [1, "a", None],
    {},
    {"raw": 5},
    {"a": {"b": {"c": [1]}}},
]


@cache
def base_models() -> list[str]:
    """The fixtures' models as JSON text (parsed once; each mutation starts from a copy)."""
    from nianbao.loader import load

    out = []
    for path in SOURCES:
        report = load(str(path)).report
        assert report is not None, path
        out.append(json.dumps(report.data, ensure_ascii=False))
    return out


def places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from places(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from places(v, (*path, i))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


def mutate(doc: dict[str, Any], rng: random.Random, count: int = 1) -> list[str]:
    """Apply ``count`` mutations to ``doc`` in place; returns what was done (for messages)."""
    done = []
    for _ in range(count):
        all_places = [p for p in places(doc) if p]
        if not all_places:
            break
        where = rng.choice(all_places)
        parent = _parent(doc, where)
        key = where[-1]
        action = rng.random()
        if action < 0.12 and isinstance(parent, dict):
            del parent[key]
            done.append(f"del {where}")
        elif action < 0.2 and isinstance(parent, dict):
            parent[rng.choice(["extra", "x", "", "paragraphs", "lines", "raw"])] = copy.deepcopy(rng.choice(ODD_VALUES))
            done.append(f"add under {where[:-1]}")
        else:
            value = copy.deepcopy(rng.choice(ODD_VALUES))
            parent[key] = value
            done.append(f"{where} = {value!r:.40}")
    return done


def mutated(seed: int, count: int | None = None) -> tuple[dict[str, Any], list[str]]:
    rng = random.Random(seed)
    doc = json.loads(rng.choice(base_models()))
    return doc, mutate(doc, rng, count or rng.randint(1, 4))


def numeric_places(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Places of the table cells (numbers or null), where any number in range conforms."""
    return [p for p in places(doc) if p[:1] == ("tables",) and isinstance(_value(doc, p), int | float | None)]


def _value(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def set_value(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    _parent(doc, path)[path[-1]] = value
