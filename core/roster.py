"""A roster: the bodies that must publish a report, so that a run can say who has not.

YAML::

    years: [2021]            # optional: the years expected (default: every year the run's reports cover)
    bodies:
      - name: 东乡县人民政府
        kind: government     # government | department | township | other
        aliases: [东乡县]     # optional: other names its reports use
      - name: 东乡县教育局
        kind: department
        parent: 东乡县人民政府  # optional

or CSV with a header row ``name,kind,parent,aliases`` (aliases separated by ``;``).

The roster becomes a document of its own (:class:`~nianbao.model.Report` of model
``nianbao.roster/1``, each body at ``/bodies/N`` with its line in the file as provenance): a
finding about a body that has no report points at the body's line in the roster, so it shows in
every output format as a finding in that file. This module reads the file and says which body a
report is of; the R rules (``nianbao.rules.roster``) judge.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

from nianbao.config import ConfigError
from nianbao.i18n import _, os_reason
from nianbao.model import Report

MODEL = "nianbao.roster/1"
KINDS = ("government", "department", "township", "other")


class RosterError(ConfigError):
    """A roster that cannot be used (the message names the file and the place)."""


def fold(name: str) -> str:
    """A body's name as compared: NFKC, no white space."""
    return "".join(c for c in unicodedata.normalize("NFKC", name) if not c.isspace())


@dataclass(frozen=True)
class Body:
    name: str
    kind: str | None
    parent: str | None
    aliases: tuple[str, ...]
    line: int
    column: int = 1


def _bodies_yaml(text: str, path: str) -> tuple[list[Body], list[int] | None]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        raw = YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise RosterError(_("{file}: not valid YAML: {reason}", file=path, reason=str(exc))) from exc
    if isinstance(raw, list):
        raw = {"bodies": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("bodies"), list):
        raise RosterError(_("{file}: a roster is a list of bodies (or a mapping with 'bodies:')", file=path))
    years = raw.get("years")
    if years is not None and (not isinstance(years, list) or not all(isinstance(y, int) for y in years)):
        raise RosterError(_("{file}: 'years' is a list of years (2021, 2022 …)", file=path))
    bodies = []
    for i, item in enumerate(raw["bodies"]):
        line = item.lc.line + 1 if hasattr(item, "lc") else i + 1
        column = item.lc.col + 1 if hasattr(item, "lc") else 1
        if isinstance(item, str):
            item = {"name": item}
            if hasattr(raw["bodies"], "lc"):
                line, column = raw["bodies"].lc.item(i)[0] + 1, raw["bodies"].lc.item(i)[1] + 1
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise RosterError(_("{file}:{line}: a body needs a name", file=path, line=line))
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        body = _body(path, line, item["name"], item.get("kind"), item.get("parent"), [str(a) for a in aliases])
        bodies.append(Body(body.name, body.kind, body.parent, body.aliases, body.line, column))
    return bodies, list(years) if years else None


def _bodies_csv(text: str, path: str) -> list[Body]:
    import csv

    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise RosterError(_("{file}: the roster is empty", file=path))
    header = [h.strip().lower() for h in rows[0]]
    if "name" not in header:
        raise RosterError(_("{file}: the first row names the columns: name, kind, parent, aliases", file=path))
    bodies = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        if not cells.get("name"):
            raise RosterError(_("{file}:{line}: a body needs a name", file=path, line=number))
        aliases = [a.strip() for a in (cells.get("aliases") or "").split(";") if a.strip()]
        bodies.append(
            _body(path, number, cells["name"], cells.get("kind") or None, cells.get("parent") or None, aliases)
        )
    return bodies


def _body(path: str, line: int, name: str, kind: Any, parent: Any, aliases: list[str]) -> Body:
    if kind is not None and kind not in KINDS:
        raise RosterError(
            _(
                "{file}:{line}: kind must be one of {known}, not {value!r}",
                file=path,
                line=line,
                known=", ".join(KINDS),
                value=kind,
            )
        )
    return Body(name.strip(), kind, str(parent).strip() if parent else None, tuple(aliases), line)


def load(path: str) -> Report:
    """The roster at ``path`` as a document (``nianbao.roster/1``)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise RosterError(_("{file}: cannot read the roster: {reason}", file=path, reason=os_reason(exc))) from exc
    text = data.decode("utf-8-sig", errors="replace")
    if path.lower().endswith(".csv"):
        bodies, years = _bodies_csv(text, path), None
    else:
        bodies, years = _bodies_yaml(text, path)
    names: dict[str, int] = {}
    for b in bodies:
        for n in (b.name, *b.aliases):
            if fold(n) in names and names[fold(n)] != b.line:
                raise RosterError(_("{file}:{line}: {name} is on the roster twice", file=path, line=b.line, name=n))
            names[fold(n)] = b.line
    for b in bodies:
        if b.parent and fold(b.parent) not in names:
            raise RosterError(
                _("{file}:{line}: parent {name} is not on the roster", file=path, line=b.line, name=b.parent)
            )
    fmt = "csv" if path.lower().endswith(".csv") else "yaml"
    return Report(
        {
            "model": MODEL,
            "template": None,
            "source": {"uri": path, "format": f"roster-{fmt}", "sha256": hashlib.sha256(data).hexdigest()},
            "meta": {},
            "years": years,
            "bodies": [
                {"name": b.name, "kind": b.kind, "parent": b.parent, "aliases": list(b.aliases)} for b in bodies
            ],
            "provenance": {
                f"/bodies/{i}": {"raw": b.name, "line": b.line, "column": b.column} for i, b in enumerate(bodies)
            },
        }
    )


def is_roster(report: Report | None) -> bool:
    return report is not None and report.data.get("model") == MODEL


class Index:
    """Which body of the roster a report is of: by its organ's name or an alias (folded)."""

    def __init__(self, roster: Report) -> None:
        self.roster = roster
        self.bodies: list[dict[str, Any]] = roster.data.get("bodies") or []
        self.by_name: dict[str, int] = {}
        for i, b in enumerate(self.bodies):
            for n in (b["name"], *b.get("aliases", [])):
                self.by_name[fold(n)] = i

    def body_of(self, report: Report) -> int | None:
        organ = report.meta.get("organ")
        title = report.meta.get("title") or ""
        if organ and fold(organ) in self.by_name:
            return self.by_name[fold(organ)]
        # a title names the body in full (东乡县人民政府办公室2021年…) where organ is short
        folded = fold(title)
        best = None
        for name, i in self.by_name.items():
            if name and folded.startswith(name) and (best is None or len(name) > len(best[0])):
                best = (name, i)
        return best[1] if best else None

    def children(self, index: int) -> list[int]:
        name = fold(self.bodies[index]["name"])
        return [i for i, b in enumerate(self.bodies) if b.get("parent") and fold(b["parent"]) == name]

    def expected_years(self, reports: list[Report]) -> list[int]:
        years = self.roster.data.get("years")
        if years:
            return sorted(years)
        return sorted({r.year for r in reports if isinstance(r.year, int)})
