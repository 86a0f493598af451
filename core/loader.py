"""Read files into reports: pick a reader by content (not only by extension), attach the
source, and turn every failure into a :class:`~nianbao.readers.ReadError` naming the file."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nianbao import pluginmanager
from nianbao.model import Report
from nianbao.readers import Reader, ReadError, Source

#: extensions looked at when a folder is given (a file named on the command line is always read)
REPORT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".json"})


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


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, folders walked (sorted, hidden entries skipped), each file once."""
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or Path(name).suffix.lower() not in REPORT_SUFFIXES:
                        continue
                    if name.endswith(".truth.json"):
                        continue
                    path = os.path.join(root, name)
                    if path not in seen:
                        seen.add(path)
                        yield path
        elif given not in seen:
            seen.add(given)
            yield given


def read_source(source: Source) -> Report:
    if not source.data.strip():
        raise ReadError("empty", "the file is empty")
    scored = sorted(((r.sniff(source), i, r) for i, r in enumerate(readers())), key=lambda t: (-t[0], t[1]))
    if not scored or scored[0][0] <= 0:
        if b"\x00" in source.data[:4096]:
            raise ReadError("binary", "a binary file in no format nianbao reads (text, HTML, PDF, DOCX, report JSON)")
        raise ReadError("not-a-report", "not a format nianbao reads (text, HTML, PDF, DOCX, report JSON)")
    reader = scored[0][2]
    data = reader.read(source)
    data.setdefault("source", {})
    data["source"] = {"uri": source.uri, "format": reader.format, "sha256": source.sha256, **data["source"]}
    data["source"]["uri"] = source.uri
    return Report(data)


def load(path: str) -> Loaded:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        return Loaded(path, error=ReadError("unreadable", "is a folder with no report files"))
    except FileNotFoundError:
        return Loaded(path, error=ReadError("not-found", "no such file"))
    except OSError as exc:
        return Loaded(path, error=ReadError("unreadable", exc.strerror or str(exc)))
    source = Source(path, data, hashlib.sha256(data).hexdigest())
    try:
        report = read_source(source)
    except ReadError as exc:
        return Loaded(path, error=exc)
    except Exception as exc:  # a reader bug must cost one file, not the run
        return Loaded(path, error=ReadError("reader-crash", f"the reader failed: {type(exc).__name__}: {exc}"))
    return Loaded(path, report=report, format=report.data["source"]["format"])
