"""What a run produced: per input, its status, findings and the outcome of every rule.
``RunResult.to_dict()`` is the findings document (``nianbao.findings/1``); every reporter
reads this, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nianbao import i18n
from nianbao.model import FINDINGS_MODEL, LEVELS, Finding, Report
from nianbao.pluginmanager import PluginInfo
from nianbao.rule import Rule


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
    #: seconds each single-report rule took on this report (JUnit testcase times); not in to_dict()
    seconds: dict[str, float] = field(default_factory=dict)

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
            source = {k: v for k, v in self.report.data.get("source", {}).items() if k in ("uri", "format", "sha256")}
        return {
            "source": source,
            "template": self.template,
            "status": self.status,
            "error": self.error,
            "findings": [f.to_dict() for f in self.findings],
            "rules": {"passed": self.passed, "failed": self.failed, "skipped": self.skipped},
        }


@dataclass
class RunResult:
    results: list[ReportResult]
    rules: list[Rule]
    plugins: list[PluginInfo]
    fail_on: str = "error"
    #: problems of the run itself (a rule that crashed), for SARIF toolExecutionNotifications
    notifications: list[dict[str, Any]] = field(default_factory=list)
    #: the language of every message of the run (zh, en): the one in use when the run was made
    language: str = field(default_factory=i18n.language)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(LEVELS, 0)
        for r in self.results:
            for f in r.findings:
                out[f.level or "error"] += 1
        return out

    def failing(self) -> bool:
        """True when the exit status should be 1: a finding at or above ``fail_on``, or a file
        that could not be read."""
        worst = LEVELS.index(self.fail_on)
        return any(r.error for r in self.results) or any(
            LEVELS.index(f.level or "error") <= worst for r in self.results for f in r.findings
        )

    def to_dict(self) -> dict[str, Any]:
        return {"model": FINDINGS_MODEL, "language": self.language, "reports": [r.to_dict() for r in self.results]}
