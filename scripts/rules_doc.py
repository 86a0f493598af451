"""Write docs/rules.md from the rules' own metadata (the same that `nianbao rules`, SARIF and
JUnit show). `python scripts/rules_doc.py` rewrites it; `--check` exits 1 when it is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from nianbao import plugins

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
AREAS = {
    "M": "Report model",
    "T": "Tables",
    "D": "Dates and template",
    "S": "Sections",
    "N": "Narrative against tables",
    "X": "Across reports",
}


def render() -> str:
    rules = [r for r in plugins.rules() if r.plugin == "nianbao"]
    out = [
        "# Rules",
        "",
        "Generated from the rules' metadata by `python scripts/rules_doc.py`; `nianbao rules` shows the same.",
        "Levels: **error** = an identity of the form or a legal requirement is broken; **warning** = a strong",
        "heuristic; **note** = advisory. Select or ignore rules by id or prefix (`--select T3`, `--ignore N`).",
        "",
        "| id | name | level | summary |",
        "|---|---|---|---|",
    ]
    out += [f"| [{r.id}](#{r.id.lower()}) | {r.name} | {r.level} | {r.summary} |" for r in rules]
    area = None
    for r in rules:
        if r.area[:1] != area:
            area = r.area[:1]
            out += ["", f"## {AREAS.get(area, area)}"]
        out += ["", f"### {r.id}", "", f"**{r.name}** · {r.level}", "", r.summary, "", r.explanation]
        if r.legal_basis:
            out += ["", f"Basis: {r.legal_basis}"]
        if r.options:
            out += ["", "Options: " + ", ".join(f"`{k}` (default `{v}`)" for k, v in r.options.items())]
    return "\n".join(out) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
            print("docs/rules.md is stale: run python scripts/rules_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
