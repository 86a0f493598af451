"""The findings document (``nianbao.findings/1``, see report-model.md and
schemas/findings.schema.json) exactly as :meth:`RunResult.to_dict` builds it, written one report
at a time: the bytes are those of ``json.dumps(run.to_dict(), indent=2)``."""

from __future__ import annotations

import json
from typing import Any, TextIO

from nianbao.reporters import through
from nianbao.results import ReportResult, RunResult
from nianbao.textsafe import dumps

_INDENT = " " * 4  # a report sits two levels down: {"reports": [ … ]}


class Writer:
    """The document's head, then each report as it comes, then what only the end of the run
    knows (internal errors, waivers, baseline): the keys in the order of ``run.to_dict()``."""

    def __init__(self, run: RunResult, out: TextIO, **_: Any) -> None:
        self.run, self.out = run, out
        self.first = True
        self.keys = list(self._doc())
        head = self.keys[: self.keys.index("reports")]
        doc = self._doc()
        out.write("{\n" + "".join(f"  {json.dumps(k)}: {dumps(doc[k])},\n" for k in head) + '  "reports": [')

    def _doc(self) -> dict[str, Any]:
        return RunResult([], self.run.rules, self.run.plugins, **_fields(self.run)).to_dict()

    def add(self, result: ReportResult) -> None:
        text = dumps(result.to_dict())
        self.out.write(("\n" if self.first else ",\n") + _INDENT + text.replace("\n", "\n" + _INDENT))
        self.first = False

    def close(self) -> None:
        self.out.write("]" if self.first else "\n  ]")
        doc = self._doc()
        keys = list(doc)
        for key in keys[keys.index("reports") + 1 :]:
            self.out.write(f",\n  {json.dumps(key)}: " + dumps(doc[key]).replace("\n", "\n  "))
        self.out.write("\n}\n")


def _fields(run: RunResult) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(run, f.name) for f in fields(run) if f.name not in ("results", "rules", "plugins")}


def render(run: RunResult) -> str:
    return through(Writer, run)
