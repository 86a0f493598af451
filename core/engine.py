"""Runs the selected rules over the loaded reports. It knows no individual rule: it asks the
plugin manager for them, applies the configuration (selection, levels, options), resolves each
finding's location through the report's provenance and records passed / failed / skipped.

Two entry points share the same steps: :func:`run` checks reports already in memory (the API
and the tests); :mod:`nianbao.runner` checks files in worker processes and streams the results
without keeping the reports (the command line). The steps: :func:`check_report` (one report,
single-report rules), :func:`cross_check` (every report, cross-report rules), :func:`merge` (a
report's cross-report outcomes), :func:`conclude` (waivers, packs: what the run as a whole says).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from nianbao import limits, pluginmanager
from nianbao.config import Config
from nianbao.i18n import _
from nianbao.loader import Loaded
from nianbao.model import Finding, Report
from nianbao.results import ReportResult, RunResult
from nianbao.rule import CrossRule, Rule, RuleContext, Skip

#: a cross-report rule's outcome for one report: its findings, or the reason it was skipped
Outcome = list[Finding] | str


def selected_rules(config: Config) -> list[Rule]:
    """The rules the configuration selects; a jurisdiction pack's only when the pack is enabled."""
    chosen = []
    for r in pluginmanager.rules():
        if r.pack and r.pack not in config.packs:
            continue
        if config.selects(r.id):
            level = config.levels.get(r.id, r.level)
            chosen.append(replace(r, level=level) if level != r.level else r)
    return chosen


def locate(report: Report, finding: Finding) -> dict[str, Any]:
    """The file location of a finding: the provenance of its first pointer that has one. A model
    read back from JSON (``source.parsed_from``) has places in another document: the location is
    then the file as a whole, and the pointers say which cell."""
    source = report.data.get("source")
    if isinstance(source, dict) and source.get("parsed_from"):
        return {"uri": report.uri}
    for pointer in finding.pointers:
        entry = report.provenance.get(pointer)
        if entry and isinstance(entry, dict):
            # a place, not what was read there (raw text, an OCR's confidence)
            place = {k: v for k, v in entry.items() if k not in ("raw", "ocr") and _place(k, v)}
            return {"uri": report.uri, **place}
    return {"uri": report.uri}


_PLACES = ("line", "column", "page", "paragraph", "table", "row", "cell")


def _place(key: str, value: Any) -> bool:
    """A place a location can carry: a count from 1 (a model from elsewhere may hold a line of
    -3 or "x", which no SARIF region or editor takes)."""
    if key in _PLACES:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if key == "element":
        return isinstance(value, dict) and all(_place(k, value.get(k)) for k in ("line", "column"))
    return True


def _stamp(rule: Rule, report: Report, finding: Finding) -> Finding:
    finding.rule = rule.id
    # a rule may set a finding's level itself (e.g. error for one year, warning for another)
    finding.level = finding.level or rule.level
    finding.location = finding.location or locate(report, finding)
    return finding


def _context(rule: Rule, config: Config, documents: dict[str, Report] | None = None) -> RuleContext:
    return RuleContext({**rule.defaults(), **config.options.get(rule.id, {})}, documents or {})


def documents(config: Config) -> dict[str, Report]:
    """The documents of the run that are not reports: the roster, when one is configured."""
    if not config.roster:
        return {}
    from nianbao import roster

    return {"roster": roster.load(config.roster)}


def internal_error(rule: Rule, uri: str, exc: BaseException) -> dict[str, str]:
    """A rule that raised (other than Skip) or ran past its time limit: a fault of nianbao or of
    the plugin, not of the report. The notification names the rule, the file and the plugin's
    distribution; ``reason`` is what the rule's outcome on that report says."""

    plugin = rule.plugin or "nianbao"
    if isinstance(exc, limits.RuleTimeout):
        what, kind = _("ran past its time limit of {seconds:g} s and was stopped", seconds=exc.seconds), "timeout"
    else:
        import traceback  # only when a rule has crashed

        frames = traceback.extract_tb(exc.__traceback__)
        where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
        what, kind = _("raised {error}: {reason}", error=type(exc).__name__, reason=exc) + where, "crash"
    return {
        "level": "error",
        "kind": kind,
        "message": _(
            "rule {rule} (plugin {plugin}) {what} on {file}", rule=rule.id, plugin=plugin, what=what, file=uri
        ),
        "reason": _("internal error: the rule {what} (plugin {plugin})", what=what, plugin=plugin),
        "rule": rule.id,
        "plugin": plugin,
        "uri": uri,
    }


def run_rule(
    rule: Rule,
    report: Report,
    ctx: RuleContext,
    seconds: float | None,
    timer: limits.RuleTimer | None = None,
) -> tuple[str, list[Finding] | str | BaseException]:
    """One single-report rule on one report, under its time limit (``timer``'s when given: one
    for all the rules of a report): ("checked", findings), ("skipped", reason) or ("errored",
    the exception)."""
    try:
        with timer.limit() if timer is not None else limits.time_limit(seconds):
            found = [_stamp(rule, report, f) for f in rule.check(report, ctx)]
    except Skip as skip:
        return "skipped", str(skip)
    except (Exception, limits.RuleTimeout) as exc:  # one broken rule must not hide the others' findings
        return "errored", exc
    return "checked", found


@dataclass
class Notes:
    """Problems of the run itself (a rule that crashed or ran past its time limit), for SARIF
    toolExecutionNotifications and exit status 3."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def crashed(self, rule: Rule, uri: str, exc: BaseException) -> str:
        note = internal_error(rule, uri, exc)
        self.items.append(note)
        return str(note["reason"])


def check_report(item: Loaded, rules: Sequence[Rule], config: Config, notes: Notes) -> ReportResult:
    """One input through every selected single-report rule (cross-report rules are left to
    :func:`cross_check`); a file that could not be read becomes an error result."""
    result = ReportResult(item.uri, item.format, item.report)
    if item.error is not None:
        result.error = {"kind": item.error.kind, "message": item.error.message}
        return result
    report = item.report
    assert report is not None
    plan = _plan(rules, config)
    texts = (s.get("text") for s in report.sections if isinstance(s, dict))
    chars = sum(len(t) for t in texts if isinstance(t, str))
    timer = limits.RuleTimer(limits.rule_seconds(config.rule_time_limit, chars)).open()
    try:
        _check_rules(report, plan, result, timer, notes)
    finally:
        timer.close()
    # outcomes in the rules' order, whichever ran first
    result.passed.sort(key=plan.order.__getitem__)
    result.failed.sort(key=plan.order.__getitem__)
    return result


@dataclass
class _Plan:
    """The single-report rules of a run, gates first, each with its options: worked out once
    per run (per list of rules and configuration), not once per report."""

    rules: list[tuple[Rule, dict[str, Any]]]
    order: dict[str, int]


_PLANS: dict[tuple[int, ...], tuple[list[Rule], Config, _Plan]] = {}


def _plan(rules: Sequence[Rule], config: Config) -> _Plan:
    # by the identity of the configuration and of each rule (both kept with the plan, so no id
    # is reused meanwhile): a list that changes gets a plan of its own
    key = (id(config), id(config.options), *map(id, rules))
    found = _PLANS.get(key)
    if found is not None:
        return found[2]
    ordered = [r for r in sorted(rules, key=lambda r: not r.gate) if not isinstance(r, CrossRule)]
    options = [(r, {**r.defaults(), **config.options.get(r.id, {})}) for r in ordered]
    plan = _Plan(options, {r.id: i for i, r in enumerate(rules)})
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[key] = (list(rules), config, plan)
    return plan


def _check_rules(report: Report, plan: _Plan, result: ReportResult, timer: limits.RuleTimer, notes: Notes) -> None:
    clock = time.perf_counter
    for rule, options in plan.rules:
        if result.blocked is not None:
            result.skipped[rule.id] = result.blocked
            continue
        started = clock()
        # a context of its own for each run (a rule may note what it consulted), its options copied
        state, what = run_rule(rule, report, RuleContext(dict(options)), None, timer)
        result.seconds[rule.id] = clock() - started
        if state == "skipped":
            result.skipped[rule.id] = str(what)
        elif isinstance(what, BaseException):
            result.errored[rule.id] = notes.crashed(rule, report.uri, what)
            if rule.gate:  # a gate that could not vouch for the model vouches for nothing
                result.blocked = _blocked(rule)
        else:
            assert isinstance(what, list)
            result.findings.extend(what)
            (result.failed if what else result.passed).append(rule.id)
            if what and rule.gate:
                # a model that does not conform is not one the rules were written for (a
                # count that is a string, a table that is a list): they do not see it
                result.blocked = _blocked(rule)


def cross_ready(result: ReportResult) -> bool:
    """Does the report take part in the cross-report rules (read, and not blocked by a gate)?"""
    return result.report is not None and result.blocked is None


def cross_check(
    rules: Sequence[Rule],
    reports: Sequence[Report],
    config: Config,
    notes: Notes,
    keep: Callable[[dict[int, Outcome]], Mapping[int, Outcome]] | None = None,
) -> tuple[dict[str, Mapping[int, Outcome]], list[ReportResult]]:
    """Every selected cross-report rule over ``reports``: per rule id, per report's index in
    ``reports``, its findings or the reason it was skipped (a report absent from a rule's map has
    passed it; a rule that crashed maps :data:`ERRORED` to the reason); and the results of the
    run's documents that are not reports (the roster), in full. ``keep`` turns each rule's map
    into the form it is kept in until the results are merged (a runner over 100,000 reports
    compacts it)."""
    docs = documents(config)
    doc_results = {id(d): ReportResult(d.uri, d.data.get("source", {}).get("format"), d) for d in docs.values()}
    index = {id(r): i for i, r in enumerate(reports)}
    index.update({id(d): len(reports) + k for k, d in enumerate(docs.values())})
    out: dict[str, Mapping[int, Outcome]] = {}
    for rule in rules:
        if not isinstance(rule, CrossRule):
            continue
        outcome: dict[int, Outcome] = {}
        # a cross-report rule looks at every report: its limit grows with their number
        limit = config.rule_time_limit * max(1, len(reports)) if config.rule_time_limit else None
        ctx = _context(rule, config, docs)
        try:
            with limits.time_limit(limit):
                pairs = cast("Iterable[tuple[Report, Finding | Skip]]", rule.check(reports, ctx))
                for report, what in pairs:
                    at = index[id(report)]
                    if isinstance(what, Skip):
                        outcome.setdefault(at, str(what))
                    else:
                        got = outcome.setdefault(at, [])
                        if isinstance(got, list):
                            got.append(_stamp(rule, report, what))
        except (Exception, limits.RuleTimeout) as exc:
            out[rule.id] = {ERRORED: crashed_reason(notes, rule, exc)}
            continue
        for name, doc in docs.items():
            got = outcome.get(index[id(doc)], [])
            if name not in ctx.consulted and not got:
                continue  # a rule that never looked at the document is not judged on it
            _record(doc_results[id(doc)], rule.id, got)
        out[rule.id] = keep(outcome) if keep is not None else outcome
    for dr in doc_results.values():
        finish(dr)
    return out, list(doc_results.values())


#: the key under which :func:`cross_check` records that a cross-report rule crashed
ERRORED = -1


def crashed_reason(notes: Notes, rule: Rule, exc: BaseException) -> str:
    return notes.crashed(rule, _("(several reports)"), exc)


def merge(
    result: ReportResult, rules: Sequence[Rule], outcomes: Mapping[str, Mapping[int, Outcome]], at: int | None
) -> None:
    """Add the cross-report rules' outcomes for the report at index ``at`` (None: a report that
    took no part, blocked by a gate), then put the findings in their final order."""
    for rule in rules:
        if not isinstance(rule, CrossRule) or rule.id not in outcomes:
            continue
        if at is None:
            if result.blocked is not None:
                result.skipped[rule.id] = result.blocked
            continue
        found = outcomes[rule.id]
        if ERRORED in found:
            result.errored[rule.id] = str(found[ERRORED])
            continue
        _record(result, rule.id, found.get(at, []))
    finish(result)


def _record(result: ReportResult, rule_id: str, got: Outcome) -> None:
    """One rule's outcome on one report: skipped (a reason), failed (findings) or passed."""
    if isinstance(got, str):
        result.skipped[rule_id] = got
    elif got:
        result.findings.extend(got)
        result.failed.append(rule_id)
    else:
        result.passed.append(rule_id)


def finish(result: ReportResult) -> None:
    if cross_ready(result):
        result.findings.sort(key=lambda f: (_line(f), f.rule or ""))


class Conclusion:
    """What the run as a whole says once its results are known, applied result by result as
    they stream past: waivers (each finding one covers is marked; each waiver's use counted)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.today = date.today()
        self.declared: list[Any] = []
        if config.waivers:
            from nianbao import waivers

            self.declared = waivers.parse(config, {r.id for r in pluginmanager.rules()})

    def add(self, result: ReportResult) -> None:
        if self.declared:
            from nianbao import waivers

            waivers.apply(self.declared, [result], self.today)

    def close(self, run: RunResult) -> None:
        run.packs = [p for p in pluginmanager.packs() if p.name in self.config.packs]
        if self.config.waivers:
            from nianbao import waivers

            run.waivers = [w.to_dict(self.today) for w in self.declared]
            run.config_notifications = waivers.notices(self.declared, self.today)


def run(
    loaded: Iterable[Loaded],
    config: Config | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> RunResult:
    """Check reports in memory; every result keeps its report."""
    config = config or Config()
    pluginmanager.configure(config.as_dict())
    rules = selected_rules(config)
    items = list(loaded)
    notes = Notes()
    results: list[ReportResult] = []
    for index, item in enumerate(items, 1):
        if progress:
            progress(index, len(items), item.uri)
        results.append(check_report(item, rules, config, notes))
    taking_part = [r for r in results if cross_ready(r)]
    outcomes, doc_results = cross_check(rules, [r.report for r in taking_part if r.report is not None], config, notes)
    at = {id(r): i for i, r in enumerate(taking_part)}
    conclusion = Conclusion(config)
    for r in results:
        merge(r, rules, outcomes, at.get(id(r)))
    # a document (the roster) is an input of the run too: its findings (a body without a report)
    # point at its lines, so it appears in every output format like a report file
    results += doc_results
    for r in results:
        conclusion.add(r)
    run = RunResult(results, rules, pluginmanager.plugins(), config.fail_on, notes.items)
    conclusion.close(run)
    return run


def _blocked(gate: Rule) -> str:
    return _("not run: the report failed {rule}, a precondition of the other rules", rule=gate.id)


def _line(finding: Finding) -> tuple[int, int, int]:
    loc = finding.location or {}
    return (loc.get("page", 0), loc.get("line", 0), loc.get("column", 0))
