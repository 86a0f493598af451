"""nianbao: a checker for government information-disclosure annual reports (政府信息公开工作年度报告)."""

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
