"""Single-change copies of a text report, each with the rule it must trigger.

A mutation finds the cell, date or heading through the parsed model's provenance and edits
exactly that place (line and column) of the file, so the same mutations apply to any text
layout (page copy, tabbed) and either template. Used by tests/test_fixture_mutations.py and
by scripts/conformance.sh (SARIF and JUnit for every mutated copy).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from nianbao.loader import load
from nianbao.model import Report

FIXTURES = Path(__file__).parent / "fixtures"
#: the text reports the mutations are applied to: page-copy seed, tabbed layout, 2019 template
REPORTS = {
    "seed": FIXTURES / "seed-dongxiang-2021.txt",
    "tabbed": FIXTURES / "text" / "dongxiang-2021-tabbed.txt",
    "2019": FIXTURES / "text" / "ningchuan-transport-2019.txt",
}


#: table 二 in the 2019 template's shape (22 cells), pasted into a 2021 report by a mutation
TABLE_TWO_2019 = """第二十条第(一)项
信息内容
本年新制作数量
本年新公开数量
对外公开总数量
规章
0
0
0
规范性文件
7
7
22
第二十条第(五)项
信息内容
上一年项目数量
本年增/减
处理决定数量
行政许可
12
-2
302
其他对外管理服务事项
0
0
0
第二十条第(六)项
信息内容
上一年项目数量
本年增/减
处理决定数量
行政处罚
9
1
205
行政强制
3
0
18
第二十条第(八)项
信息内容
上一年项目数量
本年增/减
行政事业性收费
4
0
第二十条第(九)项
信息内容
采购项目数量
采购总金额
政府集中采购
2
35.6万元"""


@dataclass(frozen=True)
class Mutant:
    name: str
    text: str  # the whole changed file
    rule: str  # the rule that must fire …
    level: str  # … at this level …
    lines: frozenset[int]  # … located on one of these lines of the changed file


@dataclass
class Original:
    path: Path
    report: Report
    lines: list[str]
    encoding: str

    @classmethod
    def read(cls, path: Path) -> Original:
        loaded = load(str(path))
        assert loaded.report is not None, loaded.error
        encoding = loaded.report.data["source"].get("encoding") or "utf-8"
        text = path.read_bytes().decode(encoding)
        return cls(path, loaded.report, text.split("\n"), encoding)

    def place(self, pointer: str) -> tuple[int, int, str]:
        entry = self.report.provenance[pointer]
        return entry["line"], entry["column"], entry["raw"]

    def replace(self, pointer: str, new: str, old: str | None = None) -> tuple[str, int]:
        """The file with the text at ``pointer`` (or ``old`` inside it) replaced; its line."""
        line, column, raw = self.place(pointer)
        text = self.lines[line - 1]
        start = column - 1
        assert text[start : start + len(raw)] == raw, (pointer, text, raw)
        if old is not None:
            assert old in raw, (pointer, raw, old)
            new, raw = raw.replace(old, new), raw
        changed = list(self.lines)
        changed[line - 1] = text[:start] + new + text[start + len(raw) :]
        return "\n".join(changed), line

    def cell(self, pointer: str, change: Callable[[int], str]) -> tuple[str, int]:
        value = self.report.get(pointer)
        assert isinstance(value, int), (pointer, value)
        return self.replace(pointer, change(value))


def mutants(path: Path) -> Iterator[Mutant]:
    o = Original.read(path)
    year = o.report.year
    assert year is not None
    apps, review = "/tables/applications", "/tables/review_litigation"

    text, line = o.cell(f"{apps}/granted/natural_person", lambda v: str(v + 1))
    yield Mutant("table-three-cell", text, "T302", "error", frozenset({line}))
    text, line = o.cell(f"{apps}/handled_total/total", lambda v: str(v + 1))
    yield Mutant("handled-total", text, "T301", "error", frozenset({line}))
    text, line = o.cell(f"{review}/review/total", lambda v: str(v + 2))
    yield Mutant("table-four-total", text, "T401", "error", frozenset({line}))
    text, line = o.replace(f"{apps}/new_received/commercial", "/")
    yield Mutant("cell-slash", text, "T002", "warning", frozenset({line}))
    text, line = o.replace(f"{apps}/carried_over/natural_person", "-1")
    yield Mutant("negative-count", text, "T001", "error", frozenset({line}))

    # section 五 removed, heading and text: 六 then stands where 五 was
    five, _, _ = o.place("/sections/4")
    six, _, _ = o.place("/sections/5")
    yield Mutant(
        "section-removed", "\n".join(o.lines[: five - 1] + o.lines[six - 1 :]), "S101", "error", frozenset({five})
    )

    # published on 04-15 of year N+1, after every national deadline
    raw = o.place("/meta/published")[2]
    late = re.sub(
        r"(\d{4})(\D+)\d{1,2}(\D+)\d{1,2}", lambda m: f"{m[1]}{m[2]}{'04' if m[2] == '-' else '4'}{m[3]}15", raw
    )
    text, line = o.replace("/meta/published", late)
    yield Mutant("published-late", text, "D103", "error", frozenset({line}))

    # the statistics period of the year before
    text, line = o.replace("/meta/period", str(year - 1), old=str(year))
    yield Mutant("period-year-before", text, "D101", "error", frozenset({line}))

    # the whole report moved to another year (title, period, date): its tables now show the
    # wrong template — the 2019 tables in a 2021 report (error), the 2021 tables in 2020 (warning)
    moved = 2021 if o.report.template == "2019" else 2020
    level = "error" if moved >= 2021 else "warning"
    lines = list(o.lines)
    for pointer in ("/meta/title", "/meta/period", "/meta/published"):
        line, _, _ = o.place(pointer)
        lines[line - 1] = lines[line - 1].replace(str(year + 1), str(moved + 1)).replace(str(year), str(moved))
    first_cells = {
        o.place(next(p for p in o.report.provenance if p.startswith(f"/tables/{table}/")))[0]
        for table in ("active_disclosure", "applications")
    }
    yield Mutant("template-of-another-year", "\n".join(lines), "D104", level, frozenset(first_cells))


def pasted_2019_table_two(path: Path) -> Mutant:
    """The seed with its table 二 replaced by the 2019 template's: D104 on the pasted table."""
    o = Original.read(path)
    start = next(i for i, text in enumerate(o.lines) if text.strip().startswith("第二十条第"))
    end = next(i for i, text in enumerate(o.lines) if text.strip() == "行政事业性收费") + 2  # its value line
    pasted = "\n\n".join(TABLE_TWO_2019.split("\n")).split("\n")
    lines = o.lines[:start] + pasted + o.lines[end + 1 :]
    label = next(i for i in range(start, len(lines)) if lines[i].strip() == "规章")
    first_value = next(i + 1 for i in range(label + 1, len(lines)) if lines[i].strip())
    return Mutant("pasted-2019-table-two", "\n".join(lines), "D104", "error", frozenset({first_value}))


def write_all(folder: Path) -> list[Path]:
    """Every mutant of every report, as files (for the conformance kit)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, path in REPORTS.items():
        encoding = Original.read(path).encoding
        for m in mutants(path):
            target = folder / f"{name}-{m.name}.txt"
            target.write_bytes(m.text.encode(encoding))
            written.append(target)
    pasted = pasted_2019_table_two(REPORTS["seed"])
    target = folder / f"seed-{pasted.name}.txt"
    target.write_text(pasted.text, encoding="utf-8")
    return [*written, target]
