"""Console output: findings grouped by file, one ``path:line:col: ID level message`` line each
(editors and terminals make those clickable), then one summary line for the run."""

from __future__ import annotations

from nianbao.model import LEVELS
from nianbao.reporters import where
from nianbao.results import ReportResult, RunResult

_COLOURS = {"error": "31", "warning": "33", "note": "36", "path": "1", "dim": "2", "ok": "32"}


class _Paint:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, what: str) -> str:
        return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if self.on else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _header(result: ReportResult) -> str:
    about = [x for x in (result.format, f"template {result.template}" if result.template else None) if x]
    return f"{result.uri} ({', '.join(about)})" if about else result.uri


def _outcome(r: ReportResult) -> str:
    return f"rules: {len(r.passed)} passed, {len(r.failed)} failed, {len(r.skipped)} skipped"


def _file(result: ReportResult, paint: _Paint, verbose: bool, quiet: bool) -> list[str]:
    if result.error:
        kind, message = result.error.get("kind", "error"), result.error.get("message", "")
        return [f"{paint(result.uri, 'path')}: {paint('error', 'error')} ({kind}): {message}"]
    lines = [] if quiet else [paint(_header(result), "path")]
    for f in result.findings:
        level = f.level or "error"
        lines.append(f"{where(result.uri, f.location)}: {f.rule} {paint(level, level)} {f.message}")
    if quiet:
        return lines
    lines.append(paint(_outcome(result), "dim"))
    if verbose:
        lines += [paint(f"  skipped {rule_id}: {why}", "dim") for rule_id, why in result.skipped.items()]
    return lines


def summary(run: RunResult) -> str:
    counts = run.counts()
    unreadable = sum(1 for r in run.results if r.error)
    parts = [_plural(len(run.results), "file"), *(_plural(counts[level], level) for level in LEVELS)]
    parts.append(f"{unreadable} {'file' if unreadable == 1 else 'files'} unreadable")
    return ", ".join(parts)


def render(run: RunResult, *, color: bool = False, verbose: bool = False, quiet: bool = False) -> str:
    """``verbose`` lists each skipped rule and why; ``quiet`` keeps only findings and file errors."""
    paint = _Paint(color)
    blocks = [_file(r, paint, verbose, quiet) for r in run.results]
    lines = [line for block in blocks for line in [*block, *([] if quiet else [""])]]
    # a rule that crashed is a fault of nianbao or a plugin, not of the report: say so apart
    lines += [f"nianbao: {paint(n.get('level', 'error'), 'error')}: {n.get('message', '')}" for n in run.notifications]
    if not quiet or run.failing():
        lines.append(paint(summary(run), "error" if run.failing() else "ok"))
    return "\n".join(lines) + "\n" if lines else ""
