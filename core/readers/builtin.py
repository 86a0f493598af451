"""Registers the built-in readers through the same hook a plugin would use. Each reader imports
its heavy library (HTML parser, PDF, DOCX) only inside ``read``, so start-up stays fast."""

from __future__ import annotations

from nianbao.hookspecs import hookimpl
from nianbao.readers import Reader
from nianbao.readers.model_json import ModelJsonReader


@hookimpl
def nianbao_readers() -> list[Reader]:
    from nianbao.readers.text import TextReader

    found: list[Reader] = [ModelJsonReader(), TextReader()]
    return found
