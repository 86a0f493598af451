"""A rule is a function plus its metadata; the metadata feeds ``nianbao rules``, the docs,
SARIF ``tool.driver.rules`` and JUnit test cases alike."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nianbao.i18n import N_, translate

if TYPE_CHECKING:
    from nianbao.model import Finding, Report

#: the areas rule ids are grouped by: the id's letter, and the area's name
AREAS = {
    "M": N_("Report model"),
    "T": N_("Tables"),
    "D": N_("Dates and template"),
    "S": N_("Sections"),
    "N": N_("Narrative against tables"),
    "X": N_("Across reports"),
}
HELP_URI = "https://github.com/nianbao/nianbao/blob/main/docs/rules.md#{anchor}"


class Skip(Exception):  # noqa: N818 - it is an outcome, not an error
    """Raised by a rule that cannot apply to a report; the message says why."""


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides the report: its options from the configuration."""

    options: Mapping[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class Rule:
    """A check of one report.

    ``id`` is stable and grouped by area (T tables, D dates and template, S sections, M model,
    N narrative, X across reports); ``level`` is the default one (error, warning, note).
    ``check(report, ctx)`` yields :class:`~nianbao.model.Finding` objects or raises :class:`Skip`.
    """

    id: str
    name: str
    level: str
    summary: str
    explanation: str
    legal_basis: str
    check: Callable[..., Iterable[Finding]]
    help_uri: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    #: set by the plugin manager: the distribution that provides the rule
    plugin: str = ""

    @property
    def area(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def area_name(self) -> str:
        """The area's name for a built-in letter (Tables, …), else the id's prefix itself (EX),
        in the run's language."""
        return translate(AREAS.get(self.area, self.area))

    @property
    def title(self) -> str:
        """The rule's name for people, in the run's language (``name`` stays the stable slug)."""
        return translate(self.name)

    def text(self, field: str) -> str:
        """``summary``, ``explanation`` or ``legal_basis`` in the run's language."""
        return translate(getattr(self, field))

    @property
    def url(self) -> str:
        return self.help_uri or HELP_URI.format(anchor=self.id.lower())

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "level": self.level,
            "summary": self.text("summary"),
            "explanation": self.text("explanation"),
            "legal_basis": self.text("legal_basis"),
            "help_uri": self.url,
            "options": dict(self.options),
            "plugin": self.plugin,
            "scope": "corpus" if isinstance(self, CrossRule) else "report",
        }


@dataclass(frozen=True)
class CrossRule(Rule):
    """A check across the reports of one run (the same organ over years, say).

    ``check(reports, ctx)`` receives every :class:`~nianbao.model.Report` that was read and
    yields ``(report, Finding)`` pairs, or ``(report, Skip(reason))`` for a report it cannot
    judge. A report it yields nothing for has passed.
    """


def rule(
    id: str,
    name: str,
    level: str,
    summary: str,
    explanation: str,
    legal_basis: str = "",
    *,
    options: Mapping[str, Any] | None = None,
    cross: bool = False,
) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Decorator: turn a check function into a :class:`Rule` (or :class:`CrossRule`)."""

    def wrap(func: Callable[..., Iterable[Finding]]) -> Rule:
        cls = CrossRule if cross else Rule
        return cls(
            id=id,
            name=name,
            level=level,
            summary=summary,
            explanation=inspect.cleandoc(explanation),
            legal_basis=legal_basis,
            check=func,
            options=dict(options or {}),
        )

    return wrap


def run_check(rule: Rule, report: Report, ctx: RuleContext) -> list[Finding]:
    """Run a single-report rule to a list (generators are drained here, inside the try)."""
    return list(rule.check(report, ctx))
