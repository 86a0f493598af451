"""Coverage-guided fuzzing of one reader with atheris (libFuzzer for Python).

    pip install atheris
    python scripts/fuzz.py text  -runs=100000          # text, html, pdf, docx or json
    python scripts/fuzz.py json  -runs=100000 -timeout=20 -rss_limit_mb=1024

Each input goes to the reader's ``read`` directly (not only the inputs its ``sniff`` would
accept) and, for the JSON model, on through validation and every built-in rule, as
``nianbao check`` runs them. A ``ReadError`` is the reader's answer, as it should be; any
other exception, and any rule that fails on a model, is a crash: the input is written to
``fuzz-out/<reader>/crash-<sha1>`` with its traceback and fuzzing goes on, so that one run
counts every distinct crash. libFuzzer's ``-timeout`` turns a hang into a ``timeout-*`` file
and ``-rss_limit_mb`` too much memory into an ``oom-*`` one. At exit a summary
(``fuzz-out/<reader>/summary.json``: inputs, read errors by kind, crashes) is written.

Inputs that once crashed a reader are kept in ``tests/fixtures/fuzz/<reader>/`` and read back
by ``tests/test_fuzz_regressions.py``; copy a new crash there when you fix it. The seeds are
the test fixtures of the format plus that folder.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import sys
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import atheris

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
#: seeds of each reader: small files of its format (libFuzzer mutates around them)
SEEDS = {
    "text": ["seed-dongxiang-2021.txt", "text/*.txt", "crossyear/*.txt"],
    "html": ["html/*.html", "html/*.doc"],
    "pdf": ["fuzz/pdf-seeds/*.pdf"],
    "docx": ["docx/*.docx", "fuzz/docx-seeds/*.docx"],
    # the .docx's word/document.xml mutated and zipped again with the other parts of the
    # fixture (most mutations of the archive itself only break its CRCs)
    "docx-xml": ["fuzz/docx-xml-seeds/*.xml"],
    "json": ["fuzz/json-seeds/*.json"],
}

with atheris.instrument_imports(include=["nianbao"]):
    from nianbao.readers import ReadError, Source

stats: Counter[str] = Counter()
crashes: dict[str, str] = {}


def _reader(name: str) -> Any:
    if name == "text":
        from nianbao.readers.text import TextReader

        return TextReader()
    if name == "html":
        from nianbao.readers.html import HtmlReader

        return HtmlReader()
    if name == "pdf":
        from nianbao.readers.pdf import PdfReader

        return PdfReader()
    if name in ("docx", "docx-xml"):
        from nianbao.readers.docx import DocxReader

        return DocxReader()
    from nianbao.readers.model_json import ModelJsonReader

    return ModelJsonReader()


def _check_model(data: dict[str, Any]) -> None:
    """The model through the engine, as `nianbao check` takes it: no rule may fail on it."""
    from nianbao.config import Config
    from nianbao.engine import run
    from nianbao.loader import Loaded
    from nianbao.model import Report

    data.setdefault("source", {})["uri"] = "fuzz.json"
    result = run([Loaded("fuzz.json", report=Report(data), format="json")], CONFIG)
    if result.notifications:
        raise AssertionError("; ".join(n["message"] for n in result.notifications))
    _ = Config  # imported for the annotation of CONFIG below


CONFIG: Any = None


def main() -> None:
    global CONFIG
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in SEEDS:
        sys.exit(f"usage: fuzz.py {{{','.join(SEEDS)}}} [libFuzzer options]")
    out = ROOT / "fuzz-out" / name
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "corpus"
    corpus.mkdir(exist_ok=True)
    for pattern in SEEDS[name] + [f"fuzz/{name}/*"]:
        for seed in FIXTURES.glob(pattern):
            if seed.is_file():
                (corpus / seed.name).write_bytes(seed.read_bytes())
    with atheris.instrument_imports(include=["nianbao"]):
        reader = _reader(name)
        if name == "json":
            from nianbao.config import Config
            from nianbao.engine import run  # noqa: F401  (instrumented before the first input)

            CONFIG = Config()

    def summary() -> None:
        document = {"reader": name, **stats, "distinct_crashes": sorted(crashes)}
        (out / "summary.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(document), file=sys.stderr)

    parts: dict[str, bytes] = {}
    if name == "docx-xml":
        import zipfile

        with zipfile.ZipFile(FIXTURES / "docx" / "dongxiang-2021.docx") as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        seeds = FIXTURES / "fuzz" / "docx-xml-seeds"
        seeds.mkdir(parents=True, exist_ok=True)
        (corpus / "document.xml").write_bytes(parts["word/document.xml"])

    def rezip(xml: bytes) -> bytes:
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for part, content in parts.items():
                z.writestr(part, xml if part == "word/document.xml" else content)
        return buffer.getvalue()

    def one(data: bytes) -> None:
        stats["inputs"] += 1
        if stats["inputs"] % 2000 == 0:
            summary()  # libFuzzer ends the process without Python's atexit: keep it current
        try:
            if name == "docx-xml":
                data = rezip(data)
            model = reader.read(Source("fuzz", data, hashlib.sha256(data).hexdigest()))
            if name == "json":
                _check_model(model)
            stats["read"] += 1
        except ReadError as exc:
            stats[f"refused:{exc.kind}"] += 1
        except Exception:
            stats["crashes"] += 1
            trace = traceback.format_exc()
            where = traceback.extract_tb(sys.exc_info()[2])[-1]
            key = f"{sys.exc_info()[0].__name__}@{Path(where.filename).name}:{where.lineno}"  # type: ignore[union-attr]
            if key not in crashes:
                crashes[key] = trace
                digest = hashlib.sha1(data).hexdigest()
                (out / f"crash-{digest}").write_bytes(data)
                (out / f"crash-{digest}.txt").write_text(trace, encoding="utf-8")
                print(f"\nCRASH {key}\n{trace}", file=sys.stderr)

    atexit.register(summary)  # for a run stopped by hand
    atheris.Setup([sys.argv[0], *sys.argv[2:], str(corpus)], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
