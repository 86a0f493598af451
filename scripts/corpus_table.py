"""A table per real report: format, cells right/total, error findings, known defects found.

    python scripts/corpus_table.py            # every truth file under tests/fixtures/{real,corpus}
    python scripts/corpus_table.py -v         # also the cells read wrong and the unexplained errors

Reads each report with nianbao, compares it with its hand-made truth (see tests/realcorpus.py)
and checks it in one run, as `nianbao check` would.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from realcorpus import outcomes


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    rows = []
    total = wrong_total = 0
    for o in outcomes():
        cells = o.cell_count()
        wrong = o.wrong_cells()
        total += cells
        wrong_total += len(wrong)
        errors = o.errors()
        unexplained = o.unexplained_errors()
        found = o.defects_found()
        meta = o.meta_mismatches()
        rows.append(
            (
                o.name,
                o.truth["source"]["format"],
                str(o.truth["meta"].get("year")),
                o.truth["template"] + ("*" if o.truth.get("table_templates") else ""),
                f"{cells - len(wrong)}/{cells}",
                "ok" if not meta else ",".join(meta),
                f"{len(errors)} ({len(unexplained)} unexplained)",
                f"{sum(hit for _, hit in found)}/{len(found)}",
            )
        )
        if verbose:
            for p, (want, got) in wrong.items():
                print(f"  {o.name}: {p}: truth {want!r}, read {got!r}")
            for f in unexplained:
                print(f"  {o.name}: unexplained {f.rule} {f.message}")
            for key, (want, got) in meta.items():
                print(f"  {o.name}: {key}: truth {want!r}, read {got!r}")
            for defect, hit in found:
                if not hit:
                    print(f"  {o.name}: known defect not found: {defect['rule']} {defect['what']}")
    head = ("report", "format", "year", "template", "cells right", "meta/sections", "errors", "known defects found")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    share = (total - wrong_total) / total if total else 0.0
    print(f"\n{len(rows)} reports, {total - wrong_total}/{total} cells read exactly ({share:.2%}); * = mixed templates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
