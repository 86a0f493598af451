"""textsafe.dumps is json.dumps(tree(value), ensure_ascii=False, indent=2, allow_nan=False)
byte for byte, whichever way it takes (orjson's text or the standard library's)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.textsafe import dumps, tree


def reference(value: Any) -> str:
    return json.dumps(tree(value), ensure_ascii=False, indent=2, allow_nan=False)


#: text of every kind a report or a plugin may hold: CJK, controls, bidi, surrogates, escapes
texts = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(list('\x00\x01\x08\t\n\x0c\r\x1b\x7f\x85\x9f\u2028\u202e\u2067\ufffe\uffff"\\')),
        st.sampled_from(list("中文第一二三：、，")),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    ),
    max_size=12,
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-5, 1e-4, 0.0001234, 1e15, 1e16, 1e17, 123456789.125, 5e-324]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
keys = st.one_of(texts, st.integers(min_value=-5, max_value=5), st.sampled_from(["a: 1e5", "0.00001"]))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=24,
)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(documents)
def test_dumps_is_the_standard_librarys_text(value: Any) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"time": 1.2e-05, "big": 1e16, "n": float("nan"), "i": -math.inf},
        {"message": "a\x1b[31m red \u202e gnirts", "path": "bad\udcff.txt"},
        {"nested": [{}, [], {"a": []}], "中文": "表三（一）"},
        [2**64, 2**63 - 1],
        {1: "int key", None: "none key"},
    ],
)
def test_dumps_cases_that_take_the_slow_way(value: Any) -> None:
    assert dumps(value) == reference(value)


def test_a_type_json_refuses_is_refused_alike() -> None:
    class Odd:
        pass

    with pytest.raises(TypeError):
        reference({"x": Odd()})
    with pytest.raises(TypeError):
        dumps({"x": Odd()})
