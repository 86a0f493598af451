"""Findings accepted on purpose: waivers (configuration key ``waivers``) and baselines
(``--write-baseline FILE`` / ``--baseline FILE``).

A waiver names a rule, the reports it covers (a path glob, or organ and year), optionally one
cell (a JSON pointer), a reason and an expiry date::

    waivers:
      - rule: T203
        reports: "reports/2021/*.txt"       # or: organ: 东乡县人民政府, year: 2021
        pointer: /tables/disclosure/fees/amount
        reason: the fee is in 元 in this county's form, agreed with the province on 2026-03-02
        expires: 2027-06-30

A waived finding stays in every output, marked as waived, and does not count for the exit
status. A waiver past its expiry date covers nothing and is reported, as is one that covered
nothing.

A baseline records findings by their content — rule, organ, year, the pointers and the values
at them, the rule's comparison key — never by line numbers or file names, so re-formatting or
renaming a report does not break it. With ``--baseline`` only findings not in it are reported.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nianbao.config import Config, ConfigError
from nianbao.i18n import _, os_reason
from nianbao.model import Finding, Report
from nianbao.normalize import key as fold

BASELINE_MODEL = "nianbao.baseline/1"


@dataclass
class Waiver:
    rule: str
    reason: str
    expires: dt.date
    reports: list[str] = field(default_factory=list)
    organ: str | None = None
    year: int | None = None
    pointer: str | None = None
    #: where it is written, ``nianbao.yaml:14``
    where: str = ""
    used: int = 0
    #: findings it would have covered had it not expired
    would_cover: int = 0

    def expired(self, today: dt.date) -> bool:
        return self.expires < today

    def covers(self, uri: str, report: Report | None, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        if self.pointer is not None and self.pointer not in finding.pointers:
            return False
        if self.reports:
            path = uri.replace("\\", "/").removeprefix("./")
            return any(fnmatch.fnmatchcase(path, pattern.removeprefix("./")) for pattern in self.reports)
        if report is None:
            return False
        organ = report.meta.get("organ")
        return (
            isinstance(organ, str)
            and self.organ is not None
            and fold(organ) == fold(self.organ)
            and (self.year is None or report.year == self.year)
        )

    def status(self, today: dt.date) -> str:
        if self.expired(today):
            return "expired"
        return "used" if self.used else "unused"

    def describe(self) -> str:
        scope = ", ".join(self.reports) if self.reports else f"{self.organ} {self.year or ''}".strip()
        cell = f" {self.pointer}" if self.pointer else ""
        return _(
            "waiver of {rule} for {scope}{cell} ({where})", rule=self.rule, scope=scope, cell=cell, where=self.where
        )

    def to_dict(self, today: dt.date) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
            "status": self.status(today),
            "findings": self.used,
        }
        if self.reports:
            out["reports"] = self.reports
        if self.organ is not None:
            out["organ"] = self.organ
        if self.year is not None:
            out["year"] = self.year
        if self.pointer is not None:
            out["pointer"] = self.pointer
        return out


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(
        _("{path}: waivers: expires must be a date like 2027-06-30, not {value!r}", path=where, value=value)
    )


def parse(cfg: Config, rule_ids: set[str]) -> list[Waiver]:
    """The configuration's waivers, checked: a mistake is a ConfigError at its line."""
    out = []
    allowed = {"rule", "reports", "organ", "year", "pointer", "reason", "expires"}
    for index, raw in enumerate(cfg.waivers):
        where = cfg.where("waivers", index)
        extra = sorted(str(k) for k in raw if k not in allowed)
        if extra:
            raise ConfigError(
                _(
                    "{path}: waivers: unknown key(s) {keys}; known: {known}",
                    path=where,
                    keys=", ".join(extra),
                    known=", ".join(sorted(allowed)),
                )
            )
        rule = raw.get("rule")
        if not isinstance(rule, str) or rule not in rule_ids:
            raise ConfigError(
                _(
                    "{path}: waivers: rule {rule!r} is not a rule id (see `nianbao rules`)",
                    path=cfg.where("waivers", index, "rule"),
                    rule=rule,
                )
            )
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(_("{path}: waivers: a waiver of {rule} needs a reason", path=where, rule=rule))
        if "expires" not in raw:
            raise ConfigError(
                _(
                    "{path}: waivers: a waiver of {rule} needs an expiry date (expires: 2027-06-30)",
                    path=where,
                    rule=rule,
                )
            )
        expires = _date(raw["expires"], cfg.where("waivers", index, "expires"))
        reports = raw.get("reports")
        if isinstance(reports, str):
            reports = [reports]
        if reports is not None and (not isinstance(reports, list) or not all(isinstance(r, str) for r in reports)):
            raise ConfigError(_("{path}: waivers: reports is a path glob or a list of them", path=where))
        organ, year = raw.get("organ"), raw.get("year")
        if not reports and not isinstance(organ, str):
            raise ConfigError(
                _(
                    "{path}: waivers: a waiver of {rule} names the reports it covers "
                    "(reports: GLOB, or organ and year)",
                    path=where,
                    rule=rule,
                )
            )
        if reports and organ is not None:
            raise ConfigError(_("{path}: waivers: give reports or organ (and year), not both", path=where))
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise ConfigError(_("{path}: waivers: year must be a year like 2021, not {year!r}", path=where, year=year))
        pointer = raw.get("pointer")
        if pointer is not None and (not isinstance(pointer, str) or not pointer.startswith("/")):
            raise ConfigError(
                _(
                    "{path}: waivers: pointer must be a JSON pointer like /tables/applications/…, not {pointer!r}",
                    path=where,
                    pointer=pointer,
                )
            )
        out.append(Waiver(rule, reason.strip(), expires, reports or [], organ, year, pointer, where))
    return out


def apply(waivers: list[Waiver], results: list[Any], today: dt.date | None = None) -> None:
    """Marks every finding a live waiver covers (``finding.waived``); counts what each covered."""
    today = today or dt.date.today()
    for result in results:
        for finding in result.findings:
            for waiver in waivers:
                if not waiver.covers(result.uri, result.report, finding):
                    continue
                if waiver.expired(today):
                    waiver.would_cover += 1
                    continue
                waiver.used += 1
                finding.waived = {"reason": waiver.reason, "expires": waiver.expires.isoformat()}
                if waiver.pointer:
                    finding.waived["pointer"] = waiver.pointer
                break


def notices(waivers: list[Waiver], today: dt.date | None = None) -> list[dict[str, Any]]:
    """An expired or unused waiver, as a configuration notification (warning)."""
    today = today or dt.date.today()
    out = []
    for w in waivers:
        if w.expired(today):
            text = _("{waiver} expired on {date}", waiver=w.describe(), date=w.expires.isoformat())
            if w.would_cover:
                text += _("; it would cover {n} finding(s), which now count", n=w.would_cover)
        elif not w.used:
            text = _("{waiver} covered no finding: remove it, or check its rule and reports", waiver=w.describe())
        else:
            continue
        out.append({"level": "warning", "kind": f"waiver-{w.status(today)}", "message": text, "rule": w.rule})
    return out


# --- baselines --------------------------------------------------------------------------------


def content_key(uri: str, report: Report | None, finding: Finding) -> dict[str, Any]:
    """What identifies a finding across re-runs: its content, not its place in the file."""
    pointers = sorted(finding.pointers)
    values = [report.get(p) for p in pointers] if report is not None else []
    organ = report.meta.get("organ") if report is not None else None
    year = report.year if report is not None else None
    entry: dict[str, Any] = {"rule": finding.rule, "organ": organ, "year": year, "pointers": pointers, "values": values}
    if finding.key:
        entry["key"] = finding.key
    if not organ:
        # nothing else names the report: its file name (not its folder) stands in
        entry["file"] = uri.replace("\\", "/").rsplit("/", 1)[-1]
    return entry


def _canon(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


def baseline_document(results: list[Any]) -> dict[str, Any]:
    return baseline_entries([content_key(r.uri, r.report, f) for r in results for f in r.findings])


def baseline_entries(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The baseline document of these content keys (collected as results stream past)."""
    return {"model": BASELINE_MODEL, "findings": sorted(entries, key=_canon)}


def read_baseline(path: str) -> Counter[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise ConfigError(_("{path}: cannot read the baseline: {reason}", path=path, reason=os_reason(exc))) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(_("{path}: not a nianbao baseline (JSON): {reason}", path=path, reason=exc)) from exc
    if not isinstance(doc, dict) or doc.get("model") != BASELINE_MODEL or not isinstance(doc.get("findings"), list):
        raise ConfigError(
            _(
                "{path}: not a nianbao baseline (want model {model}, written by --write-baseline)",
                path=path,
                model=BASELINE_MODEL,
            )
        )
    return Counter(_canon(e) for e in doc["findings"] if isinstance(e, dict))


def apply_baseline(known: Counter[str], results: list[Any]) -> tuple[int, int]:
    """Drops every finding the baseline holds (each entry once); marks the others new. Returns
    (findings dropped as unchanged, baseline entries no longer found)."""
    baseline = BaselineFilter(known)
    for result in results:
        baseline.apply(result)
    return baseline.unchanged, baseline.absent()


class BaselineFilter:
    """:func:`apply_baseline` one result at a time, as results stream past."""

    def __init__(self, known: Counter[str]) -> None:
        self.left = Counter(known)
        self.unchanged = 0

    def absent(self) -> int:
        """Baseline entries no longer found (final once every result has been through)."""
        return sum(self.left.values())

    def apply(self, result: Any) -> None:
        left = self.left
        kept = []
        for finding in result.findings:
            canon = _canon(content_key(result.uri, result.report, finding))
            if left[canon] > 0:
                left[canon] -= 1
                self.unchanged += 1
                continue
            finding.baseline = "new"
            kept.append(finding)
        if len(kept) != len(result.findings):
            result.findings = kept
            still = {f.rule for f in kept}
            for rule_id in [r for r in result.failed if r not in still]:
                result.failed.remove(rule_id)
                result.passed.append(rule_id)
