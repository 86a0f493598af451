"""JSON Schemas of the report templates and of nianbao's outputs, shipped as package data.

The template schemas are the one description of each template: every cell's key, its printed
label (``title``) and the aliases real reports use (``x-aliases``). Readers find cells through
them (see :mod:`nianbao.template`) and validation uses the very same files.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

TEMPLATES = ("2021", "2019")
#: the data files, beside this module (read as files, as the catalogues are: importlib.resources
#: would bring tempfile, zipfile and more into every start, ~5% of a cold check)
HERE = os.path.dirname(__file__)


def text(name: str) -> str:
    """The data file ``name`` of this package (``narrative-phrases.json``, say), as text."""
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return fh.read()


@cache
def load(name: str) -> dict[str, Any]:
    """The schema ``name`` (file name without ``.schema.json``), parsed; cached."""
    return json.loads(text(f"{name}.schema.json"))


def names() -> list[str]:
    return sorted(name.removesuffix(".schema.json") for name in os.listdir(HERE) if name.endswith(".schema.json"))
