"""Registers the built-in readers through the same hook a plugin would use. Each reader imports
its heavy library (HTML parser, PDF, DOCX) only inside ``read``, so start-up stays fast."""

from __future__ import annotations

from nianbao.hookspecs import hookimpl
from nianbao.readers import Reader
from nianbao.readers.model_json import ModelJsonReader


@hookimpl
def nianbao_readers() -> list[Reader]:
    from nianbao.readers.html import HtmlReader
    from nianbao.readers.text import TextReader

    found: list[Reader] = [ModelJsonReader(), TextReader(), HtmlReader()]
    from nianbao.readers.docx import DocxReader
    from nianbao.readers.image import ImageReader
    from nianbao.readers.msdoc import MsDocReader
    from nianbao.readers.pdf import PdfReader

    found += [PdfReader(), DocxReader(), MsDocReader(), ImageReader()]
    return found
