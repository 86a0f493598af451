"""Validation of a report model against its template's JSON Schema (the same files that
describe the template to the readers). Each table is validated against the schema of the
template its shape shows, so a report that mixes shapes is still validated cell by cell.

jsonschema gives every verdict and message, except that a model :mod:`nianbao.conformance_fast`
can vouch for is passed without importing it (the common case, and a third of a cold start)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import nianbao.schemas as schemas
from nianbao.conformance_fast import conforms
from nianbao.i18n import N_, _, translate
from nianbao.model import join

#: JSON Schema type names in words
_TYPES = {
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "string": N_("text"),
    "null": N_("blank (null)"),
    "object": N_("a mapping"),
    "array": N_("a list"),
    "boolean": N_("true or false"),
}


def _message(err: Any) -> str:
    """The violation in the run's language, from the keyword that failed (jsonschema's own
    message, in English, for the rare keyword not listed here)."""
    keyword, expected, value = err.validator, err.validator_value, err.instance
    if keyword == "type":
        types = expected if isinstance(expected, list) else [expected]
        wanted = _(" or ").join(translate(_TYPES.get(str(t), str(t))) for t in types)
        return _("{value!r} is not {wanted}", value=value, wanted=wanted)
    if keyword == "required" and isinstance(value, dict):
        missing = ", ".join(repr(k) for k in expected if k not in value)
        return _("{keys} missing", keys=missing)
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = set((err.schema or {}).get("properties", {}))
        extra = ", ".join(repr(k) for k in value if k not in known)
        return _("unknown key(s) {keys}", keys=extra)
    if keyword in ("minimum", "exclusiveMinimum"):
        return _("{value} is less than the minimum {minimum}", value=value, minimum=expected)
    if keyword in ("maximum", "exclusiveMaximum"):
        return _("{value} is more than the maximum {maximum}", value=value, maximum=expected)
    if keyword in ("enum", "const"):
        choices = ", ".join(repr(v) for v in (expected if isinstance(expected, list) else [expected]))
        return _("{value!r} is not one of {choices}", value=value, choices=choices)
    if keyword == "pattern":
        return _("{value!r} does not have the expected form", value=value)
    if keyword == "format":
        return _("{value!r} is not a valid {format}", value=value, format=expected)
    return str(err.message)


@dataclass(frozen=True)
class Violation:
    pointer: str
    message: str


@cache
def _registry() -> Any:
    from referencing import Registry, Resource

    return Registry().with_resources(
        (schemas.load(n)["$id"], Resource.from_contents(schemas.load(n)))
        for n in ("report", "template-2021", "template-2019")
    )


@cache
def _validator(ref: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$ref": ref}, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _violations(ref: str, instance: Any, prefix: str) -> list[Violation]:
    if conforms(ref, instance):
        return []  # nothing to report, and no need to import jsonschema to say so
    out = []
    for err in sorted(_validator(ref).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        pointer = prefix + join(*err.absolute_path)
        out.append(Violation(pointer, _message(err)))
    return out


def validate(data: dict[str, Any]) -> list[Violation]:
    """Every violation of the report's schema, with the pointer of the offending value."""
    template = data.get("template")
    shapes = data.get("table_templates")
    if not isinstance(shapes, dict):
        shapes = {}  # the common schema says what is wrong with it
    tables = data.get("tables")
    if template in schemas.TEMPLATES and isinstance(tables, dict) and all(s == template for s in shapes.values()):
        # one template throughout (the usual case): one validator for the whole document
        return _violations(f"urn:nianbao:schema:template-{template}", data, "") + _beyond(data)
    common = {k: v for k, v in data.items() if k != "tables"}
    found = _violations("urn:nianbao:schema:report", {**common, "tables": {}}, "")
    if not isinstance(tables, dict):
        return found
    for key in ("active_disclosure", "applications", "review_litigation"):
        shape = shapes.get(key, template)
        if shape not in schemas.TEMPLATES:
            continue
        ref = f"urn:nianbao:schema:template-{shape}#/properties/tables/properties/{key}"
        if key not in tables:
            found.append(Violation(join("tables", key), _("table {table} is missing", table=key)))
            continue
        found.extend(_violations(ref, tables[key], join("tables", key)))
    return found + _beyond(data)


#: no figure of an annual report comes near this (a province's fees in 元 are under 10^12);
#: the schemas allow any number, a rule that multiplies a 400-digit one overflows
LARGEST = 10**15


def _beyond(data: Any) -> list[Violation]:
    """Numbers anywhere in the model that are beyond any figure a report prints."""
    if not _any_beyond(data):
        return []  # the common case, found without building a path per value
    found: list[Violation] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, (*path, str(k))) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
        elif isinstance(node, int | float) and not isinstance(node, bool) and not -LARGEST < node < LARGEST:
            # (str() of an int of more than 4300 digits raises: its size is said instead)
            digits = int(abs(node).bit_length() * 0.30103) + 1 if isinstance(node, int) else 0
            shown = f"{node:.3g}" if isinstance(node, float) else _("a number of {n} digits", n=digits)
            found.append(Violation(join(*path), _("{value} is beyond any figure a report prints", value=shown)))
    return sorted(found, key=lambda v: v.pointer)


def _any_beyond(data: Any) -> bool:
    """Whether :func:`_beyond` would find anything: the same walk, with no paths."""
    stack: list[Any] = [[data]]
    low, high = -LARGEST, LARGEST
    while stack:
        node = stack.pop()
        for v in node.values() if isinstance(node, dict) else node:
            kind = type(v)
            if kind is int or kind is float:
                if not low < v < high:
                    return True
            elif kind is dict or kind is list:
                stack.append(v)
            elif kind is str or kind is bool or v is None:
                continue
            elif isinstance(v, dict | list):
                stack.append(v)
            elif isinstance(v, int | float) and not isinstance(v, bool) and not low < v < high:
                return True
    return False
