"""Every hostile or broken input nianbao is known to meet, end to end, as a table.

    python scripts/hostile_cases.py [--kit DIR] [--keep DIR]

Each case is built in a temporary folder (odd names, special files, links, bombs, models that
do not conform…) next to a good report, and checked by ``nianbao check`` in a child process
once per format (json, junit, sarif, text). Per case the table gives the exit status, the
longest wall time and the largest peak memory (RSS) of those runs, whether every input is
present in the JSON, the JUnit and the SARIF, and whether the outputs are valid: strict JSON
(no NaN), JUnit against junit-10.xsd, SARIF against the SARIF 2.1.0 schema, and, with
``--kit DIR`` (the conformance kit: check-sarif, check-junit), the kit's verdict on one run of
all cases together. A run that takes more than 120 s is a hang; one above 1 GB fails the case.
POSIX only (FIFOs, sockets, byte file names).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = FIXTURES / "seed-dongxiang-2021.txt"
DOCX = FIXTURES / "docx" / "dongxiang-2021.docx"
TIMEOUT = 120
GB = 1024 * 1024 * 1024


def _docx(path: Path, document: bytes | None = None, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if document is not None and item.filename == "word/document.xml":
                data = document
            dst.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)


def _bomb(path: Path, gigabytes: int = 4) -> None:
    """A .docx with a part of ``gigabytes`` GB of zeros, deflated to a few MB (streamed: the
    zeros are never in memory at once)."""
    _docx(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as fh:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(gigabytes * 64):
                fh.write(chunk)


def _pdf(path: Path, pages: int = 1, grid: int = 0) -> None:
    """A hand-written PDF: ``pages`` pages of a line of text, or one page ruled as a grid of
    ``grid`` × ``grid`` lines."""
    text = b"BT /F1 12 Tf 72 720 Td (2021 annual report of the county government, page) Tj ET\n"
    if grid:
        text += b"0.1 w\n" + b"".join(b"%d 100 m %d 700 l S\n" % (100 + i, 100 + i) for i in range(grid))
        text += b"".join(b"100 %d m 700 %d l S\n" % (100 + i, 100 + i) for i in range(grid))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    content_id = 3
    objects.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"endstream")
    font_id = 4
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 800 800] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def _model(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "parse", str(SEED)], capture_output=True, check=True, text=True
    ).stdout
    doc = json.loads(out)
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _set(pointer: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        node = doc
        *parents, last = pointer.strip("/").split("/")
        for key in parents:
            node = node[key]
        node[last] = value

    return edit


def _seed_with(raw_from: str, raw_to: str) -> bytes:
    return SEED.read_bytes().replace(raw_from.encode(), raw_to.encode(), 1)


# name → (what, builder(folder) → list of the input names as nianbao will show them)
CASES: dict[str, tuple[str, Callable[[Path], list[str]]]] = {}


def case(name: str, what: str) -> Callable[[Callable[[Path], list[str]]], Callable[[Path], list[str]]]:
    def register(fn: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
        CASES[name] = (what, fn)
        return fn

    return register


@case("good", "the seed report (control)")
def _good(d: Path) -> list[str]:
    shutil.copyfile(SEED, d / "good.txt")
    return ["good.txt"]


@case("name-not-utf8", "file name with bytes that are not UTF-8 (GBK 东乡)")
def _name_bytes(d: Path) -> list[str]:
    Path(os.fsdecode(bytes(d) + b"/\xb6\xab\xcf\xe7.txt")).write_bytes(SEED.read_bytes())
    return ["\\xb6\\xab\\xcf\\xe7.txt"]


@case("name-control", "file name with ESC, BEL and a newline")
def _name_control(d: Path) -> list[str]:
    (d / "a\x1b[31m\x07\nb.txt").write_bytes(SEED.read_bytes())
    return ["a\\x1b[31m\\x07\\x0ab.txt"]


@case("name-bidi", "file name with a right-to-left override (Trojan source)")
def _name_bidi(d: Path) -> list[str]:
    (d / "report\u202etxt.exe.txt").write_bytes(SEED.read_bytes())
    return ["report\\u202etxt.exe.txt"]


@case("fifo", "a FIFO named like a report (used to hang the run)")
def _fifo(d: Path) -> list[str]:
    os.mkfifo(d / "pipe.txt")
    return ["pipe.txt"]


@case("socket", "a Unix socket named like a report")
def _socket(d: Path) -> list[str]:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "sock.txt"))
    _SOCKETS.append(s)
    return ["sock.txt"]


_SOCKETS: list[socket.socket] = []


@case("device", "a link to /dev/zero (a device that never ends)")
def _device(d: Path) -> list[str]:
    os.symlink("/dev/zero", d / "zero.txt")
    return ["zero.txt"]


@case("link-loop", "two symbolic links pointing at each other")
def _link_loop(d: Path) -> list[str]:
    os.symlink("b.txt", d / "a.txt")
    os.symlink("a.txt", d / "b.txt")
    return ["a.txt", "b.txt"]


@case("folder-loop", "a folder with a link back to itself, and the good report")
def _folder_loop(d: Path) -> list[str]:
    (d / "sub").mkdir()
    os.symlink("..", d / "sub" / "up")
    shutil.copyfile(SEED, d / "sub" / "r.txt")
    return ["sub/r.txt"]


@case("dangling", "a symbolic link to nothing")
def _dangling(d: Path) -> list[str]:
    os.symlink("missing.txt", d / "gone.txt")
    return ["gone.txt"]


@case("same-file", "one file by itself, a hard link and a symbolic link")
def _same(d: Path) -> list[str]:
    shutil.copyfile(SEED, d / "one.txt")
    os.link(d / "one.txt", d / "two.txt")
    os.symlink("one.txt", d / "three.txt")
    return ["one.txt"]  # checked once


@case("huge-file", "a 300 MB (sparse) file, above file_size")
def _huge(d: Path) -> list[str]:
    with open(d / "huge.txt", "wb") as fh:
        fh.truncate(300 * 1024 * 1024)
    return ["huge.txt"]


@case("zip-bomb", "a 4 MB .docx whose part inflates to 4 GB (used to take 8 GB)")
def _zip_bomb(d: Path) -> list[str]:
    _bomb(d / "bomb.docx")
    return ["bomb.docx"]


@case("docx-deep", "a .docx whose document.xml nests 100 000 deep")
def _docx_deep(d: Path) -> list[str]:
    xml = zipfile.ZipFile(DOCX).read("word/document.xml")
    _docx(d / "deep.docx", xml.replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * 100000 + b"</w:sdt>" * 100000, 1))
    return ["deep.docx"]


@case("docx-no-body", "a .docx without w:body (used to crash the reader)")
def _docx_no_body(d: Path) -> list[str]:
    xml = zipfile.ZipFile(DOCX).read("word/document.xml")
    _docx(d / "nobody.docx", xml.replace(b"w:body>", b"w:bodx>"))
    return ["nobody.docx"]


@case("docx-gridspan", 'a .docx with gridSpan w:val="x4" (used to crash the reader)')
def _docx_gridspan(d: Path) -> list[str]:
    xml = zipfile.ZipFile(DOCX).read("word/document.xml")
    _docx(d / "gridspan.docx", xml.replace(b'w:gridSpan w:val="', b'w:gridSpan w:val="x'))
    return ["gridspan.docx"]


@case("docx-zip-version", "a .docx needing ZIP version 9.9 (used to crash the reader)")
def _docx_version(d: Path) -> list[str]:
    data = bytearray(DOCX.read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = (99).to_bytes(2, "little")
    (d / "v99.docx").write_bytes(bytes(data))
    return ["v99.docx"]


@case("docx-cells", "a .docx table of 60 000 cells, above table_cells")
def _docx_cells(d: Path) -> list[str]:
    row = b"<w:tr>" + b"<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>" * 100 + b"</w:tr>"
    xml = zipfile.ZipFile(DOCX).read("word/document.xml")
    _docx(d / "cells.docx", xml.replace(b"<w:body>", b"<w:body><w:tbl>" + row * 600 + b"</w:tbl>", 1))
    return ["cells.docx"]


@case("html-deep", "a page nesting 100 000 <div>s")
def _html_deep(d: Path) -> list[str]:
    (d / "deep.html").write_text("<html><body>" + "<div>" * 100000 + "x" + "</div>" * 100000 + "</body></html>")
    return ["deep.html"]


@case("html-cells", "a page whose table has 200 000 cells")
def _html_cells(d: Path) -> list[str]:
    (d / "cells.html").write_text(
        "<html><body><table>" + ("<tr>" + "<td>1</td>" * 100 + "</tr>") * 2000 + "</table></body></html>"
    )
    return ["cells.html"]


@case("html-charset", "a page declaring charset=undefined (used to crash the reader)")
def _html_charset(d: Path) -> list[str]:
    page = SEED.read_text(encoding="utf-8").replace("\n", "<br>\n")
    (d / "undefined.html").write_text(f'<html><head><meta charset="undefined"></head><body>{page}</body></html>')
    return ["undefined.html"]


@case("text-chars", "a 25 MB text, above text_chars")
def _text_chars(d: Path) -> list[str]:
    (d / "long.txt").write_bytes(SEED.read_bytes() + b"a" * (25 * 1024 * 1024))
    return ["long.txt"]


@case("text-400-digits", "a report with a 400-digit figure (used to overflow a rule)")
def _digits(d: Path) -> list[str]:
    (d / "digits.txt").write_bytes(_seed_with("\n5\n", "\n" + "1" * 400 + ".5\n"))
    return ["digits.txt"]


@case("pdf-pages", "a PDF of 3000 pages, above pdf_pages")
def _pdf_pages(d: Path) -> list[str]:
    _pdf(d / "pages.pdf", pages=3000)
    return ["pages.pdf"]


@case("pdf-grid", "a PDF page ruled as a 600 × 600 grid (quadratic table finding)")
def _pdf_grid(d: Path) -> list[str]:
    _pdf(d / "grid.pdf", grid=600)
    return ["grid.pdf"]


@case("model-wrong-type", "a report model with a count that is a string (used to crash rules)")
def _model_type(d: Path) -> list[str]:
    _model(d / "type.json", _set("/tables/applications/new_received/total", "five"))
    return ["type.json"]


@case("model-wrong-shape", "a report model whose sections are a number and tables a list")
def _model_shape(d: Path) -> list[str]:
    def edit(doc: dict[str, Any]) -> None:
        doc["sections"], doc["tables"]["applications"], doc["provenance"] = 7, [1, 2], {"/x": [1]}

    _model(d / "shape.json", edit)
    return ["shape.json"]


@case("model-nan", "a report model with NaN and Infinity (used to reach JSON and SARIF)")
def _model_nan(d: Path) -> list[str]:
    _model(d / "nan.json", _set("/tables/applications/new_received/total", 1.0))
    text = (d / "nan.json").read_text(encoding="utf-8").replace('"total": 1.0', '"total": NaN', 1)
    (d / "nan.json").write_text(text.replace('"year": 2021', '"year": Infinity'), encoding="utf-8")
    return ["nan.json"]


@case("model-huge", "a report model with a 400-digit count")
def _model_huge(d: Path) -> list[str]:
    _model(d / "huge.json", _set("/tables/applications/new_received/total", 10**399))
    return ["huge.json"]


@case("model-deep", "a report model nested 50 000 deep")
def _model_deep(d: Path) -> list[str]:
    (d / "deep.json").write_text('{"model": "nianbao.report/1", "x": ' + "[" * 50000 + "]" * 50000 + "}")
    return ["deep.json"]


# ---- running ------------------------------------------------------------------------------------


def _measured(args: list[str], cwd: Path) -> tuple[int, float, int, bytes]:
    """Exit status, wall seconds, peak RSS (bytes) and stdout of one run of ``args``. The run is
    started by a small launcher (this script with --launch), because Linux carries a process's
    peak RSS over fork and exec: started from here, after a bomb was built, every run would
    count this script's own memory."""
    args = [sys.executable, str(Path(__file__).resolve()), "--launch", *args]
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    chunks = []
    deadline = started + TIMEOUT
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        try:
            data = proc.stdout.read()
        except BlockingIOError:
            data = None
        if data:
            chunks.append(data)
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            rest = proc.stdout.read()
            if rest:
                chunks.append(rest)
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code
            out = b"".join(chunks)
            out, _, tail = out.rpartition(b"\n\x00launch ")
            rss = int(tail.split()[0]) if tail else usage.ru_maxrss * 1024
            return code, time.perf_counter() - started, rss, out
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return -9, float(TIMEOUT), 0, b""
        time.sleep(0.01)


def _schema_validators() -> tuple[Any, Any]:
    import jsonschema
    from lxml import etree

    conformance = FIXTURES / "conformance"
    sarif = jsonschema.Draft4Validator(json.loads((conformance / "sarif-schema-2.1.0.json").read_text()))
    junit = etree.XMLSchema(etree.parse(str(conformance / "junit-10.xsd")))
    return sarif, junit


def _strict(text: bytes) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} in strict JSON")

    return json.loads(text.decode("utf-8"), parse_constant=refuse)


def check_outputs(outs: dict[str, bytes], expected: list[str]) -> tuple[dict[str, bool], bool, str]:
    """Per format: is every expected input in it (as ``in/NAME``, the name shown escaped); are
    all outputs valid, and if not, why."""
    from lxml import etree
    from nianbao.reporters.sarif import artifact_location

    sarif_schema, junit_schema = _schema_validators()
    want = [f"in/{e}" for e in expected]
    present: dict[str, bool] = {}
    problems = []
    try:
        uris = {r["source"]["uri"] for r in _strict(outs["json"])["reports"]}
        present["json"] = set(want) <= uris
    except Exception as exc:
        present["json"] = False
        problems.append(f"json: {exc}")
    try:
        root = etree.fromstring(outs["junit"])
        if not junit_schema.validate(root):
            problems.append(f"junit: {junit_schema.error_log.last_error}")
        present["junit"] = set(want) <= {s.get("name") for s in root.iter("testsuite")}
    except Exception as exc:
        present["junit"] = False
        problems.append(f"junit: {exc}")
    try:
        log = _strict(outs["sarif"])
        errors = list(sarif_schema.iter_errors(log))
        if errors:
            problems.append(f"sarif: {errors[0].message[:100]}")
        uris = {a["location"]["uri"] for a in log["runs"][0]["artifacts"]}
        present["sarif"] = {artifact_location(w)["uri"] for w in want} <= uris
    except Exception as exc:
        present["sarif"] = False
        problems.append(f"sarif: {exc}")
    try:
        text = outs["text"].decode("utf-8")
        if "\x1b" in text or "\x07" in text:
            problems.append("text: a raw control character")
        present["text"] = all(w in text for w in want)
    except UnicodeDecodeError as exc:
        problems.append(f"text: {exc}")
    return present, not problems, "; ".join(problems)


def _launch(args: list[str]) -> None:
    """Run ``args`` (stdout passed through), then append its peak RSS after a marker."""
    import resource

    code = subprocess.run(args, stderr=subprocess.DEVNULL).returncode
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    sys.stdout.buffer.write(b"\n\x00launch %d\n" % peak)
    sys.stdout.flush()
    sys.exit(code)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--launch":
        _launch(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kit", help="folder of the conformance kit (check-sarif, check-junit)")
    parser.add_argument("--keep", help="build the cases in this folder and keep them")
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nianbao-hostile-"))
    base.mkdir(parents=True, exist_ok=True)
    chosen = [c for c in CASES if not args.only or c in args.only.split(",")]
    rows = []
    all_inputs: list[str] = []
    every = base / "all"
    for name in chosen:
        what, build = CASES[name]
        folder = base / name / "in"
        if folder.parent.exists():
            shutil.rmtree(folder.parent)
        folder.mkdir(parents=True)
        expected = build(folder)
        outs: dict[str, bytes] = {}
        statuses, times, peaks = set(), [], []
        for fmt in ("json", "junit", "sarif", "text"):
            cmd = [sys.executable, "-m", "nianbao.cli", "check", "--no-progress", "-f", fmt, "in"]
            code, seconds, rss, out = _measured(cmd, folder.parent)
            statuses.add(code)
            times.append(seconds)
            peaks.append(rss)
            outs[fmt] = out
        present, valid, why = check_outputs(outs, expected)
        ok = statuses <= {0, 1} and max(peaks) < GB and max(times) < TIMEOUT and all(present.values()) and valid
        rows.append((name, what, sorted(statuses), max(times), max(peaks), present, valid, why, ok))
        all_inputs.append(name)
        print(
            f"{'ok ' if ok else 'BAD'} {name}: exit {sorted(statuses)} {max(times):.2f}s "
            f"{max(peaks) / 2**20:.0f}MB {present} valid={valid} {why}",
            file=sys.stderr,
        )
    kit = ""
    if args.kit:
        if every.exists():
            shutil.rmtree(every)
        every.mkdir()
        for fmt in ("sarif", "junit"):
            cmd = [
                sys.executable,
                "-m",
                "nianbao.cli",
                "check",
                "--no-progress",
                "-f",
                fmt,
                *[f"../{n}/in" for n in chosen],
            ]
            _, _, _, out = _measured(cmd, every)
            (every / f"all.{fmt}").write_bytes(out)
        s = subprocess.run([f"{args.kit}/check-sarif", str(every / "all.sarif")], capture_output=True, text=True)
        j = subprocess.run(
            [f"{args.kit}/check-junit", str(every / "all.junit"), "strict"], capture_output=True, text=True
        )
        kit = (
            "conformance kit on one run of all cases: "
            f"check-sarif exit {s.returncode}, check-junit strict exit {j.returncode}"
        )
        print(kit, file=sys.stderr)
        if s.returncode or j.returncode:
            print(s.stdout[-2000:], j.stdout[-2000:], file=sys.stderr)
    print("| case | input | exit | time (s) | peak RSS (MB) | in JSON / JUnit / SARIF | outputs valid |")
    print("|---|---|---|---|---|---|---|")
    for name, what, statuses, seconds, peak, present, valid, why, _ok in rows:
        flags = " / ".join("yes" if present.get(f) else "NO" for f in ("json", "junit", "sarif"))
        print(
            f"| {name} | {what} | {','.join(map(str, statuses))} | {seconds:.2f} | {peak / 2**20:.0f} | {flags} | "
            f"{'yes' if valid else 'NO: ' + why} |"
        )
    if kit:
        print(f"\n{kit}")
    for s in _SOCKETS:
        s.close()
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    sys.exit(0 if all(r[-1] for r in rows) else 1)


if __name__ == "__main__":
    main()
