"""The findings document (``nianbao.findings/1``, see report-model.md and
schemas/findings.schema.json) exactly as :meth:`RunResult.to_dict` builds it."""

from __future__ import annotations

import json

from nianbao.results import RunResult
from nianbao.textsafe import tree


def render(run: RunResult) -> str:
    # strict JSON whatever a model or a plugin put in: strings made safe, no NaN or Infinity
    return json.dumps(tree(run.to_dict()), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
