"""Runs the selected rules over the loaded reports. It knows no individual rule: it asks the
plugin manager for them, applies the configuration (selection, levels, options), resolves each
finding's location through the report's provenance and records passed / failed / skipped."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, cast

from nianbao import pluginmanager
from nianbao.config import Config
from nianbao.loader import Loaded
from nianbao.model import Finding, Report
from nianbao.results import ReportResult, RunResult
from nianbao.rule import CrossRule, Rule, RuleContext, Skip


def selected_rules(config: Config) -> list[Rule]:
    chosen = []
    for r in pluginmanager.rules():
        if config.selects(r.id):
            level = config.levels.get(r.id, r.level)
            chosen.append(replace(r, level=level) if level != r.level else r)
    return chosen


def locate(report: Report, finding: Finding) -> dict[str, Any]:
    """The file location of a finding: the provenance of its first pointer that has one. A model
    read back from JSON (``source.parsed_from``) has places in another document: the location is
    then the file as a whole, and the pointers say which cell."""
    if report.data.get("source", {}).get("parsed_from"):
        return {"uri": report.uri}
    for pointer in finding.pointers:
        entry = report.provenance.get(pointer)
        if entry:
            return {"uri": report.uri, **{k: v for k, v in entry.items() if k != "raw"}}
    return {"uri": report.uri}


def _stamp(rule: Rule, report: Report, finding: Finding) -> Finding:
    finding.rule = rule.id
    # a rule may set a finding's level itself (e.g. error for one year, warning for another)
    finding.level = finding.level or rule.level
    finding.location = finding.location or locate(report, finding)
    return finding


def _context(rule: Rule, config: Config) -> RuleContext:
    return RuleContext({**rule.options, **config.options.get(rule.id, {})})


def run(
    loaded: Iterable[Loaded],
    config: Config | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> RunResult:
    config = config or Config()
    pluginmanager.configure(config.as_dict())
    rules = selected_rules(config)
    items = list(loaded)
    results: list[ReportResult] = []
    notifications: list[dict[str, Any]] = []

    def crashed(rule: Rule, uri: str, exc: Exception) -> str:
        import traceback  # only when a rule has crashed

        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"rule {rule.id} failed on {uri}: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
        notifications.append({"level": "error", "message": message, "rule": rule.id, "uri": uri})
        return f"the rule itself failed: {type(exc).__name__}: {exc}"

    for index, item in enumerate(items, 1):
        if progress:
            progress(index, len(items), item.uri)
        result = ReportResult(item.uri, item.format, item.report)
        results.append(result)
        if item.error is not None:
            result.error = {"kind": item.error.kind, "message": item.error.message}
            continue
        report = item.report
        assert report is not None
        for rule in rules:
            if isinstance(rule, CrossRule):
                continue
            started = time.perf_counter()
            try:
                found = [_stamp(rule, report, f) for f in rule.check(report, _context(rule, config))]
            except Skip as skip:
                result.skipped[rule.id] = str(skip)
                continue
            except Exception as exc:  # one broken rule must not hide the others' findings
                result.skipped[rule.id] = crashed(rule, report.uri, exc)
                continue
            finally:
                result.seconds[rule.id] = time.perf_counter() - started
            result.findings.extend(found)
            (result.failed if found else result.passed).append(rule.id)

    checked = [r for r in results if r.report is not None]
    for rule in rules:
        if not isinstance(rule, CrossRule):
            continue
        outcome: dict[int, list[Finding] | str] = {}
        try:
            pairs = cast(
                "Iterable[tuple[Report, Finding | Skip]]",
                rule.check([r.report for r in checked], _context(rule, config)),
            )
            for report, what in pairs:
                if isinstance(what, Skip):
                    outcome.setdefault(id(report), str(what))
                else:
                    got = outcome.setdefault(id(report), [])
                    if isinstance(got, list):
                        got.append(_stamp(rule, report, what))
        except Exception as exc:
            reason = crashed(rule, "(several reports)", exc)
            for r in checked:
                r.skipped[rule.id] = reason
            continue
        for r in checked:
            got = outcome.get(id(r.report), [])
            if isinstance(got, str):
                r.skipped[rule.id] = got
            elif got:
                r.findings.extend(got)
                r.failed.append(rule.id)
            else:
                r.passed.append(rule.id)

    for r in checked:
        r.findings.sort(key=lambda f: (_line(f), f.rule or ""))
    return RunResult(results, rules, pluginmanager.plugins(), config.fail_on, notifications)


def _line(finding: Finding) -> tuple[int, int, int]:
    loc = finding.location or {}
    return (loc.get("page", 0), loc.get("line", 0), loc.get("column", 0))
