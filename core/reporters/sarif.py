"""SARIF 2.1.0 for code-scanning UIs (GitHub and others): one run; the selected rules of nianbao
itself on ``tool.driver``, those of each plugin distribution on a ``tool.extensions`` entry;
one result per finding, located by line/column where the input is text, by logical location
(the JSON Pointer into the report model) always; a file that could not be read is a tool
execution notification, so that it is not mistaken for a finding.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import Any, TextIO
from urllib.parse import quote

from nianbao import __version__, i18n
from nianbao.atomic import atomic_open
from nianbao.i18n import _
from nianbao.model import Finding, Report, split
from nianbao.reporters import fix_text, is_text_position, place, through
from nianbao.results import ReportResult, RunResult
from nianbao.rule import CrossRule, Pack, Rule
from nianbao.textsafe import dumps, shown_path

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/nianbao/nianbao"
FINGERPRINT = "nianbao/v1"
#: GitHub's and CodeQL's spelling of the source-root base id
SRCROOT = "%SRCROOT%"
SRCROOT_DESCRIPTION = i18n.N_("The folder nianbao was run in; input paths given as relative are relative to it.")
_MIME = {
    "text": "text/plain",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
#: the rule-id areas of the catalogue (see nianbao.rule.Rule), as tags for code-scanning filters


def _is_absolute(uri: str) -> bool:
    return os.path.isabs(uri) or PureWindowsPath(uri).is_absolute()


def artifact_location(uri: str) -> dict[str, Any]:
    """A relative path stays relative to SRCROOT (the folder nianbao ran in), with forward
    slashes and percent-encoding (Chinese file names are common); an absolute one becomes a
    ``file:`` URI, which needs no base."""
    return dict(_location(uri))


@lru_cache(maxsize=1024)
def _location(uri: str) -> tuple[tuple[str, str], ...]:
    # asked for several times per report (artifact, results, fingerprints): an absolute path is
    # resolved once (a stat of every folder on the way), not once per finding
    return tuple(_artifact_location(uri).items())


def _artifact_location(uri: str) -> dict[str, str]:
    uri = shown_path(uri)  # the loader's uris are already; one from elsewhere may not be
    if _is_absolute(uri):
        resolved = Path(uri).resolve()
        if os.name == "nt":
            return {"uri": resolved.as_uri()}
        return {"uri": "file://" + _unescape(quote(str(resolved), safe="/\\")).replace("\\", "%5C")}
    # the escapes of a shown path (nianbao.textsafe) are not path separators
    relative = _ESCAPE.sub(lambda m: m.group(0).replace("\\", "\x00"), uri).replace("\\", "/").replace("\x00", "\\")
    while relative.startswith("./"):
        relative = relative[2:]
    return {"uri": _unescape(quote(relative, safe="/\\")).replace("\\", "%5C"), "uriBaseId": SRCROOT}


#: what nianbao.textsafe.shown_path writes for a byte or character a name may not show raw
_ESCAPE = re.compile(r"\\x([89a-f][0-9a-f]|[01][0-9a-f]|7f)|\\u(d[89a-f][0-9a-f]{2}|20[26][0-9a-f]|fff[ef])")


def _unescape(uri: str) -> str:
    """A shown path's escapes back as the percent-encoding of what the name really holds: a
    byte of a name that is not UTF-8 (a GBK name from an old archive) as that byte, a control
    character as its UTF-8, so that the URI names the very file."""

    def byte(m: re.Match[str]) -> str:
        if m.group(1):
            return f"%{int(m.group(1), 16):02X}"
        code = int(m.group(2), 16)
        return "".join(f"%{b:02X}" for b in chr(code).encode("utf-8", "surrogatepass"))

    return _ESCAPE.sub(byte, uri)


def _clip(text: str, limit: int = 1024) -> str:
    """GitHub displays descriptions up to 1024 characters; the help text keeps the whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    summary, explanation, basis = rule.text("summary"), rule.text("explanation"), rule.text("legal_basis")
    help_text = explanation + ("\n\n" + _("Legal basis: {basis}", basis=basis) if basis else "")
    help_md = _("**{id} {title}**: {summary}", id=rule.id, title=rule.title, summary=summary) + f"\n\n{explanation}"
    if basis:
        help_md += "\n\n" + _("*Legal basis:* {basis}", basis=basis)
    scope = _("cross-report") if isinstance(rule, CrossRule) else _("report")
    tags = [rule.area_name, scope]
    properties: dict[str, Any] = {"tags": sorted(set(tags)), "legalBasis": basis}
    if rule.options:
        properties["options"] = {name: o.to_dict() for name, o in rule.declared_options().items()}
    if rule.pack:
        properties["pack"] = rule.pack
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _clip(summary)},
        "fullDescription": {"text": _clip(explanation or summary)},
        "help": {"text": help_text or summary, "markdown": help_md},
        "defaultConfiguration": {"level": rule.level},
        "properties": properties,
    } | ({"helpUri": rule.url} if rule.url else {})


class _Components:
    """The driver and one extension per plugin distribution and per enabled jurisdiction pack
    (a pack shipped with nianbao is an extension of its own, so its rules and sources are apart
    from nianbao's), and where each rule sits."""

    def __init__(self, run: RunResult) -> None:
        dists: dict[str, str] = {}
        packs = {p.name: p for p in run.packs}
        for p in run.plugins:
            if not p.builtin:
                dists.setdefault(p.dist, p.version)
        for r in run.rules:
            if r.plugin and r.plugin != "nianbao":
                dists.setdefault(r.plugin, "")
        self.packs: dict[str, Pack] = {}
        for r in run.rules:
            if r.pack and r.builtin:
                key = f"nianbao-pack-{r.pack}"
                dists.setdefault(key, __version__)
                if r.pack in packs:
                    self.packs[key] = packs[r.pack]
        for pack in run.packs:
            if pack.plugin and pack.plugin != "nianbao":
                self.packs.setdefault(pack.plugin, pack)
        self.extensions = list(dists)
        self.versions = dists
        self.rules: dict[str | None, list[Rule]] = {None: [], **{d: [] for d in dists}}
        self.where: dict[str, tuple[int | None, int]] = {}
        for r in run.rules:
            home = f"nianbao-pack-{r.pack}" if r.pack and r.builtin else r.plugin if r.plugin in dists else None
            self.where[r.id] = (None if home is None else self.extensions.index(home), len(self.rules[home]))
            self.rules[home].append(r)

    def tool(self) -> dict[str, Any]:
        tool: dict[str, Any] = {
            "driver": {
                "name": "nianbao",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(r) for r in self.rules[None]],
            }
        }
        if self.extensions:
            tool["extensions"] = [self._extension(d) for d in self.extensions]
        return tool

    def _extension(self, dist: str) -> dict[str, Any]:
        ext: dict[str, Any] = {"name": dist}
        if self.versions[dist]:
            ext["version"] = self.versions[dist]
        pack = self.packs.get(dist)
        if pack is not None:
            ext["fullDescription"] = {"text": f"Jurisdiction pack {pack.name} ({pack.region}). Source: {pack.source}"}
            if pack.url:
                ext["informationUri"] = pack.url
            ext["properties"] = {"pack": pack.name, "region": pack.region, "source": pack.source}
        ext["rules"] = [_rule_descriptor(r) for r in self.rules[dist]]
        return ext

    def reference(self, rule_id: str) -> dict[str, Any]:
        """ruleId plus ruleIndex (driver) or rule {id, index, toolComponent} (extension)."""
        if rule_id not in self.where:
            return {"ruleId": rule_id}
        component, index = self.where[rule_id]
        if component is None:
            return {"ruleId": rule_id, "ruleIndex": index}
        # ruleId stays beside the reference, as CodeQL writes it for its packs: GitHub filters
        # alerts by ruleId (the Multitool calls that redundant, SARIF2004, a size warning only)
        return {"ruleId": rule_id, "rule": {"id": rule_id, "index": index, "toolComponent": {"index": component}}}


def _raw_entry(report: Report | None, pointer: str) -> dict[str, Any] | None:
    if report is None:
        return None
    entry = report.provenance.get(pointer)
    if (
        not isinstance(entry, dict)
        or not isinstance(entry.get("line"), int)
        or not isinstance(entry.get("raw", ""), str)
    ):
        return None  # (a model from elsewhere may have anything in its provenance)
    return entry if entry and is_text_position({k: v for k, v in entry.items() if k != "raw"}) else None


def _literal(raw: str | None) -> bool:
    """True when ``raw`` stands in the file exactly as read, so its length spans it: one line,
    and nothing that markup escapes (an HTML source may print ``<`` as ``&lt;``)."""
    return raw is not None and raw != "" and not any(c in raw for c in "\n<>&")


def _region(report: Report | None, finding: Finding) -> dict[str, Any] | None:
    loc = finding.location or {}
    if not is_text_position(loc):
        return None
    region: dict[str, Any] = {"startLine": loc["line"]}
    if "column" in loc:
        region["startColumn"] = loc["column"]
    # the cell the location came from: its raw text gives the region's end and a snippet
    for pointer in finding.pointers:
        entry = _raw_entry(report, pointer)
        if entry and entry.get("line") == loc["line"] and entry.get("column") == loc.get("column"):
            raw = entry.get("raw")
            if raw is not None and _literal(raw) and "column" in loc:
                region["endColumn"] = loc["column"] + len(raw)
                region["snippet"] = {"text": raw}
            break
    element = loc.get("element")
    if element and "endColumn" in region:
        # an HTML cell whose <td> starts on an earlier line: the region runs from the <td> to
        # the end of the figure, so a viewer shows the element and the figure both
        region = {
            "startLine": element["line"],
            "startColumn": element["column"],
            "endLine": loc["line"],
            "endColumn": region["endColumn"],
        }
    return region


def _fix(report: Report | None, finding: Finding, artifact: dict[str, Any]) -> dict[str, Any] | None:
    fix = finding.fix
    entry = _raw_entry(report, fix.pointer) if fix else None
    if fix is None or entry is None or "column" not in entry or not _literal(entry.get("raw")):
        return None
    value = fix.value
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    deleted = {
        "startLine": entry["line"],
        "startColumn": entry["column"],
        "endColumn": entry["column"] + len(entry["raw"]),
    }
    return {
        "description": {"text": fix_text(report, fix, entry["raw"])},
        "artifactChanges": [
            {
                "artifactLocation": artifact,
                "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": text}}],
            }
        ],
    }


def fingerprint(rule_id: str, uri: str, pointers: list[str], key: str | None = None) -> str:
    """Stable across re-runs and edits that move lines or reword messages."""
    basis = "\x1f".join([rule_id, artifact_location(uri)["uri"], *sorted(pointers), key or ""])
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


def _result(components: _Components, rr: ReportResult, finding: Finding, artifact: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact}
    location: dict[str, Any] = {"physicalLocation": physical}
    message = finding.message
    region = _region(rr.report, finding)
    if region:
        physical["region"] = region
    else:
        # a PDF page/line or a DOCX table cell: no region a text editor could use, so the
        # place is kept as properties, said in words on the location and in the message (a
        # code-scanning page shows only the message for a file-level location), and the
        # pointer is the logical location
        where = {k: v for k, v in (finding.location or {}).items() if k != "uri"}
        if where:
            physical["properties"] = {"nianbaoLocation": where}
            location["message"] = {"text": place(where)}
            message = _("{message} [{place}]", message=message, place=place(where))
    if finding.pointers:
        location["logicalLocations"] = [
            {"name": (split(p) or ["/"])[-1], "fullyQualifiedName": p, "kind": "value"} for p in finding.pointers
        ]
    result: dict[str, Any] = {
        **components.reference(finding.rule or ""),
        "level": finding.level or "error",
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(finding.rule or "", rr.uri, finding.pointers, finding.key)},
    }
    fix = _fix(rr.report, finding, artifact)
    if fix:
        result["fixes"] = [fix]
    if finding.waived:
        # a waiver in the configuration, outside the report: kind external, accepted until it expires
        suppression: dict[str, Any] = {
            "kind": "external",
            "status": "accepted",
            "justification": finding.waived.get("reason", ""),
            "properties": {"expires": finding.waived.get("expires", "")},
        }
        result["suppressions"] = [suppression]
    if finding.baseline:
        result["baselineState"] = finding.baseline
    return result


def _artifact(rr: ReportResult) -> dict[str, Any]:
    art: dict[str, Any] = {"location": artifact_location(rr.uri)}
    source = rr.report.data.get("source", {}) if rr.report else {}
    source = source if isinstance(source, dict) else {}  # a model from elsewhere may have anything
    fmt = source.get("format") or rr.format
    if fmt in _MIME:
        art["mimeType"] = _MIME[fmt]
    if source.get("encoding"):
        art["encoding"] = source["encoding"]
    if source.get("sha256"):
        art["hashes"] = {"sha-256": source["sha256"]}
    props = {k: v for k, v in (("format", fmt), ("template", rr.template), ("status", rr.status)) if v}
    art["properties"] = props
    return art


def _read_errors(rr: ReportResult, index: dict[str, int]) -> list[dict[str, Any]]:
    if not rr.error:
        return []
    kind, message = rr.error.get("kind", "error"), rr.error.get("message", "")
    loc = {**artifact_location(rr.uri), "index": index[rr.uri]}
    return [
        {
            "level": "error",
            "message": {
                "text": _(
                    "{file}: could not be read ({kind}): {reason}",
                    file=rr.uri,
                    kind=i18n.translate(kind),
                    reason=message,
                )
            },
            "locations": [{"physicalLocation": {"artifactLocation": loc}}],
            "properties": {"kind": kind},
        }
    ]


def _run_notes(notes: list[dict[str, Any]], components: _Components, index: dict[str, int]) -> list[dict[str, Any]]:
    out = []
    for n in notes:
        note: dict[str, Any] = {"level": n.get("level", "error"), "message": {"text": n.get("message", "")}}
        props = {k: n[k] for k in ("plugin", "kind") if n.get(k)}
        if props:
            note["properties"] = props
        ref = components.reference(n.get("rule", "")) if n.get("rule") else {}
        if "ruleIndex" in ref:
            note["associatedRule"] = {"id": ref["ruleId"], "index": ref["ruleIndex"]}
        elif "rule" in ref:
            note["associatedRule"] = ref["rule"]
        if n.get("uri") in index:
            loc = {**artifact_location(n["uri"]), "index": index[n["uri"]]}
            note["locations"] = [{"physicalLocation": {"artifactLocation": loc}}]
        out.append(note)
    return out


def _skipped_files(run: RunResult) -> list[dict[str, Any]]:
    """An input left out (the same file as one checked): a note, which fails nothing."""
    out = []
    for entry in run.skipped_files:
        props = {"kind": entry["kind"]} | ({"sameAs": entry["same_as"]} if entry.get("same_as") else {})
        out.append(
            {
                "level": "note",
                "message": {"text": entry["message"]},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(entry["uri"])}}],
                "properties": props,
            }
        )
    return out


LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en-US"}


#: GitHub code scanning's hard limit on results in one run (and so in one upload of one run)
#: https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
MAX_RESULTS = 25_000
#: GitHub's limit on an uploaded SARIF file, gzip-compressed; a part is closed before it
MAX_GZIP_BYTES = 10 * 1024 * 1024
_MARGIN = 512 * 1024  # what the head (rules) and tail (invocations) of a part may add
_HOLE = "nianbao-spool-7f3c9a:{}"  # where a spool goes in the skeleton; no user text is a whole array item
_ITEM = " " * 8  # an artifact or result sits four levels down: runs[0].results[i]


def part_name(path: str, number: int) -> str:
    """The file of part ``number`` (1-based) of a split log: ``out.sarif``, ``out.2.sarif`` …"""
    if number == 1:
        return path
    base = Path(path)
    stem, suffix = (base.stem, base.suffix) if base.suffix else (base.name, "")
    return str(base.with_name(f"{stem}.{number}{suffix or '.sarif'}"))


class _Part:
    """One SARIF log being written: artifacts and results go to spools as they come, the log is
    put together around them at the end (its head needs what only the end knows)."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.artifacts = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()
        self.results = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()
        self.counts = {"artifacts": 0, "results": 0}
        self.index: dict[str, int] = {}
        self.read_errors: list[dict[str, Any]] = []
        self.absolute = self.relative = False
        # the size as gzip's fastest level makes it: an estimate above any upload's (safe side),
        # at a third of the default level's cost per result
        self.gzip = zlib.compressobj(1, zlib.DEFLATED, 31)
        self.gzip_bytes = 0

    def item(self, spool: str, value: dict[str, Any]) -> None:
        text = dumps(value).replace("\n", "\n" + _ITEM)
        piece = ("" if not self.counts[spool] else ",\n") + _ITEM + text
        getattr(self, spool).write(piece)
        self.counts[spool] += 1
        self.gzip_bytes += len(self.gzip.compress(piece.encode("utf-8")))

    def write(self, out: TextIO, components: _Components, run: RunResult, split: bool) -> None:
        first = self.number == 1  # the run's own notifications go with the first part
        notes = run.notifications if first else []
        invocation: dict[str, Any] = {
            # a file that could not be read is the input's fault; a rule that crashed is ours
            "executionSuccessful": not run.internal_errors(),
            "toolExecutionNotifications": self.read_errors
            + _run_notes(notes, components, self.index)
            + (_skipped_files(run) if first else []),
        }
        if run.config_notifications and first:
            # an expired or unused waiver: a fault of the configuration, which does not stop the run
            invocation["toolConfigurationNotifications"] = [
                {
                    "level": n.get("level", "warning"),
                    "message": {"text": n["message"]},
                    "properties": {"kind": n["kind"]},
                }
                for n in run.config_notifications
            ]
        sarif_run: dict[str, Any] = {"tool": components.tool()}
        if split:
            # each part is its own analysis category, so that uploading one does not close the
            # alerts of another (GitHub keys an analysis by tool and category)
            sarif_run["automationDetails"] = {"id": f"nianbao/part-{self.number}/"}
        # The folder nianbao ran in is named only when an input was given by absolute path (GitHub
        # then relativises against it): otherwise the log stays free of this machine's paths and the
        # same on every machine, and SRCROOT is described, not pinned, for the consumer to supply.
        if self.relative:
            sarif_run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": i18n.translate(SRCROOT_DESCRIPTION)}}}
        if self.absolute:
            invocation["workingDirectory"] = {"uri": Path.cwd().as_uri() + "/"}
        if run.baseline is not None:
            sarif_run["properties"] = {
                "baseline": {"unchanged": run.baseline["unchanged"], "absent": run.baseline["absent"]}
            }
        sarif_run |= {
            # SARIF §3.14.7: the language of the run's messages, as an RFC 5646 tag
            "language": LANGUAGE_TAGS.get(run.language, run.language),
            "artifacts": [_HOLE.format("artifacts")],
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": [_HOLE.format("results")],
        }
        doc = dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]})
        for spool in ("artifacts", "results"):
            hole = "[\n" + _ITEM + json.dumps(_HOLE.format(spool)) + "\n      ]"
            head, doc = doc.split(hole, 1)
            out.write(head)
            stream = getattr(self, spool)
            if not self.counts[spool]:
                out.write("[]")
            else:
                out.write("[\n")
                stream.seek(0)
                shutil.copyfileobj(stream, out)
                out.write("\n      ]")
            stream.close()
        out.write(doc + "\n")


class Writer:
    """SARIF to ``out``. Beyond GitHub's limits (:data:`MAX_RESULTS` results in a run, a
    :data:`MAX_GZIP_BYTES` upload) a log written to a file (``path``) is split, between reports,
    into parts ``out.sarif``, ``out.2.sarif`` …, each one run with its own category; written to
    stdout it is capped at the limit instead. Either is said on stderr (``warn``)."""

    def __init__(
        self,
        run: RunResult,
        out: TextIO,
        *,
        path: str | None = None,
        max_results: int = MAX_RESULTS,
        max_gzip_bytes: int = MAX_GZIP_BYTES,
        warn: Callable[[str], None] | None = None,
        **unused: Any,
    ) -> None:
        self.run, self.out, self.path = run, out, path
        self.max_results, self.max_bytes = max_results, max_gzip_bytes - _MARGIN
        self.warn = warn or (lambda message: print(_("nianbao: warning: {message}", message=message), file=sys.stderr))
        self.components = _Components(run)
        self.parts = [_Part(1)]
        self.dropped = 0
        self.total = 0

    def _full(self, part: _Part, adding: int) -> bool:
        return part.counts["artifacts"] > 0 and (
            part.counts["results"] + adding > self.max_results or part.gzip_bytes > self.max_bytes
        )

    def add(self, rr: ReportResult) -> None:
        part = self.parts[-1]
        findings = rr.findings
        if self._full(part, len(findings)):
            if self.path is None:
                self.dropped += len(findings)
                return
            part = _Part(len(self.parts) + 1)
            self.parts.append(part)
        room = self.max_results - part.counts["results"]
        if len(findings) > room:  # one report alone beyond the limit: its first findings only
            self.dropped += len(findings) - room
            findings = findings[:room]
        if rr.uri not in part.index:
            part.index[rr.uri] = part.counts["artifacts"]
            part.item("artifacts", _artifact(rr))
        if _is_absolute(rr.uri):
            part.absolute = True
        else:
            part.relative = True
        part.read_errors += _read_errors(rr, part.index)
        artifact = {**artifact_location(rr.uri), "index": part.index[rr.uri]}
        # two findings on the same cells by the same rule (say, two schema violations of one value)
        # are two alerts: number repeats as GitHub does its own line hashes ("…:1", "…:2"); the
        # fingerprint holds the file, so repeats are counted within one report
        seen: dict[str, int] = {}
        for finding in findings:
            result = _result(self.components, rr, finding, artifact)
            prints = result["partialFingerprints"]
            seen[prints[FINGERPRINT]] = seen.get(prints[FINGERPRINT], 0) + 1
            prints[FINGERPRINT] += f":{seen[prints[FINGERPRINT]]}"
            part.item("results", result)
        self.total += len(findings)

    def close(self) -> None:
        split = len(self.parts) > 1
        for part in self.parts:
            if part.number == 1:
                part.write(self.out, self.components, self.run, split)
                continue
            assert self.path is not None
            with atomic_open(part_name(self.path, part.number), newline="\n") as fh:
                part.write(fh, self.components, self.run, split)
        if split:
            names = ", ".join(part_name(self.path or "", p.number) for p in self.parts)
            self.warn(
                _(
                    "SARIF: {total} results are more than GitHub code scanning accepts in one upload "
                    "({limit} results a run, {mb} MB gzip-compressed); written as {n} files, one run and "
                    "category each: {names}",
                    total=self.total,
                    limit=self.max_results,
                    mb=MAX_GZIP_BYTES // 1024 // 1024,
                    n=len(self.parts),
                    names=names,
                )
            )
        if self.dropped:
            self.warn(
                _(
                    "SARIF: {dropped} of {total} results left out: GitHub code scanning rejects a run of more "
                    "than {limit} results (write to a file with -o to split instead)",
                    dropped=self.dropped,
                    total=self.total + self.dropped,
                    limit=self.max_results,
                )
            )


def render(run: RunResult) -> str:
    return through(Writer, run)
