"""Write examples/output/: what nianbao writes for each example report, in every format, in
Chinese (``NAME.txt``, the default) and in English (``NAME.en.txt``).
`python scripts/make_examples.py` rewrites them; `--check` exits 1 when one is stale (time
stamps and durations aside)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "examples" / "reports"
OUT = ROOT / "examples" / "output"
FORMATS = {"text": "txt", "json": "json", "junit": "junit.xml", "sarif": "sarif", "html": "html"}
LANGUAGES = {"zh": "", "en": ".en"}
#: what changes from one run to the next and says nothing about the findings
VOLATILE = re.compile(r'(time|timestamp|startTimeUtc|endTimeUtc)(="|": ")[^"]*"')


def render(report: Path, fmt: str, lang: str) -> str:
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "nianbao", "check", str(report.relative_to(ROOT))),
            *("--format", fmt, "--color", "never", "--lang", lang),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"nianbao check {report.name} --format {fmt} failed: {proc.stderr}")
    return proc.stdout


def stable(text: str) -> str:
    return VOLATILE.sub(r'\1\2…"', text)


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    OUT.mkdir(exist_ok=True)
    for report in sorted(REPORTS.iterdir()):
        for fmt, suffix in FORMATS.items():
            for lang, infix in LANGUAGES.items():
                path = OUT / f"{report.stem}{infix}.{suffix}"
                text = render(report, fmt, lang)
                if check:
                    if not path.is_file() or stable(path.read_text(encoding="utf-8")) != stable(text):
                        stale.append(path.name)
                else:
                    path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale: {', '.join(stale)}; run python scripts/make_examples.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
