"""nianbao: a checker for government information-disclosure annual reports (政府信息公开工作年度报告).

The names below are imported on first use (``nianbao.Rule``, ``from nianbao import rule``): the
``nianbao`` command imports this package before its ``main`` runs, and the rule and model classes
defined then were compiled without start-up's stores (the code of dataclasses, the regex
programs) and with the collector running; first used inside ``main`` they have both.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nianbao.hookspecs import hookimpl
    from nianbao.model import Finding, Fix, Report, derived
    from nianbao.rule import API_VERSION, CrossRule, Option, Pack, Rule, RuleContext, Skip, rule

__version__ = "0.1.0"

__all__ = [
    "API_VERSION",
    "CrossRule",
    "Finding",
    "Fix",
    "Option",
    "Pack",
    "Report",
    "Rule",
    "RuleContext",
    "Skip",
    "__version__",
    "derived",
    "hookimpl",
    "rule",
]

#: the module defining each name of the API
_HOME = {
    "hookimpl": "nianbao.hookspecs",
    **dict.fromkeys(("Finding", "Fix", "Report", "derived"), "nianbao.model"),
    **dict.fromkeys(("API_VERSION", "CrossRule", "Option", "Pack", "Rule", "RuleContext", "Skip"), "nianbao.rule"),
    "rule": "nianbao.rule",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # importing the submodule nianbao.rule binds it here, under the name of the decorator
        # nianbao.rule that it defines: the package's name stays the decorator
        if name == "rule" and isinstance(value, types.ModuleType):
            value = value.rule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
