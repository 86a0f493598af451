"""Console output: findings grouped by file, one ``path:line:col: ID level message`` line each
(editors and terminals make those clickable), then one summary line for the run."""

from __future__ import annotations

from typing import TextIO

from nianbao import i18n
from nianbao.i18n import N_, _, ngettext
from nianbao.reporters import through, where
from nianbao.results import ReportResult, RunResult
from nianbao.textsafe import shown, shown_path

_COLOURS = {"error": "31", "warning": "33", "note": "36", "path": "1", "dim": "2", "ok": "32"}


class _Paint:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, what: str) -> str:
        return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if self.on else text


#: a level as the text output prints it
LEVEL_WORDS = {"error": N_("error"), "warning": N_("warning"), "note": N_("note")}


def level_word(level: str) -> str:
    return i18n.translate(LEVEL_WORDS.get(level, level))


def _header(result: ReportResult) -> str:
    if result.format and result.template:
        return _(
            "{file} ({format}, template {template})", file=result.uri, format=result.format, template=result.template
        )
    if result.format or result.template:
        return _("{file} ({about})", file=result.uri, about=result.format or result.template)
    return result.uri


def _outcome(r: ReportResult) -> str:
    text = _(
        "rules: {passed} passed, {failed} failed, {skipped} skipped",
        passed=len(r.passed),
        failed=len(r.failed),
        skipped=len(r.skipped),
    )
    return text + (_("; ") + _("{n} errored", n=len(r.errored)) if r.errored else "")


def _file(result: ReportResult, paint: _Paint, verbose: bool, quiet: bool) -> list[str]:
    if result.error:
        kind, message = result.error.get("kind", "error"), result.error.get("message", "")
        return [
            _(
                "{file}: {error} ({kind}): {reason}",
                file=paint(shown_path(result.uri), "path"),
                error=paint(level_word("error"), "error"),
                kind=shown(i18n.translate(kind)),
                reason=shown(message),
            )
        ]
    lines = [] if quiet else [paint(shown_path(_header(result)), "path")]
    for f in result.findings:
        level = f.level or "error"
        # nothing from a report or a plugin reaches the terminal raw (an ESC would repaint it)
        place, message = shown_path(where(result.uri, f.location)), shown(f.message)
        line = f"{place}: {f.rule} {paint(level_word(level), level)} {message}"
        if f.waived:
            # kept in sight, but it does not count: say why and until when
            waived = _(
                "[waived until {expires}: {reason}]", expires=f.waived.get("expires"), reason=f.waived.get("reason")
            )
            line = paint(f"{line} {waived}", "dim")
        lines.append(line)
    if quiet:
        return lines
    lines.append(paint(_outcome(result), "dim"))
    if verbose:
        lines += [
            paint(shown(_("  skipped {rule}: {reason}", rule=rule_id, reason=why)), "dim")
            for rule_id, why in result.skipped.items()
        ]
    lines += [
        paint("  " + _("errored {rule}: {why}", rule=rule_id, why=why), "error")
        for rule_id, why in result.errored.items()
    ]
    return lines


def summary(run: RunResult) -> str:
    totals = run.totals
    counts, unreadable = totals.levels, totals.unreadable
    text = _(
        "{files}, {errors}, {warnings}, {notes}, {unreadable}",
        files=ngettext("{n} file", "{n} files", totals.files),
        errors=ngettext("{n} error", "{n} errors", counts["error"]),
        warnings=ngettext("{n} warning", "{n} warnings", counts["warning"]),
        notes=ngettext("{n} note", "{n} notes", counts["note"]),
        unreadable=ngettext("{n} file unreadable", "{n} files unreadable", unreadable),
    )
    parts = [text]
    if counts["waived"]:
        parts.append(_("{n} waived", n=counts["waived"]))
    if run.baseline is not None:
        parts.append(_("{n} in the baseline not shown", n=run.baseline["unchanged"]))
    if run.skipped_files:
        parts.append(ngettext("{n} path skipped", "{n} paths skipped", len(run.skipped_files)))
    errored = totals.rule_failures
    if errored:
        parts.append(ngettext("{n} rule failure (internal error)", "{n} rule failures (internal errors)", errored))
    return _("; ").join(parts)


class Writer:
    """``verbose`` lists each skipped rule and why; ``quiet`` keeps only findings and file errors."""

    def __init__(
        self, run: RunResult, out: TextIO, *, color: bool = False, verbose: bool = False, quiet: bool = False
    ) -> None:
        self.run, self.out = run, out
        self.paint, self.verbose, self.quiet = _Paint(color), verbose, quiet

    def _lines(self, lines: list[str]) -> None:
        if lines:
            self.out.write("".join(line + "\n" for line in lines))

    def add(self, result: ReportResult) -> None:
        self._lines([*_file(result, self.paint, self.verbose, self.quiet), *([] if self.quiet else [""])])

    def close(self) -> None:
        run, paint = self.run, self.paint
        # a rule that crashed is a fault of nianbao or a plugin, not of the report: say so apart.
        # (A _() nested in another's arguments is not extracted into the catalogue: keep it apart.)
        internal = paint(_("internal error"), "error")
        lines = [
            _("nianbao: {level}: {message}", level=internal, message=shown(n.get("message", "")))
            for n in run.notifications
        ]
        # an expired or unused waiver: the configuration's, not the reports'
        lines += [
            _(
                "nianbao: {level}: {message}",
                level=paint(level_word("warning"), "warning"),
                message=n.get("message", ""),
            )
            for n in run.config_notifications
        ]
        # an input left out (the same file as one checked): said, though it changes nothing
        lines += [
            _("nianbao: {level}: {message}", level=paint(level_word("note"), "note"), message=shown(s["message"]))
            for s in run.skipped_files
        ]
        bad = run.failing() or run.internal_errors()
        if not self.quiet or bad:
            lines.append(paint(summary(run), "error" if bad else "ok"))
        self._lines(lines)


def render(run: RunResult, *, color: bool = False, verbose: bool = False, quiet: bool = False) -> str:
    """``verbose`` lists each skipped rule and why; ``quiet`` keeps only findings and file errors."""
    return through(Writer, run, color=color, verbose=verbose, quiet=quiet)
