"""The ``nianbao`` command. Start-up stays fast: the plugin manager, the readers and the
reporters are imported only by the sub-command that needs them, so ``nianbao --help`` loads
none of them and ``nianbao check report.txt`` never imports a PDF or HTML library."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from nianbao import __version__

if TYPE_CHECKING:
    from nianbao.config import Config
    from nianbao.loader import Loaded

FORMATS = ("text", "json", "junit", "sarif")  # nianbao.reporters.FORMATS, without importing it
LEVELS = ("error", "warning", "note")

EPILOG = """\
examples:
  nianbao check report.txt                  check one report, findings on the console
  nianbao check reports/ --fail-on warning  every report in a folder; exit 1 on warnings too
  nianbao check reports/ --format sarif -o nianbao.sarif
                                            for GitHub code scanning (or --format junit for CI pages)
  nianbao check a.pdf --select T3,D --ignore T303
                                            only table-三 and date rules, without T303
  nianbao parse report.html -o report.json  the report as nianbao reads it (JSON model)
  nianbao rules                             every rule: id, level, name, what it checks

exit status: 0 nothing at or above the --fail-on level; 1 findings at or above it, or a file
that could not be read; 2 a usage or configuration error.
configuration: nianbao.yaml or .nianbao.yaml in the working folder, or --config FILE
(select, ignore, fail-on, levels, options); options given here override it.
"""


class UsageError(Exception):
    """A mistake on the command line or in the configuration: message, exit status 2."""


def _err(message: str) -> None:
    print(f"nianbao: {message}", file=sys.stderr)


def _ids(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


# --- check ------------------------------------------------------------------------------------


def _configure(args: argparse.Namespace) -> Config:
    from nianbao import config as configuration

    cfg = configuration.load(args.config)
    if args.select is not None:
        cfg.select = _ids(args.select)
    if args.ignore is not None:
        cfg.ignore = _ids(args.ignore)
    if args.fail_on is not None:
        cfg.fail_on = args.fail_on
    _known_ids(cfg, args)
    return cfg


def _known_ids(cfg: Config, args: argparse.Namespace) -> None:
    """A selection that names no rule is a typo, not a wish to check nothing."""
    from nianbao import pluginmanager

    ids = [r.id for r in pluginmanager.rules()]
    for name, given, from_cli in (("select", cfg.select, args.select), ("ignore", cfg.ignore, args.ignore)):
        where = f"--{name}" if from_cli is not None else f"{cfg.path}: {name}"
        for prefix in given:
            if not any(i.startswith(prefix) for i in ids):
                raise UsageError(f"{where}: no rule id is or starts with {prefix!r} (see `nianbao rules`)")
    for rule_id in cfg.levels:
        if rule_id not in ids:
            raise UsageError(f"{cfg.path}: levels: no rule {rule_id!r} (see `nianbao rules`)")


def _inputs(paths: Sequence[str]) -> list[str]:
    """Every file to check, in order, each once; a folder without report files stays as an
    input of its own so that it is reported rather than silently dropped."""
    from nianbao.loader import expand

    out: list[str] = []
    for given in paths:
        out += [p for p in (list(expand([given])) or [given]) if p not in out]
    return out


class _Progress:
    """A counter line on stderr, redrawn in place; only on a terminal, so logs stay clean."""

    def __init__(self, enabled: bool, stream: TextIO) -> None:
        self.enabled = enabled
        self.stream = stream

    def __call__(self, verb: str) -> Callable[[int, int, str], None]:
        def show(index: int, total: int, uri: str) -> None:
            if self.enabled:
                self.stream.write(f"\r\x1b[K{verb} {index}/{total} {uri}"[:200])
                self.stream.flush()

        return show

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _load_all(paths: list[str], progress: Callable[[int, int, str], None]) -> list[Loaded]:
    from nianbao.loader import load

    loaded = []
    for index, path in enumerate(paths, 1):
        progress(index, len(paths), path)
        loaded.append(load(path))
    return loaded


def _use_colour(choice: str, output: str | None) -> bool:
    if choice != "auto":
        return choice == "always"
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _write(text: str, output: str | None, *, console: bool = False) -> None:
    """``console``: text for people, in the terminal's encoding; otherwise a document (JSON,
    XML, SARIF), always UTF-8 as it declares, wherever it goes."""
    if output is None or output == "-":
        # reports are Chinese: never let a narrow console encoding turn output into a traceback
        encoding = (sys.stdout.encoding or "utf-8") if console else "utf-8"
        sys.stdout.buffer.write(text.encode(encoding, errors="replace"))
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def _check(args: argparse.Namespace) -> int:
    from nianbao import engine, reporters

    cfg = _configure(args)
    paths = _inputs(args.paths)
    progress = _Progress(not (args.no_progress or args.quiet) and sys.stderr.isatty(), sys.stderr)
    try:
        loaded = _load_all(paths, progress("reading"))
        run = engine.run(loaded, cfg, progress("checking"))
    finally:
        progress.done()
    options: dict[str, Any] = {}
    if args.format == "text":
        options = {"color": _use_colour(args.color, args.output), "verbose": args.verbose, "quiet": args.quiet}
    _write(reporters.render(args.format, run, **options), args.output, console=args.format == "text")
    if args.output and args.format != "text" and not args.quiet:
        # the file holds the details; the console still deserves the one-line verdict
        from nianbao.reporters.text import summary

        print(summary(run), file=sys.stderr)
    return 1 if run.failing() else 0


# --- parse, rules -----------------------------------------------------------------------------


def _parse(args: argparse.Namespace) -> int:
    import json

    from nianbao.loader import load

    item = load(args.file)
    if item.error is not None:
        _err(f"{args.file}: cannot read it as a report ({item.error.kind}): {item.error.message}")
        return 1
    assert item.report is not None
    _write(json.dumps(item.report.data, ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def _rules(args: argparse.Namespace) -> int:
    import json

    from nianbao import pluginmanager

    found = pluginmanager.rules()
    if args.format == "json":
        _write(json.dumps([r.metadata() for r in found], ensure_ascii=False, indent=2) + "\n", None)
        return 0
    lines = []
    for r in found:
        origin = "" if r.plugin in ("", "nianbao") else f"  [{r.plugin}]"
        lines.append(f"{r.id}  {r.level:<7}  {r.name}{origin}\n      {r.summary}")
    _write("\n".join(lines) + ("\n" if lines else "no rules are installed\n"), None, console=True)
    return 0


class _Version(argparse.Action):
    """Loads the plugins only when asked, so that plain start-up does not."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        lines = [f"nianbao {__version__}"]
        try:
            from nianbao import pluginmanager

            extra = sorted({(p.dist, p.version) for p in pluginmanager.plugins() if not p.builtin})
            lines += [f"  plugin {dist} {version}" for dist, version in extra]
        except Exception as exc:  # the version must print even when a plugin is broken
            lines.append(f"  (plugins could not be listed: {exc})")
        print("\n".join(lines))
        parser.exit(0)


# --- the parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="Check Chinese government information-disclosure annual reports (政府信息公开工作年度报告): "
        "tables that do not add up, dates, template, sections, narrative against tables.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the versions of nianbao and its plugins")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = sub.add_parser(
        "check",
        help="check reports (files or folders)",
        description="Check reports: text, HTML, PDF, DOCX or report JSON; folders are walked.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    check.add_argument("--format", "-f", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of stdout")
    check.add_argument("--select", metavar="IDS", help="only these rules: ids or prefixes, comma-separated (T3,D101)")
    check.add_argument("--ignore", metavar="IDS", help="leave out these rules: ids or prefixes, comma-separated")
    check.add_argument(
        "--fail-on",
        choices=LEVELS,
        default=None,
        help="lowest level that makes the exit status 1 (default: the configuration's, else error)",
    )
    check.add_argument("--config", metavar="FILE", help="configuration file (default: nianbao.yaml if present)")
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour the text output (default: auto)"
    )
    check.add_argument("-v", "--verbose", action="store_true", help="text: also list skipped rules and why")
    check.add_argument("-q", "--quiet", action="store_true", help="only findings and unreadable files; no progress")
    check.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    check.set_defaults(func=_check)

    parse = sub.add_parser(
        "parse",
        help="print a report as nianbao reads it (the report model, JSON)",
        description="Read one report and print its JSON model (nianbao.report/1): the cells, sections "
        "and where each value was found.",
    )
    parse.add_argument("file", metavar="FILE")
    parse.add_argument("-o", "--output", metavar="FILE", help="write the JSON to FILE instead of stdout")
    parse.set_defaults(func=_parse)

    rules = sub.add_parser("rules", help="list every rule with its level and what it checks")
    rules.add_argument("--format", "-f", choices=("text", "json"), default="text")
    rules.set_defaults(func=_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from nianbao.config import ConfigError
    from nianbao.pluginmanager import PluginError

    try:
        return int(args.func(args))
    except (UsageError, ConfigError, PluginError) as exc:
        _err(str(exc))
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        # `nianbao check … | head`: the reader left; not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
