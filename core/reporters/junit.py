"""JUnit XML for CI test-report pages: a testsuite per input file, a testcase per selected rule
(passed, failed with all its findings, or skipped with the reason) and, for a file that could
not be read, one testcase with an <error>.

Written with xml.etree rather than junitparser: junitparser puts a ``skipped`` attribute on
<testsuites>, which the Jenkins junit-10.xsd (the strictest reader) rejects, and prints float
times the XSD's time pattern (at most three decimals) does not accept. Times are the engine's
measure of each rule on each report; a cross-report rule has none, so its testcase has no
``time`` (the attribute is optional) rather than a made-up one.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TextIO

from nianbao import i18n
from nianbao.i18n import _, ngettext
from nianbao.model import LEVELS, Finding
from nianbao.reporters import finding_line, through
from nianbao.results import ReportResult, RunResult
from nianbao.rule import Rule
from nianbao.textsafe import shown

#: characters XML 1.0 cannot carry at all (control characters from a broken PDF, say)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=8192)
def _clean(text: str) -> str:
    # escapes first (a control character or a byte of a non-UTF-8 file name stays legible),
    # then whatever XML 1.0 still cannot carry; remembered, since most texts recur in every
    # report (rule names, class names, the outcome of a rule that passed)
    text = shown(text)
    return _ILLEGAL_XML.sub("\ufffd", text) if _ILLEGAL_XML.search(text) else text


def _clean_tree(root: ET.Element) -> None:
    """Every attribute and text of the document made safe, whoever wrote it (a plugin's
    error kind, a property value), so that the XML is well-formed for any input."""
    for el in root.iter():
        if el.text:
            el.text = _clean(el.text)
        for key, value in el.attrib.items():
            el.set(key, _clean(value))


def classname(uri: str) -> str:
    """The path as a dotted class name, so CI pages nest it as folders > file:
    ``reports/a.2021.txt`` → ``reports.a_2021_txt``."""
    parts = [p for p in re.split(r"[\\/]", uri) if p not in ("", ".")]
    return ".".join("__" if p == ".." else p.replace(".", "_") for p in parts) or "report"


def _worst(findings: Iterable[Finding]) -> str:
    return min((f.level or "error" for f in findings), key=LEVELS.index, default="error")


def _time(seconds: float) -> str:
    return f"{seconds:.3f}"


def _kept(result: ReportResult, finding: Finding, run: RunResult) -> str:
    """A finding that does not fail the test case, as a line of its system-out, saying why."""
    line = finding_line(result.uri, finding)
    if finding.waived:
        why = _(
            "[waived until {expires}: {reason}]",
            expires=finding.waived.get("expires"),
            reason=finding.waived.get("reason"),
        )
        return f"{line} {why}"
    return f"{line} " + _("[below --fail-on {level}]", level=run.fail_on)


def _testcase(suite: ET.Element, result: ReportResult, rule: Rule, cls: str, run: RunResult, flavor: str) -> str:
    """Adds the rule's testcase; returns its outcome (passed, failed, errored, skipped). Only
    findings that count (at or above --fail-on, not waived) fail it: the others are kept in its
    system-out, so a job that exits 0 never shows a red test."""
    case = ET.SubElement(suite, "testcase", name=_clean(f"{rule.id} {rule.title}"), classname=cls)
    if flavor == "gitlab":
        # GitLab links the test case to the file (junit-10.xsd has no such attribute)
        case.set("file", _clean(result.uri))
    if rule.id in result.seconds:
        case.set("time", _time(result.seconds[rule.id]))
    findings = result.findings_of(rule.id)
    failing = [f for f in findings if run.fails(f)]
    kept = [f for f in findings if not run.fails(f)]
    outcome = "passed"
    if rule.id in result.errored:
        error = ET.SubElement(case, "error", type="internal-error", message=_clean(result.errored[rule.id]))
        error.text = _clean(f"{result.uri}: {rule.id}: {result.errored[rule.id]}")
        outcome = "errored"
    elif failing:
        first = failing[0].message
        message = (
            first
            if len(failing) == 1
            else ngettext("{n} finding; first: {first}", "{n} findings; first: {first}", len(failing), first=first)
        )
        failure = ET.SubElement(case, "failure", type=_worst(failing), message=_clean(message))
        failure.text = _clean("\n".join(finding_line(result.uri, f) for f in failing))
        outcome = "failed"
    if kept:
        out = ET.SubElement(case, "system-out")
        out.text = _clean("\n".join(_kept(result, f, run) for f in kept))
    if outcome != "passed" or findings:
        return outcome
    if rule.id in result.skipped or rule.id not in result.passed:
        reason = result.skipped.get(rule.id) or _("the rule reported no outcome for this file")
        ET.SubElement(case, "skipped", message=_clean(reason))
        return "skipped"
    return "passed"


def _suite(parent: ET.Element, result: ReportResult, run: RunResult, flavor: str) -> dict[str, float]:
    suite = ET.SubElement(parent, "testsuite", name=_clean(result.uri))
    suite.set("file", _clean(result.uri))
    props = ET.SubElement(suite, "properties")
    for name, value in (("template", result.template), ("format", result.format)):
        if value is not None:
            ET.SubElement(props, "property", name=name, value=str(value))
    cls = classname(result.uri)
    counts: dict[str, float] = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if result.error:
        case = ET.SubElement(suite, "testcase", name=_("read the report"), classname=cls)
        if flavor == "gitlab":
            case.set("file", _clean(result.uri))
        kind, message = result.error.get("kind", "error"), result.error.get("message", "")
        error = ET.SubElement(case, "error", type=kind, message=_clean(message))
        error.text = _clean(
            _("{file}: error ({kind}): {reason}", file=result.uri, kind=i18n.translate(kind), reason=message)
        )
        counts.update(tests=1, errors=1)
    else:
        for rule in run.rules:
            outcome = _testcase(suite, result, rule, cls, run, flavor)
            counts["tests"] += 1
            counts["failures"] += outcome == "failed"
            counts["errors"] += outcome == "errored"
            counts["skipped"] += outcome == "skipped"
    for key, n in counts.items():
        suite.set(key, str(n))
    # the sum of the printed case times, so that the figures a CI page shows add up
    counts["time"] = sum(float(c.get("time", 0)) for c in suite.iter("testcase"))
    if any(c.get("time") for c in suite.iter("testcase")):
        suite.set("time", _time(counts["time"]))
    return counts


class Writer:
    """Each report's <testsuite> is written to a spool as it comes; the <testsuites> element,
    whose attributes are the run's totals, is written around them at the end."""

    def __init__(self, run: RunResult, out: TextIO, *, flavor: str = "jenkins", **_: Any) -> None:
        self.run, self.out, self.flavor = run, out, flavor
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()
        self.total: dict[str, float] = {"tests": 0, "failures": 0, "errors": 0, "time": 0.0}
        self.any = False

    def add(self, result: ReportResult) -> None:
        holder = ET.Element("testsuites")
        counts = _suite(holder, result, self.run, self.flavor)
        for key in self.total:
            self.total[key] += counts[key]
        suite = holder[0]
        _clean_tree(suite)
        ET.indent(suite, level=1)
        suite.tail = "\n"
        self.spool.write("  " + ET.tostring(suite, encoding="unicode"))
        self.any = True

    def _skipped_files(self) -> None:
        """An input left out (the same file as one checked) is a suite of its own with one
        skipped test case saying why, so that every path given or found is on the CI page."""
        for entry in self.run.skipped_files:
            holder = ET.Element("testsuites")
            suite = ET.SubElement(holder, "testsuite", name=entry["uri"], file=entry["uri"])
            suite.attrib.update(tests="1", failures="0", errors="0", skipped="1")
            if entry.get("same_as"):
                props = ET.SubElement(suite, "properties")
                ET.SubElement(props, "property", name="same_as", value=entry["same_as"])
            case = ET.SubElement(suite, "testcase", name=_("read the report"), classname=classname(entry["uri"]))
            if self.flavor == "gitlab":
                case.set("file", entry["uri"])
            ET.SubElement(case, "skipped", message=entry["message"])
            self.total["tests"] += 1
            _clean_tree(suite)
            ET.indent(suite, level=1)
            suite.tail = "\n"
            self.spool.write("  " + ET.tostring(suite, encoding="unicode"))
            self.any = True

    def close(self) -> None:
        self._skipped_files()
        root = ET.Element("testsuites", name="nianbao")
        # <testsuites> takes tests/failures/errors/time only: junit-10.xsd has no skipped there
        for key in ("tests", "failures", "errors"):
            root.set(key, str(int(self.total[key])))
        root.set("time", _time(self.total["time"]))
        head = ET.tostring(root, encoding="unicode")
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not self.any:
            self.out.write(head + "\n")
            return
        self.out.write(head[: -len(" />")] + ">\n")
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, self.out)
        self.spool.close()
        self.out.write("</testsuites>\n")


def render(run: RunResult, *, flavor: str = "jenkins") -> str:
    """``flavor``: jenkins (valid against junit-10.xsd) or gitlab (test cases also carry the
    ``file`` attribute GitLab reads, which junit-10.xsd does not allow)."""
    return through(Writer, run, flavor=flavor)
