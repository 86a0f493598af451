"""A rule is a function plus its metadata; the metadata feeds ``nianbao rules``, the docs,
SARIF ``tool.driver.rules`` and JUnit test cases alike."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
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
    "R": N_("Roster"),
}
HELP_URI = "https://github.com/nianbao/nianbao/blob/main/docs/rules.md#{anchor}"
#: The plugin API's version. A plugin may require a minimum with a module attribute
#: ``NIANBAO_API = 2`` next to its hook implementations; nianbao refuses to load it when its own
#: version is lower. 1: positional @rule; 2: keyword @rule with declared Options, help_uri, since,
#: packs, time limits.
API_VERSION = 2


class Skip(Exception):  # noqa: N818 - it is an outcome, not an error
    """Raised by a rule that cannot apply to a report; the message says why."""


#: the types an option may have, and their names in messages and in `nianbao rules ID`
OPTION_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean", list: "list"}


@dataclass(frozen=True)
class Option:
    """One declared option of a rule: its type, default and what it does. The one place the
    default lives: the configuration's ``options`` are checked against it, and ``ctx.option(name)``
    returns it when the configuration does not set the option. ``default=None`` means "not set"."""

    type: type
    default: Any = None
    help: str = ""

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.default is None
        if self.type is float:
            return isinstance(value, int | float) and not isinstance(value, bool)
        if self.type is int:
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, self.type)

    @property
    def type_name(self) -> str:
        return OPTION_TYPES.get(self.type, getattr(self.type, "__name__", str(self.type)))

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "default": self.default, "help": self.help}


def as_option(value: Any) -> Option:
    """A declaration given as a bare default (``{"tolerance": 0}``) is an Option of its type."""
    if isinstance(value, Option):
        return value
    return Option(type=type(value), default=value)


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides the report: its options from the configuration, and the
    documents of the run that are not reports (the roster: ``ctx.document("roster")``)."""

    options: Mapping[str, Any] = field(default_factory=dict)
    documents: Mapping[str, Report] = field(default_factory=dict)
    #: the names of the documents the rule asked for (the engine reports the rule on them)
    consulted: set[str] = field(default_factory=set)

    def option(self, name: str, default: Any = None) -> Any:
        """The configured value, else the declared default (the engine merges both into
        ``options``), else ``default``."""
        value = self.options.get(name)
        return default if value is None else value

    def document(self, name: str) -> Report | None:
        """A document of the run by name (None when the run has none); asking makes the rule
        one that is judged on it too (passed, or failed with its findings)."""
        self.consulted.add(name)
        return self.documents.get(name)


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
    #: option name → :class:`Option` (a bare default is accepted and typed by its value)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: the version of the plugin that introduced the rule
    since: str = ""
    #: an example of the message it gives, for `nianbao rules ID` and the docs
    example: str = ""
    #: set by the plugin manager: the distribution that provides the rule
    plugin: str = ""
    #: set by the plugin manager: the jurisdiction pack the rule belongs to ("" for none)
    pack: str = ""
    #: a precondition of the others (M001, the model conforms to its schema): it runs first,
    #: and when it finds anything on a report no other rule runs on that report
    gate: bool = False

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
    def builtin(self) -> bool:
        return self.plugin in ("", "nianbao")

    @property
    def url(self) -> str:
        """The rule's help page: its own ``help_uri``; nianbao's docs for a rule that ships with
        nianbao; none for a plugin rule that declares none (no link to a page that does not exist)."""
        if self.help_uri:
            return self.help_uri
        return HELP_URI.format(anchor=self.id.lower()) if self.builtin else ""

    @property
    def example_report(self) -> str:
        """A short fragment of a report that triggers the rule (or, for a roster rule, of a
        roster): nianbao's own rules have one in schemas/rule-examples.json; "" for a plugin's."""
        return builtin_examples().get(self.id, "") if self.builtin else ""

    def declared_options(self) -> dict[str, Option]:
        return {name: as_option(value) for name, value in self.options.items()}

    def defaults(self) -> dict[str, Any]:
        return {name: o.default for name, o in self.declared_options().items()}

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
            "options": {name: o.to_dict() for name, o in self.declared_options().items()},
            "since": self.since,
            "example": self.example,
            "example_report": self.example_report,
            "plugin": self.plugin,
            "pack": self.pack,
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
    id: str | None = None,
    name: str | None = None,
    level: str | None = None,
    summary: str | None = None,
    explanation: str = "",
    legal_basis: str = "",
    *,
    help_uri: str = "",
    options: Mapping[str, Any] | None = None,
    since: str = "",
    example: str = "",
    cross: bool = False,
    gate: bool = False,
) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Decorator: turn a check function into a :class:`Rule` (or :class:`CrossRule`).

    Write it with keywords, ``@rule(id="GS101", name="contact-telephone", level="note",
    summary=..., explanation=..., legal_basis=..., help_uri=..., options={"x": Option(int, 3)},
    since="1.0")``; the first six may also be given in that order. Nothing is checked here: the
    plugin manager validates every rule when its plugin registers, naming the plugin."""

    def wrap(func: Callable[..., Iterable[Finding]]) -> Rule:
        cls = CrossRule if cross else Rule
        return cls(
            id=id,  # type: ignore[arg-type]  # validated at registration, with the plugin's name
            name=name,  # type: ignore[arg-type]
            level=level,  # type: ignore[arg-type]
            summary=summary,  # type: ignore[arg-type]
            explanation=inspect.cleandoc(explanation) if isinstance(explanation, str) else explanation,
            legal_basis=legal_basis,
            check=func,
            help_uri=help_uri,
            options={} if options is None else dict(options) if isinstance(options, Mapping) else options,
            since=since,
            example=example,
            gate=gate,
        )

    return wrap


@lru_cache(maxsize=1)
def builtin_examples() -> dict[str, str]:
    """Rule id → example of nianbao's own rules, read on first use (not at start-up)."""
    import json

    from nianbao import schemas

    return {k: v for k, v in json.loads(schemas.text("rule-examples.json")).items() if not k.startswith("$")}


def run_check(rule: Rule, report: Report, ctx: RuleContext) -> list[Finding]:
    """Run a single-report rule to a list (generators are drained here, inside the try)."""
    return list(rule.check(report, ctx))


#: a rule id: an upper-case prefix of its own (T, GS, EX…) and a number: T301, GS101
RULE_ID = re.compile(r"[A-Z]{1,8}[0-9]{1,4}")
#: a rule name: lower-case words joined by hyphens (flake8/pylint style): contact-telephone
RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
OPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LEVEL_NAMES = ("error", "warning", "note")


@dataclass(frozen=True)
class Pack:
    """A jurisdiction pack: the rules of one plugin module, off until enabled (``packs:`` in the
    configuration or ``--pack NAME``). Returned by the module's ``nianbao_pack`` hook."""

    name: str
    region: str
    source: str
    url: str = ""
    description: str = ""
    #: set by the plugin manager
    plugin: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "region": self.region,
            "source": self.source,
            "url": self.url,
            "description": self.description,
            "plugin": self.plugin,
        }


def problems(r: Any) -> list[str]:
    """What is wrong with a rule's declaration (empty when nothing is): checked when its plugin
    registers, so that a mistake is a message naming the plugin rather than a crash later."""
    from nianbao.i18n import _

    if not isinstance(r, Rule):
        return [_("{what!r} is not a rule (decorate the check function with @nianbao.rule(...))", what=r)]
    out = []
    if not isinstance(r.id, str) or not RULE_ID.fullmatch(r.id):
        out.append(_("id {value!r} is not an upper-case prefix and a number, like GS101", value=r.id))
    if not isinstance(r.name, str) or not RULE_NAME.fullmatch(r.name):
        out.append(_("name {value!r} is not lower-case words joined by hyphens, like contact-telephone", value=r.name))
    if r.level not in LEVEL_NAMES:
        out.append(_("level {value!r} is not one of {known}", value=r.level, known=", ".join(LEVEL_NAMES)))
    if not isinstance(r.summary, str) or not r.summary.strip():
        out.append(_("summary is missing (one sentence: what the rule checks)"))
    for key in ("explanation", "legal_basis", "help_uri", "since", "example"):
        if not isinstance(getattr(r, key), str):
            out.append(_("{key} must be a string, not {type}", key=key, type=type(getattr(r, key)).__name__))
    if isinstance(r.help_uri, str) and r.help_uri and not re.match(r"https?://\S+$", r.help_uri):
        out.append(_("help_uri {value!r} is not an http(s) address", value=r.help_uri))
    if not callable(r.check):
        out.append(_("its check is not callable"))
    if not isinstance(r.options, Mapping):
        out.append(_("options must be a mapping of name to nianbao.Option, not {type}", type=type(r.options).__name__))
        return out
    for name, declared in r.options.items():
        if not isinstance(name, str) or not OPTION_NAME.fullmatch(name):
            out.append(_("option name {name!r} is not an identifier", name=name))
            continue
        option = as_option(declared)
        if option.type not in OPTION_TYPES:
            known = ", ".join(t.__name__ for t in OPTION_TYPES)
            given = getattr(option.type, "__name__", option.type)
            if declared is None:
                out.append(_("option {name}: declare Option(type, None) for an option without a default", name=name))
            else:
                out.append(_("option {name}: type {type!r} is not one of {known}", name=name, type=given, known=known))
        elif option.default is not None and not option.accepts(option.default):
            out.append(
                _(
                    "option {name}: default {value!r} is not of type {type}",
                    name=name,
                    value=option.default,
                    type=option.type_name,
                )
            )
        if not isinstance(option.help, str):
            out.append(_("option {name}: help must be a string", name=name))
    return out
