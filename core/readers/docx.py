"""Reads a Word .docx into tokens: the body's paragraphs and tables in document order, from
the main document part alone (word/document.xml, parsed by lxml with python-docx's own parser
settings; the styles, numbering and other parts python-docx also parses hold no text of the
report). A merged cell is one token, where it starts: a horizontal merge (gridSpan) once, a
vertical merge (vMerge) on its first row only, so 三、本年度办理结果 over twenty rows is read
once, as a report prints it.
"""

from __future__ import annotations

import io
import posixpath
import struct
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from nianbao.i18n import _
from nianbao.readers import ReadError, Source
from nianbao.readers.limits import DEFAULT, MB, Limits, check, check_depth, too_large
from nianbao.readers.tokens import Hints, Token, join_wrapped

if TYPE_CHECKING:
    import zipfile

_ZIP = b"PK\x03\x04"
#: runs as a paragraph holds them, tracked insertions and fields included, deletions not
_RUNS = (
    "w:r | w:hyperlink | w:ins/w:r | w:smartTag/w:r | w:fldSimple/w:r | w:customXml/w:r"
    " | w:sdt/w:sdtContent/w:r | w:hyperlink/w:r"
)
#: a centred opening paragraph longer than this is prose, not a line of the title
_TITLE_MAX = 40
#: ZIP compression methods Python reads: stored, deflate, bzip2, LZMA
_METHODS = frozenset({0, 8, 12, 14})
#: the highest "version needed to extract" of the methods above (6.3, LZMA)
_ZIP_VERSION = 63


class DocxReader:
    format = "docx"

    def sniff(self, source: Source) -> int:
        if not source.data.startswith(_ZIP):
            return 0
        # any ZIP: this reader says what the archive is when it is not a .docx
        return 100 if b"word/document.xml" in source.data else 60

    def read(self, source: Source) -> dict[str, Any]:
        from nianbao.readers.assemble import assemble

        tokens, hints = tokenize(source.data, source.limits)
        check(
            _("the text of the document, in characters"), sum(len(t.text) for t in tokens), "text_chars", source.limits
        )
        return assemble(tokens, hints)


#: WordprocessingML's namespace, and the package's (relationships, content types)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def qn(tag: str) -> str:
    """``w:p`` → its Clark name, as python-docx's qn gives it (only the w: prefix is used here)."""
    return _W + tag[2:] if tag.startswith("w:") else tag


@cache
def _parser() -> Any:
    from lxml import etree

    # python-docx's own settings (docx.oxml.parser): the same tree, the same texts
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _main_part(archive: zipfile.ZipFile) -> bytes:
    """The main document part, found as python-docx finds it: the package's officeDocument
    relationship, whose part must be a WordprocessingML document."""
    from lxml import etree

    rels = etree.fromstring(archive.read("_rels/.rels"), _parser())
    targets = [r.get("Target") for r in rels.iter(_RELS + "Relationship") if r.get("Type") == _OFFICE_DOCUMENT]
    if not targets or not targets[0]:
        raise KeyError(f"no relationship of type {_OFFICE_DOCUMENT!r} in the package")
    name = posixpath.normpath(posixpath.join("/", targets[0]))
    types = etree.fromstring(archive.read("[Content_Types].xml"), _parser())
    kind = next(
        (
            t.get("ContentType")
            for t in types.iter(_TYPES + "Override")
            if (t.get("PartName") or "").lower() == name.lower()
        ),
        None,
    )
    if kind is None:
        ext = posixpath.splitext(name)[1][1:].lower()
        kind = next(
            (t.get("ContentType") for t in types.iter(_TYPES + "Default") if (t.get("Extension") or "").lower() == ext),
            None,
        )
    if kind is None:
        raise KeyError(f"no content type for the part {name!r}")
    if kind != _MAIN:
        raise ValueError(f"the main part is not a Word document, its content type is {kind!r}")
    return archive.read(name[1:])


def _open(data: bytes, limits: Limits = DEFAULT) -> Any:
    """The root element of the main document part (word/document.xml)."""
    try:
        from lxml import etree
    except ImportError as exc:
        raise ReadError("unsupported", _("reading .docx needs python-docx: pip install 'nianbao[docx]'")) from exc
    import zipfile  # here, not at import: every start imports this reader, few read a .docx

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except NotImplementedError as exc:  # zipfile's word for a ZIP version it does not read
        raise ReadError(
            "unsupported",
            _("the .docx uses a ZIP feature nianbao cannot read ({error}); save it again from Word or WPS", error=exc),
        ) from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise ReadError(
            "corrupt", f"the ZIP archive is damaged or truncated ({exc}); download or save the .docx again"
        ) from exc
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise _not_docx(names)
    _check_parts(infos, limits)
    try:
        return etree.fromstring(_main_part(archive), _parser())
    except zipfile.BadZipFile as exc:
        raise ReadError("corrupt", _("the .docx is damaged ({reason}); download or save it again", reason=exc)) from exc
    except Exception as exc:  # lxml and zipfile have no common error type for a broken part
        raise ReadError(
            "corrupt", _("the .docx is damaged: {error}: {reason}", error=type(exc).__name__, reason=exc)
        ) from exc


def _check_parts(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse, before anything is decompressed, an archive Python cannot read (encrypted, a
    method or version it lacks) and a zip bomb: the sizes the central directory declares bound
    what zipfile will ever inflate (it stops at the declared size and checks the CRC), so
    checking them is enough."""
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("unsupported", _("the .docx is encrypted (password-protected): save an unprotected copy"))
        if info.compress_type not in _METHODS or info.extract_version > _ZIP_VERSION:
            raise ReadError(
                "unsupported",
                _(
                    "the .docx's part {part} uses a ZIP feature nianbao cannot read (method {method}, version "
                    "{version}); save it again from Word or WPS",
                    part=repr(info.filename),
                    method=info.compress_type,
                    version=f"{info.extract_version / 10:.1f}",
                ),
            )
        total += info.file_size
        if info.file_size > MB and info.file_size > limits.docx_ratio * max(info.compress_size, 1):
            raise too_large(
                _("the part {part} inflates as a zip bomb does; its ratio", part=repr(info.filename)),
                round(info.file_size / max(info.compress_size, 1)),
                "docx_ratio",
                limits.docx_ratio,
            )
    check(_("the .docx's parts uncompressed, in bytes,"), total, "docx_uncompressed", limits)


def _not_docx(names: set[str]) -> ReadError:
    if "xl/workbook.xml" in names:
        return ReadError("unsupported", _("the file is an Excel .xlsx workbook, not a Word .docx report"))
    if "ppt/presentation.xml" in names:
        return ReadError("unsupported", _("the file is a PowerPoint .pptx, not a Word .docx report"))
    if "content.xml" in names and "mimetype" in names:
        return ReadError(
            "unsupported", _("the file is an OpenDocument (.odt) file; save it as .docx (or PDF) and check the tables")
        )
    return ReadError("corrupt", _("the file is a ZIP archive but not a Word .docx (it has no word/document.xml)"))


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, content controls (w:sdt) opened."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag == _SDT:
            content = next(child.iterchildren(_SDT_CONTENT), None)
            if content is not None:
                yield from _blocks(content)
        elif tag == _CUSTOM_XML:
            yield from _blocks(child)


_R, _T, _BR, _P = _W + "r", _W + "t", _W + "br", _W + "p"
_R_PR, _P_PR, _BR_TYPE = _W + "rPr", _W + "pPr", _W + "type"
_TBL, _TR, _TC, _TC_PR, _VAL = _W + "tbl", _W + "tr", _W + "tc", _W + "tcPr", _W + "val"
_TR_PR, _GRID_BEFORE = _W + "trPr", _W + "gridBefore"
_GRID_SPAN, _V_MERGE = _W + "gridSpan", _W + "vMerge"
_HYPERLINK, _SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "hyperlink", _W + "sdt", _W + "sdtContent", _W + "customXml"
#: elements whose runs are a paragraph's (_RUNS: w:ins/w:r, w:smartTag/w:r …)
_WRAPPERS = frozenset(_W + t for t in ("ins", "smartTag", "fldSimple", "customXml"))
#: what python-docx's CT_R.text joins, each as its element's str() gives it: a run's text,
#: breaks (a line break only) and tabs
_RUN_PARTS = {_W + "cr": "\n", _W + "noBreakHyphen": "-", _W + "ptab": "\t", _W + "tab": "\t"}


def run_text(e: Any) -> str:
    """The text of one element of _RUNS: a run's as python-docx's CT_R.text gives it
    (tests/test_reader_docx.py holds the two equal), anything else's own."""
    if e.tag != _R:
        return str(e.text or "")
    out: list[str] = []
    _run_into(e, out)
    return "".join(out)


def _run_into(run: Any, out: list[str]) -> None:
    """A run's text (as run_text gives it) appended to ``out`` in pieces."""
    for part in run:
        tag = part.tag
        if tag == _T:
            out.append(part.text or "")
        elif tag == _BR:
            # CT_Br: a line break (w:type absent or textWrapping) is a newline, a page or column break nothing
            if part.get(_BR_TYPE, "textWrapping") == "textWrapping":
                out.append("\n")
        elif tag != _R_PR:  # (a run's properties, in nearly every run: no text)
            fixed = _RUN_PARTS.get(tag)
            if fixed is not None:
                out.append(fixed)


def _text(p: Any) -> str:
    """A paragraph's text: run_text of each element of _RUNS under ``p`` (in document order, as
    the XPath union gives them), joined and stripped. Walked by hand, not by XPath: this runs
    for every paragraph of every cell, and the usual paragraph is a few runs of one w:t each."""
    out: list[str] = []
    for child in p:
        tag = child.tag
        if tag == _R:
            _run_into(child, out)
        elif tag == _P_PR:
            continue
        elif tag == _HYPERLINK:
            out.append(str(child.text or ""))
            for run in child.iterchildren(_R):
                _run_into(run, out)
        elif tag in _WRAPPERS:
            for run in child.iterchildren(_R):
                _run_into(run, out)
        elif tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                for run in content.iterchildren(_R):
                    _run_into(run, out)
    return "".join(out).strip()


def _cell_text(tc: Any) -> str:
    # every paragraph of the cell; wrapped parts joined as printed
    texts = [_text(p) for p in tc.iter(_P)]
    if len(texts) == 1:  # (join_wrapped of one part: the part stripped, already)
        return texts[0]
    return join_wrapped(texts)


def _centred(p: Any, qn: Any) -> bool:
    jc = p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return jc is not None and jc.get(qn("w:val")) == "center"


class _Walker:
    """The body in document order. Paragraphs are numbered over the body, tables in the order
    they start; a table nested in a cell (a report laid out inside a one-cell frame) is read as
    its own table, and the text around it in that cell as lines placed at the cell."""

    def __init__(self, qn: Any, limits: Limits = DEFAULT) -> None:
        self.qn = qn
        self.limits = limits
        self.tokens: list[Token] = []
        self.paragraphs = 0
        self.tables = 0
        self.opening: list[Token] = []  # centred short paragraphs first of all: the title's lines
        self.in_opening = True

    def body(self, parent: Any) -> None:
        qn = self.qn
        for block in _blocks(parent):
            if block.tag == qn("w:tbl"):
                self.in_opening = False
                self.table(block)
                continue
            self.paragraphs += 1
            text = _text(block)
            if not text:
                continue
            token = Token(text, {"paragraph": self.paragraphs})
            if self.in_opening and _centred(block, qn) and len(text) <= _TITLE_MAX:
                self.opening.append(token)
            else:
                self.in_opening = False
            self.tokens.append(token)

    def table(self, tbl: Any) -> None:
        self.tables += 1
        number = self.tables
        # counted before a cell is read: a table past the limit costs no time
        check(_("a table's cells"), int(_cells_under()(tbl)), "table_cells", self.limits)
        for r, tr in enumerate(tbl.iterchildren(_TR), 1):
            column = 1
            for props in tr.iterchildren(_TR_PR):  # w:trPr/w:gridBefore, the first as find gives it
                before = next(props.iterchildren(_GRID_BEFORE), None)
                if before is not None:
                    column += _count(before.get(_VAL), 0)
                    break
            row: list[Token] = []
            for tc in tr.iterchildren(_TC):
                loc = {"table": number, "row": r, "cell": column}
                span, merge, nested = _cell_props(tc)
                column += 1 if span is None else max(1, _count(span.get(_VAL), 1))
                if merge is not None and merge.get(_VAL, "continue") == "continue":
                    # a continued vertical merge was read on its first row
                    continue
                if nested:
                    self.frame(tc, loc)
                    continue
                row.append(Token(_cell_text(tc), loc, "cell", False, []))
            if row:
                row[-1].row_end = True
            self.tokens.extend(row)

    def frame(self, tc: Any, loc: dict[str, int]) -> None:
        """A cell holding a table: its paragraphs are lines, its tables tables."""
        qn = self.qn
        for block in _blocks(tc):
            if block.tag == qn("w:tbl"):
                self.table(block)
            elif text := _text(block):
                self.tokens.append(Token(text, dict(loc)))


def _cell_props(tc: Any) -> tuple[Any, Any, bool]:
    """A cell's w:tcPr/w:gridSpan and w:tcPr/w:vMerge, the first of each as find gives them,
    and whether a table is nested in it (a w:tbl child), from one look at its children: lxml's
    find runs ElementPath in Python, and a tag filter (iterchildren(tag)) costs more to set up
    than the few children of a cell cost to look at."""
    span = merge = None
    nested = False
    for child in tc:
        tag = child.tag
        if tag == _TC_PR:
            for prop in child:
                tag = prop.tag
                if tag == _GRID_SPAN:
                    if span is None:
                        span = prop
                elif tag == _V_MERGE and merge is None:
                    merge = prop
        elif tag == _TBL:
            nested = True
    return span, merge, nested


@cache
def _cells_under() -> Any:
    """The number of w:tc under an element, counted by libxml2 (no Python object per cell)."""
    from lxml import etree

    return etree.XPath("count(.//w:tc)", namespaces={"w": _W[1:-1]})


def _count(value: str | None, default: int) -> int:
    """A w:val that should be a whole number: Word writes one, a broken or hostile file may
    not (\"x4\", \"-1\", a hundred digits); such a value counts as ``default``."""
    if value is None or not value.isdigit() or len(value) > 4:
        return default
    return int(value)


def tokenize(data: bytes, limits: Limits = DEFAULT) -> tuple[list[Token], Hints]:
    root = _open(data, limits)
    check_depth(root, limits, "word/document.xml")
    body = root.find(qn("w:body"))
    if body is None:
        raise ReadError("corrupt", _("the .docx has no document body (word/document.xml holds no <w:body>)"))
    walker = _Walker(qn, limits)
    walker.body(body)
    hints = Hints()
    _join_title(walker.tokens, walker.opening, hints)
    return walker.tokens, hints


def _join_title(tokens: list[Token], opening: list[Token], hints: Hints) -> None:
    """A title set on two centred lines (淮安市人民政府 / 2024年…年度报告) is one title."""
    if len(opening) < 2:
        return
    for end in range(len(opening), 1, -1):
        text = join_wrapped([t.text for t in opening[:end]])
        if text.endswith("年度报告"):
            hints.title, hints.title_loc = text, dict(opening[0].loc)
            opening[0].text = text
            for t in opening[1:end]:
                tokens.remove(t)
            return
