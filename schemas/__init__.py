"""JSON Schemas of the report templates and of nianbao's outputs, shipped as package data.

The template schemas are the one description of each template: every cell's key, its printed
label (``title``) and the aliases real reports use (``x-aliases``). Readers find cells through
them (see :mod:`nianbao.template`) and validation uses the very same files.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

TEMPLATES = ("2021", "2019")


@cache
def load(name: str) -> dict[str, Any]:
    """The schema ``name`` (file name without ``.schema.json``), parsed; cached."""
    text = files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def names() -> list[str]:
    return sorted(
        p.name.removesuffix(".schema.json") for p in files(__name__).iterdir() if p.name.endswith(".schema.json")
    )
