"""The findings document (``nianbao.findings/1``, see report-model.md and
schemas/findings.schema.json) exactly as :meth:`RunResult.to_dict` builds it."""

from __future__ import annotations

import json

from nianbao.results import RunResult


def render(run: RunResult) -> str:
    return json.dumps(run.to_dict(), ensure_ascii=False, indent=2) + "\n"
