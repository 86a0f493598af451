"""Inputs built to break the readers: each is read or refused with a clear ReadError, never a
crash of the reader (kind ``reader-crash``)."""

from __future__ import annotations

import pytest
from nianbao.readers.charset import decode


@pytest.mark.parametrize("name", ["undefined", "rot13", "base64", "zlib", "hex", "utf-16", "utf-32", "nonsense"])
def test_a_declared_charset_that_is_no_text_encoding_is_ignored(name: str) -> None:
    page = f'<html><head><meta charset="{name}"></head><body><p>东乡县</p></body></html>'.encode()
    text, encoding = decode(page)
    assert "东乡县" in text and encoding == "utf-8"
