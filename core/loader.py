"""Read files into reports: pick a reader by content (not only by extension), attach the
source, and turn every failure into a :class:`~nianbao.readers.ReadError` naming the file."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from nianbao import pluginmanager
from nianbao.i18n import N_, _, os_reason, translate
from nianbao.model import Report
from nianbao.readers import Reader, ReadError, Source
from nianbao.readers.limits import DEFAULT, Limits, check
from nianbao.textsafe import shown_path

#: extensions looked at when a folder is given (a file named on the command line is always read)
REPORT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".json"}
    | {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # pages of a report as images, read by OCR
)


@dataclass
class Loaded:
    """One input: a report, or the error that kept it from being one."""

    uri: str
    report: Report | None = None
    error: ReadError | None = None
    format: str | None = None


def readers() -> list[Reader]:
    found: list[Reader] = []
    for batch in pluginmanager.manager().hook.nianbao_readers():
        found.extend(batch or [])
    return found


def _key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


#: files a folder walk finds but does not check, and says so: the truth files of a test corpus
#: (the figures transcribed by hand that a report must read as), which are not reports
NOT_REPORTS = (".truth.json", ".transcript.json")


def _is_candidate(name: str) -> bool:
    if name.startswith(".") or name.endswith(NOT_REPORTS):
        return False
    return os.path.splitext(name)[1].lower() in REPORT_SUFFIXES


@dataclass(frozen=True)
class Skipped:
    """An input not checked, and why (every output lists it; it changes no exit status):
    ``duplicate``, the same file (or folder) as ``same_as``, reached first and checked under
    that name — a hard or symbolic link, a path given twice, a folder inside one given;
    ``truth``, a test corpus's truth file found in a folder (:data:`NOT_REPORTS`)."""

    uri: str
    kind: str
    same_as: str | None = None

    def message(self) -> str:
        if self.kind == "duplicate" and self.uri == self.same_as:
            return _("{file}: given twice; checked once", file=self.uri)
        if self.kind == "duplicate":
            return _("{file}: the same file as {first}; checked once, as {first}", file=self.uri, first=self.same_as)
        return _("{file}: the truth file of a test corpus (the figures a report reads as), not a report", file=self.uri)

    def to_dict(self) -> dict[str, str]:
        out = {"uri": self.uri, "kind": self.kind, "message": self.message()}
        if self.same_as is not None:
            out["same_as"] = self.same_as
        return out


def expand(paths: Iterable[str], skipped: list[Skipped] | None = None) -> Iterator[str]:
    """Files as given, folders walked (sorted, hidden entries skipped), each file once.

    The same file reached by two paths (a hard link, a symbolic link, the folder given twice)
    is yielded once, under the first path; a folder is entered once, so a link back to a folder
    being walked (a loop) ends there. Each path left out so is added to ``skipped`` with the
    one it duplicates, for the outputs to say. A link that leads nowhere, a FIFO, a socket or a
    device is yielded as it is, for :func:`load` to report it without reading it, and so is a
    folder holding no report file, so that no input given goes unmentioned."""
    seen = _Seen(skipped)
    for given in paths:
        try:
            st = os.stat(given)
        except (OSError, ValueError):
            yield given  # load says what is wrong with it
            continue
        if stat.S_ISDIR(st.st_mode):
            if seen.again(seen.folders, st, given):
                continue  # given twice, or inside a folder already walked
            found = False
            for path in _walk(given, st, seen):
                found = True
                yield path
            if not found:
                yield given
            continue
        if not seen.again(seen.files, st, given):
            yield given


class _Seen:
    """The files and folders met so far (by device and inode), each with the path it was met by."""

    def __init__(self, skipped: list[Skipped] | None) -> None:
        self.files: dict[tuple[int, int], str] = {}
        self.folders: dict[tuple[int, int], str] = {}
        self.skipped = skipped

    def again(self, met: dict[tuple[int, int], str], st: os.stat_result, path: str) -> bool:
        """True when met already (then noted in ``skipped``); else it is met now, by ``path``."""
        first = met.get(_key(st))
        if first is None:
            met[_key(st)] = path
            return False
        if self.skipped is not None:
            self.skipped.append(Skipped(shown_path(path), "duplicate", shown_path(first)))
        return True


def _walk(top: str, top_st: os.stat_result, seen: _Seen) -> Iterator[str]:
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    subfolders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            st = os.stat(entry.path)  # follows a link (the kernel stops a loop of links: ELOOP)
        except OSError:
            if _is_candidate(entry.name):
                yield entry.path  # a dangling link or a loop of links: load reports it
            continue
        if stat.S_ISDIR(st.st_mode):
            subfolders.append((entry.path, st))
        elif entry.name.endswith(NOT_REPORTS):
            if seen.skipped is not None:
                seen.skipped.append(Skipped(shown_path(entry.path), "truth"))
        elif _is_candidate(entry.name):
            if not stat.S_ISREG(st.st_mode):
                yield entry.path  # a FIFO, socket or device named like a report: reported, not read
            elif not seen.again(seen.files, st, entry.path):
                yield entry.path
    # files of a folder before its subfolders', as os.walk gave them
    for path, st in subfolders:
        if not seen.again(seen.folders, st, path):  # a link back to a folder walked (a loop) ends here
            yield from _walk(path, st, seen)


def read_source(source: Source) -> Report:
    if not source.data or source.data.isspace():  # (as data.strip() would say, without a copy)
        raise ReadError("empty", _("the file is empty"))
    scored = sorted(((r.sniff(source), i, r) for i, r in enumerate(readers())), key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] <= 0:
        if b"\x00" in source.data[:4096]:
            raise ReadError(
                "binary", _("a binary file in no format nianbao reads (text, HTML, PDF, DOCX, report JSON)")
            )
        raise ReadError("not-a-report", _("not a format nianbao reads (text, HTML, PDF, DOCX, report JSON)"))
    reader = scored[0][2]
    data = reader.read(source)
    data.setdefault("source", {})
    data["source"] = {"uri": source.uri, "format": reader.format, "sha256": source.sha256, **data["source"]}
    data["source"]["uri"] = source.uri
    return Report(data)


_KINDS = (
    (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
    (stat.S_ISSOCK, N_("a socket")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
)


def _not_regular(mode: int) -> ReadError:
    what = next((translate(name) for test, name in _KINDS if test(mode)), _("a special file"))
    return ReadError("not-a-file", _("not a regular file but {what}: skipped, nothing was read from it", what=what))


def _open_error(path: str, exc: OSError) -> ReadError:
    if isinstance(exc, IsADirectoryError):
        return ReadError("unreadable", _("is a folder with no report files"))
    if exc.errno == errno.ELOOP:
        return ReadError("symlink-loop", _("a symbolic link that leads back to itself (a loop): skipped"))
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return ReadError("not-found", _("a symbolic link to a file that does not exist"))
        return ReadError("not-found", _("no such file"))
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            return _not_regular(mode)  # a socket cannot even be opened (ENXIO)
    except OSError:
        pass
    return ReadError("unreadable", os_reason(exc))


def _read(path: str, limits: Limits) -> bytes:
    """The bytes of a regular file, never more than the size limit. The file is opened
    without blocking and looked at before a byte is read, so that a FIFO (which would wait
    for a writer forever) or a device (/dev/zero never ends) is refused, not read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _open_error(path, exc) from exc
    try:  # looked at before fdopen, which refuses a folder (Linux opens one O_RDONLY) with an OSError
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("unreadable", _("is a folder with no report files"))
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as fh:
        check(_("the file, in bytes,"), st.st_size, "file_size", limits)
        # as many bytes as the file has (a read of the limit's size would allocate all of it
        # first); a file that grows while it is read is read on, never past the limit
        data = fh.read(min(st.st_size, limits.file_size) + 1)
        if len(data) > st.st_size:
            data += fh.read(limits.file_size + 1 - len(data))
        check(_("the file, in bytes,"), len(data), "file_size", limits)
        return data


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop reading one file after ``seconds``, where the reader can be interrupted: the alarm
    is a signal, so it is taken between Python bytecodes (a reader's own loops, the
    assembler) but not inside one call into C (PDFium parsing one page). Only on the main
    thread of a process with SIGALRM; elsewhere (threads, Windows) reading is not timed here
    and the worker processes of ``--jobs`` bound it instead."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise ReadError("timeout", _("reading the file took more than {seconds} s: stopped", seconds=f"{seconds:g}"))

    previous = signal.signal(signal.SIGALRM, expired)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:  # someone else's alarm was running: let it go on
            signal.setitimer(signal.ITIMER_REAL, *outer)


def _crashed(exc: Exception) -> str:
    return _("the reader failed: {error}: {reason}", error=type(exc).__name__, reason=exc)


def load(path: str, limits: Limits = DEFAULT, ocr: str = "auto") -> Loaded:
    """One input read into a report, or the error that keeps it from being one. The path is
    the one to open (any bytes, as the OS gave them); the ``uri`` of the result is the one to
    show (:func:`nianbao.textsafe.shown_path`), valid UTF-8 with no control characters.
    ``ocr``: when pages are read by OCR (auto, always, never; see :class:`~nianbao.readers.Source`)."""
    uri = shown_path(path)
    try:
        with _deadline(limits.read_seconds):
            data = _read(path, limits)
            source = Source(uri, data, hashlib.sha256(data).hexdigest(), limits, ocr)
            report = read_source(source)
    except ReadError as exc:
        return Loaded(uri, error=exc)
    except (RecursionError, MemoryError) as exc:
        return Loaded(
            uri, error=ReadError("too-large", _("the file is too complex to read ({error})", error=type(exc).__name__))
        )
    except Exception as exc:  # a reader bug must cost one file, not the run
        return Loaded(
            uri,
            error=ReadError(
                "reader-crash", _("the reader failed: {error}: {reason}", error=type(exc).__name__, reason=exc)
            ),
        )
    return Loaded(uri, report=report, format=report.data["source"]["format"])
