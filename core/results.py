"""What a run produced: per input, its status, findings and the outcome of every rule.
``RunResult.to_dict()`` is the findings document (``nianbao.findings/1``); every reporter
reads this, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao import i18n
from nianbao.model import FINDINGS_MODEL, LEVELS, Finding, Report
from nianbao.pluginmanager import PluginInfo
from nianbao.rule import Pack, Rule


@dataclass
class ReportResult:
    uri: str
    format: str | None
    report: Report | None = None
    error: dict[str, str] | None = None  # {"kind", "message"} when the file could not be read
    findings: list[Finding] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    #: rule id → why the rule itself failed on this report (it raised, or ran past its time limit)
    errored: dict[str, str] = field(default_factory=dict)
    #: seconds each single-report rule took on this report (JUnit testcase times); not in to_dict()
    seconds: dict[str, float] = field(default_factory=dict)
    #: why the rules did not run on the report: a gate rule (M001) failed on it; else None
    blocked: str | None = None

    @property
    def status(self) -> str:
        return "error" if self.error else "checked"

    @property
    def template(self) -> str | None:
        return self.report.template if self.report else None

    def findings_of(self, rule_id: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule_id]

    def to_dict(self) -> dict[str, Any]:
        source: dict[str, Any] = {"uri": self.uri, "format": self.format}
        if self.report is not None:
            given = self.report.data.get("source")
            given = given if isinstance(given, dict) else {}  # a model from elsewhere may have anything
            source = {k: v for k, v in given.items() if k in ("uri", "format", "sha256")}
        return {
            "source": source,
            "template": self.template,
            "status": self.status,
            "error": self.error,
            "findings": [f.to_dict() for f in self.findings],
            "rules": {"passed": self.passed, "failed": self.failed, "skipped": self.skipped, "errored": self.errored},
        }


@dataclass
class Totals:
    """What the summary line and the exit status need, added up as results stream past."""

    files: int = 0
    unreadable: int = 0
    #: results with a rule that crashed or ran past its time limit, and how many rules that was
    errored: int = 0
    rule_failures: int = 0
    #: findings by level; waived ones apart, under "waived"
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*LEVELS, "waived"), 0))

    def add(self, result: ReportResult) -> None:
        self.files += 1
        self.unreadable += result.error is not None
        self.errored += bool(result.errored)
        self.rule_failures += len(result.errored)
        for f in result.findings:
            self.levels["waived" if f.waived else f.level or "error"] += 1

    def failing(self, fail_on: str) -> bool:
        """An unreadable file, or a finding (not waived) at or above ``fail_on``."""
        worst = LEVELS.index(fail_on)
        return self.unreadable > 0 or any(self.levels[level] for level in LEVELS[: worst + 1])


@dataclass
class RunResult:
    """A run: its rules and plugins, and either every result (``results``, in memory) or, when
    the results were streamed to the reporters one by one, only their ``streamed`` totals."""

    results: list[ReportResult]
    rules: list[Rule]
    plugins: list[PluginInfo]
    fail_on: str = "error"
    #: problems of the run itself (a rule that crashed), for SARIF toolExecutionNotifications
    notifications: list[dict[str, Any]] = field(default_factory=list)
    #: the language of every message of the run (zh, en): the one in use when the run was made
    language: str = field(default_factory=i18n.language)
    #: problems of the configuration that do not stop the run (an expired or unused waiver), for
    #: SARIF toolConfigurationNotifications
    config_notifications: list[dict[str, Any]] = field(default_factory=list)
    #: every waiver of the configuration with its status (used, unused, expired)
    waivers: list[dict[str, Any]] = field(default_factory=list)
    #: with --baseline: {"path", "unchanged": findings left out, "absent": entries no longer found}
    baseline: dict[str, Any] | None = None
    #: the jurisdiction packs enabled for the run
    packs: list[Pack] = field(default_factory=list)
    #: inputs not checked, each {"uri", "kind", "message"[, "same_as"]} (loader.Skipped): the same
    #: file as another reached first; they change no exit status
    skipped_files: list[dict[str, str]] = field(default_factory=list)

    streamed: Totals | None = None

    @property
    def totals(self) -> Totals:
        if self.streamed is not None:
            return self.streamed
        totals = Totals()
        for r in self.results:
            totals.add(r)
        return totals

    def counts(self) -> dict[str, int]:
        """Findings by level; waived ones apart, under "waived"."""
        return dict(self.totals.levels)

    def fails(self, finding: Finding) -> bool:
        """True when the finding counts: at or above ``fail_on`` and not waived."""
        return not finding.waived and LEVELS.index(finding.level or "error") <= LEVELS.index(self.fail_on)

    def failing(self) -> bool:
        """True when the exit status should be 1: a finding at or above ``fail_on``, or a file
        that could not be read."""
        return self.totals.failing(self.fail_on)

    def internal_errors(self) -> bool:
        """True when a rule crashed or ran past its time limit: exit status 3."""
        return bool(self.notifications) or self.totals.errored > 0

    def exit_status(self) -> int:
        """3 a rule failed (internal error); 1 a finding at or above ``fail_on`` or an unreadable
        file; 0 otherwise. (2, a usage or configuration error, is the command line's.)"""
        if self.internal_errors():
            return 3
        return 1 if self.failing() else 0

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "model": FINDINGS_MODEL,
            "language": self.language,
            "reports": [r.to_dict() for r in self.results],
        }
        if self.notifications:
            doc["internal_errors"] = [
                {k: n[k] for k in ("rule", "plugin", "uri", "kind", "message") if k in n} for n in self.notifications
            ]
        if self.waivers:
            doc["waivers"] = self.waivers
        if self.baseline is not None:
            doc["baseline"] = self.baseline
        if self.skipped_files:
            doc["skipped_files"] = self.skipped_files
        return doc
