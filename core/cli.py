"""The ``nianbao`` command. Start-up stays fast: the plugin manager, the readers and the
reporters are imported only by the sub-command that needs them, so ``nianbao --help`` loads
none of them and ``nianbao check report.txt`` never imports a PDF or HTML library."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from nianbao import __version__, i18n
from nianbao.i18n import _

if TYPE_CHECKING:
    from nianbao.config import Config
    from nianbao.loader import Loaded

FORMATS = ("text", "json", "junit", "sarif", "html")  # nianbao.reporters.FORMATS, without importing it
LEVELS = ("error", "warning", "note")

# i18n: the epilog of `nianbao --help` and `nianbao check --help` (keep the columns aligned)
EPILOG = i18n.N_("""\
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
(select, ignore, fail-on, levels, options, lang); options given here override it.
language: --lang zh|en, else NIANBAO_LANG, else lang: in the configuration, else zh.
""")


class UsageError(Exception):
    """A mistake on the command line or in the configuration: message, exit status 2."""


def _err(message: str) -> None:
    print(_("nianbao: {message}", message=message), file=sys.stderr)


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
                raise UsageError(
                    _(
                        "{where}: no rule id is or starts with {prefix} (see `nianbao rules`)",
                        where=where,
                        prefix=prefix,
                    )
                )
    for rule_id in cfg.levels:
        if rule_id not in ids:
            raise UsageError(_("{path}: levels: no rule {rule} (see `nianbao rules`)", path=cfg.path, rule=rule_id))


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
        """``verb``: a template with ``{index}``, ``{total}`` and ``{uri}``, already translated."""

        def show(index: int, total: int, uri: str) -> None:
            if self.enabled:
                line = i18n.fill(verb, {"index": index, "total": total, "uri": uri})
                self.stream.write(f"\r\x1b[K{line}"[:200])
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
        raise UsageError(_("cannot write {file}: {reason}", file=output, reason=i18n.os_reason(exc))) from exc


def _check(args: argparse.Namespace) -> int:
    from nianbao import engine, reporters

    cfg = _configure(args)
    paths = _inputs(args.paths)
    progress = _Progress(not (args.no_progress or args.quiet) and sys.stderr.isatty(), sys.stderr)
    try:
        loaded = _load_all(paths, progress(_("reading {index}/{total} {uri}")))
        run = engine.run(loaded, cfg, progress(_("checking {index}/{total} {uri}")))
    finally:
        progress.done()
    options: dict[str, Any] = {}
    if args.format == "text":
        options = {"color": _use_colour(args.color, args.output), "verbose": args.verbose, "quiet": args.quiet}
    if args.format == "html" and args.output and args.output != "-":
        # a large run is split into pages beside the output file
        from nianbao.reporters import html

        try:
            html.write(run, args.output)
        except OSError as exc:
            raise UsageError(_("cannot write {file}: {reason}", file=args.output, reason=i18n.os_reason(exc))) from exc
    else:
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
        _err(
            _(
                "{file}: cannot read it as a report ({kind}): {reason}",
                file=args.file,
                kind=i18n.translate(item.error.kind),
                reason=item.error.message,
            )
        )
        return 1
    assert item.report is not None
    _write(json.dumps(item.report.data, ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def _export(args: argparse.Namespace) -> int:
    from nianbao import config as configuration
    from nianbao.export import ExportError, export

    cfg = configuration.load(args.config)
    paths = _inputs(args.paths)
    try:
        n = export(paths, args.output, cfg, jobs=max(1, args.jobs))
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(_("cannot write {file}: {reason}", file=args.output, reason=i18n.os_reason(exc))) from exc
    if not args.quiet:
        print(_("{file}: {n} reports", file=args.output, n=n), file=sys.stderr)
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
        lines.append(f"{r.id}  {r.level:<7}  {r.name}{origin}\n      {i18n.translate(r.summary)}")
    _write("\n".join(lines) + "\n" if lines else _("no rules are installed") + "\n", None, console=True)
    return 0


class _Version(argparse.Action):
    """Loads the plugins only when asked, so that plain start-up does not."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        lines = [f"nianbao {__version__}"]
        try:
            from nianbao import pluginmanager

            extra = sorted({(p.dist, p.version) for p in pluginmanager.plugins() if not p.builtin})
            lines += [_("  plugin {name} {version}", name=dist, version=version) for dist, version in extra]
        except Exception as exc:  # the version must print even when a plugin is broken
            lines.append(_("  (plugins could not be listed: {reason})", reason=exc))
        print("\n".join(lines))
        parser.exit(0)


# --- the parser -------------------------------------------------------------------------------


#: argparse's own user-facing words (Python 3.11-3.13), so that the catalogue carries them
_ARGPARSE_WORDS = (
    i18n.N_("usage: "),
    i18n.N_("positional arguments"),
    i18n.N_("options"),
    i18n.N_("show this help message and exit"),
    i18n.N_("%(prog)s: error: %(message)s\n"),
    i18n.N_("argument %(argument_name)s: %(message)s"),
    i18n.N_("the following arguments are required: %s"),
    i18n.N_("unrecognized arguments: %s"),
    i18n.N_("invalid choice: %(value)r (choose from %(choices)s)"),
    i18n.N_("expected one argument"),
    i18n.N_("expected at most one argument"),
    i18n.N_("expected at least one argument"),
    i18n.N_("ambiguous option: %(option)s could match %(matches)s"),
    i18n.N_("invalid %(type)s value: %(value)r"),
    i18n.N_("not allowed with argument %s"),
    i18n.N_("ignored explicit argument %r"),
    i18n.N_("one of the arguments %s is required"),
    i18n.N_("can't open '%(filename)s': %(error)s"),
)


def _argparse_in_language() -> None:
    """argparse's own words (usage:, options, error: …) through nianbao's catalogue; argparse looks
    its ``_`` and ``ngettext`` up at call time."""
    argparse._ = i18n.messages.gettext  # type: ignore[attr-defined]
    argparse.ngettext = lambda s, p, n: i18n.messages.translations().ngettext(s, p, n)  # type: ignore[attr-defined]


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=None,
        help=_("language of the output (default: NIANBAO_LANG, else lang: in the configuration, else zh)"),
    )


def build_parser() -> argparse.ArgumentParser:
    _argparse_in_language()
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description=_(
            "Check Chinese government information-disclosure annual reports (政府信息公开工作年度报告): "
            "tables that do not add up, dates, template, sections, narrative against tables."
        ),
        epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help=_("show the versions of nianbao and its plugins"))
    _lang_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, title=_("commands"))

    check = sub.add_parser(
        "check",
        help=_("check reports (files or folders)"),
        description=_("Check reports: text, HTML, PDF, DOCX or report JSON; folders are walked."),
        epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=_("report files or folders"))
    check.add_argument("--format", "-f", choices=FORMATS, default="text", help=_("output format (default: text)"))
    check.add_argument("-o", "--output", metavar="FILE", help=_("write the output to FILE instead of stdout"))
    check.add_argument(
        "--select", metavar="IDS", help=_("only these rules: ids or prefixes, comma-separated (T3,D101)")
    )
    check.add_argument("--ignore", metavar="IDS", help=_("leave out these rules: ids or prefixes, comma-separated"))
    check.add_argument(
        "--fail-on",
        choices=LEVELS,
        default=None,
        help=_("lowest level that makes the exit status 1 (default: the configuration's, else error)"),
    )
    check.add_argument("--config", metavar="FILE", help=_("configuration file (default: nianbao.yaml if present)"))
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help=_("colour the text output (default: auto)"),
    )
    check.add_argument("-v", "--verbose", action="store_true", help=_("text: also list skipped rules and why"))
    check.add_argument("-q", "--quiet", action="store_true", help=_("only findings and unreadable files; no progress"))
    check.add_argument("--no-progress", action="store_true", help=_("no progress line on stderr"))
    _lang_option(check)
    check.set_defaults(func=_check)

    parse = sub.add_parser(
        "parse",
        help=_("print a report as nianbao reads it (the report model, JSON)"),
        description=_(
            "Read one report and print its JSON model (nianbao.report/1): the cells, sections "
            "and where each value was found."
        ),
    )
    parse.add_argument("file", metavar="FILE", help=_("the report file"))
    parse.add_argument("-o", "--output", metavar="FILE", help=_("write the JSON to FILE instead of stdout"))
    _lang_option(parse)
    parse.set_defaults(func=_parse)

    export = sub.add_parser(
        "export",
        help=_("every cell of every report as one table (CSV, Excel, JSON Lines, Parquet)"),
        description=_(
            "Write one row per report: its file, meta, template, counts of findings by level and one "
            "column per table cell (headed by its key and printed label). The format follows the "
            "suffix of -o: .csv (UTF-8 with BOM), .xlsx, .jsonl, .parquet (needs pyarrow)."
        ),
    )
    export.add_argument("paths", nargs="+", metavar="PATH", help=_("report files or folders"))
    export.add_argument("-o", "--output", metavar="FILE", required=True, help=_("the file to write"))
    export.add_argument("-j", "--jobs", type=int, default=1, help=_("worker processes (default: 1)"))
    export.add_argument("--config", metavar="FILE", help=_("configuration file (default: nianbao.yaml if present)"))
    export.add_argument("-q", "--quiet", action="store_true", help=_("no summary line on stderr"))
    _lang_option(export)
    export.set_defaults(func=_export)

    rules = sub.add_parser(
        "rules",
        help=_("list every rule with its level and what it checks"),
        description=_("List every rule with its level and what it checks."),
    )
    rules.add_argument(
        "--format", "-f", choices=("text", "json"), default="text", help=_("output format (default: text)")
    )
    _lang_option(rules)
    rules.set_defaults(func=_rules)
    return parser


def _peek(argv: Sequence[str], option: str) -> str | None:
    """The value of ``option`` in ``argv`` before argparse runs (``--lang en`` or ``--lang=en``)."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == option and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(option + "="):
            value = arg.split("=", 1)[1]
    return value


def _language(argv: Sequence[str]) -> str:
    """--lang, else NIANBAO_LANG, else the configuration's lang: (read only when no other says),
    else zh; chosen before the parser is built, so that --help and usage errors speak it too."""
    try:
        chosen = i18n.normalise(_peek(argv, "--lang")) or i18n.normalise(os.environ.get(i18n.ENV))
    except i18n.LanguageError:
        chosen = None  # argparse (--lang) or the check below (NIANBAO_LANG) says what is wrong
    if chosen:
        return chosen
    from nianbao import config as configuration

    path = _peek(argv, "--config")
    if path is None and not any(os.path.isfile(name) for name in configuration.DEFAULT_FILES):
        return i18n.DEFAULT
    try:
        return configuration.load(path).lang or i18n.DEFAULT
    except configuration.ConfigError:
        return i18n.DEFAULT  # the command itself reports the bad configuration, in this language


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_language(argv))
    env = os.environ.get(i18n.ENV)
    if env:
        try:
            i18n.normalise(env)
        except i18n.LanguageError:
            _err(_("{name}={value}: unknown language; known: {known}", name=i18n.ENV, value=env, known="zh, en"))
            return 2
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
        _err(_("interrupted"))
        return 130
    except BrokenPipeError:
        # `nianbao check … | head`: the reader left; not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
