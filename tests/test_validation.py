"""The fast conformance check never disagrees with jsonschema, the authority: on the models of
every fixture the readers produce, on the same models broken in many ways, and on models whose
tables mix templates. And validate() reports the violations with their pointers."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from nianbao import schemas
from nianbao.conformance_fast import conforms
from nianbao.loader import load
from nianbao.model import join, split
from nianbao.validate import validate
from referencing import Registry, Resource

FIXTURES = Path(__file__).parent / "fixtures"
READABLE = [
    FIXTURES / "seed-dongxiang-2021.txt",
    FIXTURES / "text" / "ningchuan-transport-2019.txt",
    FIXTURES / "text" / "qingshi-town-2021-fullwidth.txt",
    FIXTURES / "corpus" / "shanghai-office-2019.html",
    FIXTURES / "corpus" / "huaian-2024.pdf",
]
REFS = ("urn:nianbao:schema:template-2021", "urn:nianbao:schema:template-2019", "urn:nianbao:schema:report")
ODD_VALUES = ["x", True, False, None, 1.5, 2.0, -3, 0, {}, [], "2022-02-30", "2022-2-3", 10**12]


def authority(ref: str) -> Draft202012Validator:
    registry = Registry().with_resources(
        (schemas.load(n)["$id"], Resource.from_contents(schemas.load(n)))
        for n in ("report", "template-2021", "template-2019")
    )
    return Draft202012Validator({"$ref": ref}, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


AUTHORITY = {ref: authority(ref) for ref in REFS}


def models() -> list[dict[str, Any]]:
    out = []
    for path in READABLE:
        loaded = load(str(path))
        assert loaded.report is not None, loaded.error
        out.append(loaded.report.data)
    return out


MODELS = models()


def pointers(node: Any, prefix: str = "") -> list[str]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            found += pointers(v, prefix + join(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += pointers(v, prefix + join(i))
    return found


def perturbed(model: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The model with one to three random changes: a value replaced, a key removed or added."""
    out = copy.deepcopy(model)
    for _ in range(rng.randint(1, 3)):
        where = rng.choice(pointers(out))
        *parent_path, last = split(where)
        parent: Any = out
        for token in parent_path:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        action = rng.random()
        if isinstance(parent, dict) and action < 0.2:
            del parent[last]
        elif isinstance(parent, dict) and action < 0.3:
            parent["unexpected"] = rng.choice(ODD_VALUES)
        elif isinstance(parent, list):
            parent[int(last)] = rng.choice(ODD_VALUES)
        else:
            parent[last] = rng.choice(ODD_VALUES)
    return out


def agree(instance: Any) -> None:
    for ref in REFS:
        truth = not any(True for _ in AUTHORITY[ref].iter_errors(instance))
        # exactly the authority's verdict: never None either, since every keyword of nianbao's
        # schemas is implemented (a new one would silently cost the start-up time again)
        assert conforms(ref, instance) is truth, (ref, truth)


@pytest.mark.parametrize("index", range(len(MODELS)), ids=[p.name for p in READABLE])
def test_reader_models_conform(index: int) -> None:
    model = MODELS[index]
    assert conforms(f"urn:nianbao:schema:template-{model['template']}", model) is True
    assert validate(model) == []
    agree(model)


@pytest.mark.parametrize("seed", range(40))
def test_same_verdict_as_jsonschema_on_broken_models(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        agree(perturbed(rng.choice(MODELS), rng))


def test_mixed_shapes() -> None:
    seed, report_2019 = MODELS[0], MODELS[1]
    mixed = copy.deepcopy(seed)
    mixed["tables"]["active_disclosure"] = copy.deepcopy(report_2019["tables"]["active_disclosure"])
    agree(mixed)
    assert conforms("urn:nianbao:schema:template-2021", mixed) is False
    mixed["table_templates"] = {**mixed.get("table_templates", {}), "active_disclosure": "2019"}
    assert validate(mixed) == []


def test_violations_point_at_the_value() -> None:
    broken = copy.deepcopy(MODELS[0])
    broken["tables"]["applications"]["granted"]["total"] = "three"
    broken["meta"]["published"] = "2022-02-30"
    del broken["tables"]["review_litigation"]["review"]
    found = {v.pointer for v in validate(broken)}
    assert {"/tables/applications/granted/total", "/meta/published", "/tables/review_litigation"} <= found
