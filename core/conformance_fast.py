"""A fast yes for the common case: does an instance conform to one of nianbao's own schemas?

jsonschema is the authority on validation and the source of every message, but importing it
costs more than reading and checking a report (≈80 ms of a ≈250 ms cold start), and a model
built by nianbao's readers almost always conforms. This checker implements exactly the
keywords nianbao's schemas use, with JSON Schema 2020-12 semantics, and answers:

- True: the instance conforms (jsonschema would report nothing);
- False: it does not (jsonschema then says where and why);
- None: the schema uses something not implemented here (jsonschema decides).

Each schema is compiled once into a tree of small functions, one per keyword, with its
``$ref`` resolved, its property names and enum values laid out for look-ups: checking a model
then walks the model, not the schema (≈10× faster than interpreting the schema per value).
A keyword, format or reference not implemented compiles to a check that answers None when it
is reached, so the verdicts are those of interpreting the schema keyword by keyword.

It must never say True where jsonschema finds a violation: tests/test_validation.py holds it
to the same verdict as jsonschema on valid, broken and mixed-shape models.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import nianbao.schemas as schemas
from nianbao.model import resolve

#: keywords that only annotate (no assertion)
_ANNOTATIONS = frozenset({"$id", "$schema", "$defs", "title", "description"})
#: keywords that assert only on objects or arrays (true of any other value)
_CONTAINER = frozenset({"properties", "required", "additionalProperties", "items", "minItems", "maxItems"})
#: the keywords of an object checked in one pass (see _Compiler.mapping)
_OBJECT = frozenset({"type", "required", "properties", "additionalProperties"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

Check = Callable[[Any], bool]


class _Unknown(Exception):  # noqa: N818 - a verdict, not an error
    """A keyword, format or reference this checker does not implement."""


def _documents() -> dict[str, dict[str, Any]]:
    return {schemas.load(n)["$id"]: schemas.load(n) for n in ("report", "template-2021", "template-2019")}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


_TYPES: dict[str, Check] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": _number,
    "integer": _integer,
}


def _unknown(what: str) -> Check:
    def check(value: Any) -> bool:
        raise _Unknown(what)

    return check


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b and (isinstance(a, int | float) == isinstance(b, int | float))


def _date(value: Any) -> bool:
    if not isinstance(value, str):
        return True  # formats assert only on strings
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    steps = tuple(checks)

    def every(value: Any) -> bool:
        for check in steps:  # noqa: SIM110 - a loop: all() over a generator is slower here
            if not check(value):
                return False
        return True

    return every


def _type(arg: Any) -> Check:
    names = arg if isinstance(arg, list) else [arg]
    tests = [_TYPES.get(str(n)) or _unknown(str(n)) for n in names]
    if len(tests) == 1:
        return tests[0]
    if all(n in _TYPES for n in names):
        kinds = set(names)
        if kinds == {"number", "null"}:  # a cell: the commonest of all
            return lambda v: v is None or (isinstance(v, int | float) and not isinstance(v, bool))
    steps = tuple(tests)
    return lambda value: any(t(value) for t in steps)


def _enum(arg: list[Any]) -> Check:
    if all(isinstance(e, str) for e in arg):
        words = frozenset(arg)
        return lambda value: isinstance(value, str) and value in words
    if all(isinstance(e, str) or e is None for e in arg):
        words = frozenset(e for e in arg if e is not None)
        return lambda value: value is None or (isinstance(value, str) and value in words)
    return lambda value: any(_equal(value, e) for e in arg)


#: the exact Python types a JSON Schema type name takes in the common case (bool is no integer)
_EXACT = {"integer": (int,), "number": (int, float), "null": (type(None),), "string": (str,)}


def _scalar(schema: dict[str, Any], words: set[str], full: Check) -> Check:
    """A scalar's type and bounds (a cell, a line number) as one test of the value's exact type
    and range; anything else (a bool, a float integer, a subclass, a value out of range) is
    judged by ``full``, the keyword-by-keyword check, so the verdict is the same."""
    if not words or not words <= {"type", "minimum", "maximum"}:
        return full
    names = schema.get("type")
    names = names if isinstance(names, list) else [names]
    if not names or not all(isinstance(n, str) and n in _EXACT for n in names):
        return full
    kinds = frozenset(t for n in names for t in _EXACT[n])
    low, high = schema.get("minimum"), schema.get("maximum")
    bounded = (low is not None or high is not None) and kinds & {int, float}
    if any(b is not None and (isinstance(b, bool) or not isinstance(b, int | float)) for b in (low, high)):
        return full
    if not bounded:
        if kinds == {str}:
            return lambda v: type(v) is str or full(v)
        return lambda v: type(v) in kinds or full(v)
    lo = float("-inf") if low is None else low
    hi = float("inf") if high is None else high
    if kinds == {int}:
        return lambda v: (type(v) is int and lo <= v <= hi) or full(v)
    numeric = kinds & {int, float}
    blank = type(None) in kinds  # (minimum and maximum say nothing of a null)
    return lambda v: (type(v) in numeric and lo <= v <= hi) or (blank and v is None) or full(v)


class _Compiler:
    def __init__(self) -> None:
        self.documents = _documents()
        #: compiled checks by the id of their schema node (the node kept alive beside it)
        self.done: dict[int, tuple[dict[str, Any], Check]] = {}

    def ref(self, ref: str, doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        base, _, fragment = ref.partition("#")
        target = self.documents.get(base) if base else doc
        if target is None or (fragment and not fragment.startswith("/")):
            raise _Unknown(ref)
        try:
            return resolve(target, fragment), target
        except KeyError:
            raise _Unknown(ref) from None

    def schema(self, schema: Any, doc: dict[str, Any]) -> Check:
        if not isinstance(schema, dict):
            return _unknown(repr(schema))  # a boolean schema: not used by nianbao's schemas
        known = self.done.get(id(schema))
        if known is not None:
            return known[1]
        # a schema that refers to itself (through $ref) reaches this placeholder until it is built
        slot: list[Check] = []

        def recursive(value: Any) -> bool:
            return slot[0](value)

        self.done[id(schema)] = (schema, recursive)
        words = {w for w in schema if w not in _ANNOTATIONS and not w.startswith("x-")}
        if words <= _OBJECT and schema.get("type", "object") == "object" and "properties" in words:
            check = self.mapping(schema, doc)
            slot.append(check)
            self.done[id(schema)] = (schema, check)
            return check
        checks = [
            self.keyword(word, arg, schema, doc)
            for word, arg in schema.items()
            if word not in _ANNOTATIONS and not word.startswith("x-")
        ]
        check = _scalar(schema, words, _all(checks))
        slot.append(check)
        self.done[id(schema)] = (schema, check)
        return check

    def keyword(self, word: str, arg: Any, schema: dict[str, Any], doc: dict[str, Any]) -> Check:
        try:
            return self._keyword(word, arg, schema, doc)
        except _Unknown as exc:
            return _unknown(str(exc))

    def _keyword(self, word: str, arg: Any, schema: dict[str, Any], doc: dict[str, Any]) -> Check:
        if word == "$ref":
            target, target_doc = self.ref(arg, doc)
            return self.schema(target, target_doc)
        if word == "type":
            return _type(arg)
        if word == "enum":
            return _enum(arg)
        if word == "const":
            return lambda value: _equal(value, arg)
        if word == "format":
            if arg != "date":
                raise _Unknown(arg)
            return _date
        if word in ("minimum", "maximum"):
            if word == "minimum":
                return lambda v: isinstance(v, bool) or not isinstance(v, int | float) or bool(v >= arg)
            return lambda v: isinstance(v, bool) or not isinstance(v, int | float) or bool(v <= arg)
        if word == "allOf":
            return _all([self.schema(s, doc) for s in arg])
        if word == "oneOf":
            branches = tuple(self.schema(s, doc) for s in arg)
            return lambda value: sum(b(value) for b in branches) == 1
        if word not in _CONTAINER:
            return _unknown(word)  # (on an object or array, as on any other value)
        return self.container(word, arg, schema, doc)

    def mapping(self, schema: dict[str, Any], doc: dict[str, Any]) -> Check:
        """An object's keywords (type, required, properties, additionalProperties) as one
        check, one pass over the object's own keys (a conjunction: the order is free)."""
        typed = "type" in schema
        required = tuple(schema.get("required", ()))
        props = {k: self.schema(s, doc) for k, s in schema["properties"].items()}
        additional = schema.get("additionalProperties", True)
        closed = additional is False
        extra = None if additional is True or closed else self.schema(additional, doc)

        def mapping(value: Any) -> bool:
            if not isinstance(value, dict):
                return not typed
            for k in required:
                if k not in value:
                    return False
            for k, v in value.items():
                check = props.get(k)
                if check is not None:
                    if not check(v):
                        return False
                elif closed or (extra is not None and not extra(v)):
                    return False
            return True

        return mapping

    def container(self, word: str, arg: Any, schema: dict[str, Any], doc: dict[str, Any]) -> Check:
        if word == "items":
            item = self.schema(arg, doc)
            return lambda value: not isinstance(value, list) or all(item(v) for v in value)
        if word == "minItems":
            return lambda value: not isinstance(value, list) or len(value) >= arg
        if word == "maxItems":
            return lambda value: not isinstance(value, list) or len(value) <= arg
        if word == "properties":
            props = tuple((k, self.schema(s, doc)) for k, s in arg.items())

            def properties(value: Any) -> bool:
                if not isinstance(value, dict):
                    return True
                for k, check in props:  # noqa: SIM110 - faster than all()
                    if k in value and not check(value[k]):
                        return False
                return True

            return properties
        if word == "required":
            wanted = tuple(arg)
            return lambda value: not isinstance(value, dict) or all(k in value for k in wanted)
        # additionalProperties
        named = frozenset(schema.get("properties", {}))
        if arg is False:
            return lambda value: not isinstance(value, dict) or named.issuperset(value)
        extra = self.schema(arg, doc)

        def additional(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for k, v in value.items():  # noqa: SIM110 - faster than all()
                if k not in named and not extra(v):
                    return False
            return True

        return additional


_compiler: _Compiler | None = None
_compiled: dict[str, Check] = {}


def conforms(ref: str, instance: Any) -> bool | None:
    """True / False when this checker can tell whether ``instance`` conforms to the schema at
    ``ref`` (e.g. ``urn:nianbao:schema:template-2021``); None when it cannot."""
    global _compiler
    check = _compiled.get(ref)
    if check is None:
        _compiler = _compiler or _Compiler()
        try:
            schema, doc = _compiler.ref(ref, {})
            check = _compiler.schema(schema, doc)
        except _Unknown as exc:
            check = _unknown(str(exc))
        _compiled[ref] = check
    try:
        return check(instance)
    except _Unknown:
        return None
