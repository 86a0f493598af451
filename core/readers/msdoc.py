"""Recognises the formats nianbao does not read but that a report is often saved as, so the
user hears what the file is and what to do, not "not a format nianbao reads".

An OLE2 compound file (magic D0 CF 11 E0) is a Word 97-2003 .doc, an encrypted Office file,
or another old Office binary; an RTF file is often named .doc too.
"""

from __future__ import annotations

import re
from typing import Any

from nianbao.i18n import N_, _
from nianbao.readers import ReadError, Source

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: an RTF document, after any white space (matched in place: no copy of a large file)
_RTF = re.compile(rb"\s*\{\\rtf")
_CHECK = N_("check that the converted copy keeps the tables")


class MsDocReader:
    format = "doc"

    def sniff(self, source: Source) -> int:
        data = source.data
        return 100 if data.startswith(OLE2) or _RTF.match(data) else 0

    def read(self, source: Source) -> dict[str, Any]:
        data = source.data
        if _RTF.match(data):
            raise ReadError(
                "unsupported",
                _("the file is an RTF document; save it as .docx (or PDF) and {check}", check=_(_CHECK)),
            )
        # the names of the streams are stored in UTF-16 in the compound file's directory
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReadError(
                "unsupported", _("the file is a password-protected Office document; save an unprotected .docx copy")
            )
        if "WordDocument".encode("utf-16-le") in data:
            raise ReadError(
                "unsupported",
                _(
                    "the file is a Word 97-2003 .doc; save it as .docx (or PDF) and {check}: nianbao reads .docx, "
                    "not the old binary format",
                    check=_(_CHECK),
                ),
            )
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            raise ReadError("unsupported", _("the file is an Excel 97-2003 .xls workbook, not a report nianbao reads"))
        raise ReadError(
            "unsupported",
            _(
                "the file is an old Office binary (OLE2) document, not one nianbao reads; "
                "save the report as .docx or PDF"
            ),
        )
