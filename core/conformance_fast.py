"""A fast yes for the common case: does an instance conform to one of nianbao's own schemas?

jsonschema is the authority on validation and the source of every message, but importing it
costs more than reading and checking a report (≈80 ms of a ≈250 ms cold start), and a model
built by nianbao's readers almost always conforms. This checker implements exactly the
keywords nianbao's schemas use, with JSON Schema 2020-12 semantics, and answers:

- True: the instance conforms (jsonschema would report nothing);
- False: it does not (jsonschema then says where and why);
- None: the schema uses something not implemented here (jsonschema decides).

It must never say True where jsonschema finds a violation: tests/test_validation.py holds it
to the same verdict as jsonschema on valid, broken and mixed-shape models.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import nianbao.schemas as schemas
from nianbao.model import resolve

#: keywords that only annotate (no assertion)
_ANNOTATIONS = frozenset({"$id", "$schema", "$defs", "title", "description"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class _Unknown(Exception):  # noqa: N818 - a verdict, not an error
    """A keyword, format or reference this checker does not implement."""


def _documents() -> dict[str, dict[str, Any]]:
    return {schemas.load(n)["$id"]: schemas.load(n) for n in ("report", "template-2021", "template-2019")}


def _is_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if name == "number":
        return True
    if name == "integer":
        return isinstance(value, int) or value.is_integer()
    raise _Unknown(name)


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


class _Checker:
    def __init__(self) -> None:
        self.documents = _documents()

    def ref(self, ref: str, doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        base, _, fragment = ref.partition("#")
        target = self.documents.get(base) if base else doc
        if target is None or (fragment and not fragment.startswith("/")):
            raise _Unknown(ref)
        try:
            return resolve(target, fragment), target
        except KeyError:
            raise _Unknown(ref) from None

    def ok(self, value: Any, schema: dict[str, Any], doc: dict[str, Any]) -> bool:
        for word, arg in schema.items():
            if word in _ANNOTATIONS or word.startswith("x-"):
                continue
            if not self.keyword(word, arg, value, schema, doc):
                return False
        return True

    def keyword(self, word: str, arg: Any, value: Any, schema: dict[str, Any], doc: dict[str, Any]) -> bool:
        if word == "$ref":
            target, target_doc = self.ref(arg, doc)
            return self.ok(value, target, target_doc)
        if word == "type":
            return any(_is_type(value, t) for t in (arg if isinstance(arg, list) else [arg]))
        if word == "enum":
            return any(_equal(value, e) for e in arg)
        if word == "const":
            return _equal(value, arg)
        if word == "format":
            if arg != "date":
                raise _Unknown(arg)
            return _date(value)
        if word in ("minimum", "maximum"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return True
            return bool(value >= arg if word == "minimum" else value <= arg)
        if word == "allOf":
            return all(self.ok(value, s, doc) for s in arg)
        if word == "oneOf":
            return sum(self.ok(value, s, doc) for s in arg) == 1
        if not isinstance(value, dict | list):
            if word in ("properties", "required", "additionalProperties", "items", "minItems", "maxItems"):
                return True  # these assert only on objects / arrays
            raise _Unknown(word)
        return self.container(word, arg, value, schema, doc)

    def container(self, word: str, arg: Any, value: Any, schema: dict[str, Any], doc: dict[str, Any]) -> bool:
        if word == "items":
            return not isinstance(value, list) or all(self.ok(v, arg, doc) for v in value)
        if word in ("minItems", "maxItems"):
            if not isinstance(value, list):
                return True
            return bool(len(value) >= arg if word == "minItems" else len(value) <= arg)
        if not isinstance(value, dict):
            return True
        if word == "properties":
            return all(self.ok(value[k], s, doc) for k, s in arg.items() if k in value)
        if word == "required":
            return all(k in value for k in arg)
        if word == "additionalProperties":
            extra = [k for k in value if k not in schema.get("properties", {})]
            if arg is False:
                return not extra
            return all(self.ok(value[k], arg, doc) for k in extra)
        raise _Unknown(word)


_checker: _Checker | None = None


def conforms(ref: str, instance: Any) -> bool | None:
    """True / False when this checker can tell whether ``instance`` conforms to the schema at
    ``ref`` (e.g. ``urn:nianbao:schema:template-2021``); None when it cannot."""
    global _checker
    _checker = _checker or _Checker()
    try:
        schema, doc = _checker.ref(ref, {})
        return _checker.ok(instance, schema, doc)
    except _Unknown:
        return None
