"""(being written)"""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.rule import Rule


@hookimpl
def nianbao_rules() -> list[Rule]:
    return []
