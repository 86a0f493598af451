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
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import quote

from nianbao import __version__, i18n
from nianbao.i18n import _
from nianbao.model import Finding, Report, split
from nianbao.reporters import fix_text, is_text_position, place
from nianbao.results import ReportResult, RunResult
from nianbao.rule import CrossRule, Pack, Rule
from nianbao.textsafe import shown_path, tree

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


def _notifications(run: RunResult, components: _Components, index: dict[str, int]) -> list[dict[str, Any]]:
    out = []
    for rr in run.results:
        if rr.error:
            kind, message = rr.error.get("kind", "error"), rr.error.get("message", "")
            loc = {**artifact_location(rr.uri), "index": index[rr.uri]}
            out.append(
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
            )
    for n in run.notifications:
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


LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en-US"}


def render(run: RunResult) -> str:
    components = _Components(run)
    index: dict[str, int] = {}
    artifacts: list[dict[str, Any]] = []
    for rr in run.results:
        if rr.uri not in index:
            index[rr.uri] = len(artifacts)
            artifacts.append(_artifact(rr))
    results = []
    for rr in run.results:
        artifact = {**artifact_location(rr.uri), "index": index[rr.uri]}
        results += [_result(components, rr, f, artifact) for f in rr.findings]
    # two findings on the same cells by the same rule (say, two schema violations of one value)
    # are two alerts: number repeats as GitHub does its own line hashes ("…:1", "…:2")
    seen: dict[str, int] = {}
    for result in results:
        prints = result["partialFingerprints"]
        seen[prints[FINGERPRINT]] = seen.get(prints[FINGERPRINT], 0) + 1
        prints[FINGERPRINT] += f":{seen[prints[FINGERPRINT]]}"
    invocation: dict[str, Any] = {
        # a file that could not be read is the input's fault; a rule that crashed is ours
        "executionSuccessful": not run.internal_errors(),
        "toolExecutionNotifications": _notifications(run, components, index),
    }
    if run.config_notifications:
        # an expired or unused waiver: a fault of the configuration, which does not stop the run
        invocation["toolConfigurationNotifications"] = [
            {"level": n.get("level", "warning"), "message": {"text": n["message"]}, "properties": {"kind": n["kind"]}}
            for n in run.config_notifications
        ]
    sarif_run: dict[str, Any] = {"tool": components.tool()}
    # The folder nianbao ran in is named only when an input was given by absolute path (GitHub
    # then relativises against it): otherwise the log stays free of this machine's paths and the
    # same on every machine, and SRCROOT is described, not pinned, for the consumer to supply.
    if any(not _is_absolute(uri) for uri in index):
        sarif_run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": i18n.translate(SRCROOT_DESCRIPTION)}}}
    if any(_is_absolute(uri) for uri in index):
        invocation["workingDirectory"] = {"uri": Path.cwd().as_uri() + "/"}
    if run.baseline is not None:
        sarif_run["properties"] = {
            "baseline": {"unchanged": run.baseline["unchanged"], "absent": run.baseline["absent"]}
        }
    sarif_run |= {
        # SARIF §3.14.7: the language of the run's messages, as an RFC 5646 tag
        "language": LANGUAGE_TAGS.get(run.language, run.language),
        "artifacts": artifacts,
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = tree({"$schema": SCHEMA, "version": "2.1.0", "runs": [sarif_run]})  # safe strings, no NaN
    return json.dumps(log, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
