"""The ``nianbao`` command. Start-up stays fast: the plugin manager, the readers and the
reporters are imported only by the sub-command that needs them, so ``nianbao --help`` loads
none of them and ``nianbao check report.txt`` never imports a PDF or HTML library."""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from nianbao import __version__, i18n
from nianbao.i18n import _

if TYPE_CHECKING:
    from nianbao.config import Config
    from nianbao.results import ReportResult, RunResult, Totals

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
  nianbao check reports/ --pack suqian      also the rules of a jurisdiction pack (nianbao packs)
  nianbao rules T301                        one rule whole: explanation, options, legal basis

exit status: 0 nothing at or above the --fail-on level (waived findings do not count); 1 findings
at or above it, or a file that could not be read; 2 a usage or configuration error (or a broken
plugin); 3 a rule failed (it raised, or ran past its time limit): an internal error.
configuration: nianbao.yaml or .nianbao.yaml in the working folder, or --config FILE
(select, ignore, fail-on, levels, options, lang, packs, plugins, rule-time-limit, waivers);
options given here override it.
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
    from nianbao import pluginmanager

    cfg = configuration.load(args.config)
    # before any plugin is imported: a disabled plugin may be one that is broken
    pluginmanager.disable(cfg.disable_plugins)
    if args.pack:
        cfg.packs = list(dict.fromkeys([*cfg.packs, *_cli_packs(args)]))
    if args.rule_time_limit is not None:
        cfg.rule_time_limit = args.rule_time_limit
    if args.select is not None:
        cfg.select = _ids(args.select)
    if args.ignore is not None:
        cfg.ignore = _ids(args.ignore)
    if args.fail_on is not None:
        cfg.fail_on = args.fail_on
    if getattr(args, "roster", None):
        cfg.roster = args.roster
    if cfg.roster:
        from nianbao import roster

        roster.load(cfg.roster)  # a roster that cannot be used stops the run now (exit 2), not after reading
    _known_ids(cfg, args)
    return cfg


def _known_ids(cfg: Config, args: argparse.Namespace) -> None:
    """A selection that names no rule is a typo, not a wish to check nothing."""
    from nianbao import pluginmanager

    ids = [r.id for r in pluginmanager.rules()]
    for name, given, from_cli in (("select", cfg.select, args.select), ("ignore", cfg.ignore, args.ignore)):
        where = f"--{name}" if from_cli is not None else f"{cfg.where(name)}: {name}"
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
            raise UsageError(
                _(
                    "{path}: levels: no rule {rule} (see `nianbao rules`)",
                    path=cfg.where("levels", rule_id),
                    rule=rule_id,
                )
            )
    known_packs = [p.name for p in pluginmanager.packs()]
    for name in cfg.packs:
        if name not in known_packs:
            where = _("{path}: packs", path=cfg.where("packs")) if name not in _cli_packs(args) else "--pack"
            raise UsageError(
                _(
                    "{where}: no pack {name!r}; installed: {known} (see `nianbao packs`)",
                    where=where,
                    name=name,
                    known=", ".join(known_packs) or _("none"),
                )
            )
    from nianbao.config import check_options

    check_options(cfg, pluginmanager.rules())
    if cfg.waivers:
        from nianbao.waivers import parse

        parse(cfg, set(ids))  # a mistake in a waiver stops the run before any report is read


def _cli_packs(args: argparse.Namespace) -> list[str]:
    return [p for given in (args.pack or []) for p in _ids(given)]


def _inputs(paths: Sequence[str], skipped: list[dict[str, str]] | None = None) -> list[str]:
    """Every file to check, in order, each once; a folder without report files stays as an
    input of its own so that it is reported rather than silently dropped. A path left out (the
    same file as one before it) is added to ``skipped`` for the outputs to say."""
    from nianbao.loader import Skipped, expand

    left: list[Skipped] = []
    found = list(expand(paths, left))
    if skipped is not None:
        skipped.extend(s.to_dict() for s in left)
    return found


class _Progress:
    """A progress bar on stderr (tqdm: files, files/s, ETA), only on a terminal, so logs and
    pipes stay clean."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.bar: Any = None
        if enabled and total > 1:
            from tqdm import tqdm  # type: ignore[import-untyped,unused-ignore]

            self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, leave=False)

    def __call__(self, uri: str) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _use_colour(choice: str, output: str | None) -> bool:
    if choice != "auto":
        return choice == "always"
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _write(text: str, output: str | None, *, console: bool = False) -> None:
    """``console``: text for people, in the terminal's encoding; otherwise a document (JSON,
    XML, SARIF), always UTF-8 as it declares, wherever it goes."""
    with _opened(output, console=console) as out:
        out.write(text)


@contextlib.contextmanager
def _opened(output: str | None, *, console: bool = False) -> Iterator[TextIO]:
    if output is None or output == "-":
        # reports are Chinese: never let a narrow console encoding turn output into a traceback
        encoding = (sys.stdout.encoding or "utf-8") if console else "utf-8"
        sys.stdout.flush()
        out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, errors="replace", newline="\n")
        try:
            yield out
        finally:
            out.flush()
            out.detach()
        return
    from nianbao.atomic import replacing

    with replacing(output) as part:  # FILE.part, renamed to FILE once complete
        try:
            fh = open(part, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise UsageError(_("cannot write {file}: {reason}", file=output, reason=i18n.os_reason(exc))) from exc
        with fh:
            yield fh


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number of workers: {value}", value=repr(value))) from None
    if n < 1:
        raise argparse.ArgumentTypeError(_("at least 1 worker"))
    return n


def _limit(value: str) -> float | None:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a number: {value}", value=repr(value))) from None
    return None if n <= 0 else n


def _after_run(
    results: Iterable[ReportResult],
    run: RunResult,
    totals: Totals,
    args: argparse.Namespace,
    known: Any,
) -> Iterator[ReportResult]:
    """Each result on its way to the reporter: recorded for --write-baseline, filtered by
    --baseline, added to the totals; what the baselines say of the run is set at the end."""
    recorded: list[dict[str, Any]] = []
    baseline = None
    if known is not None:
        from nianbao.waivers import BaselineFilter

        baseline = BaselineFilter(known)
    if args.write_baseline:
        from nianbao.waivers import content_key
    for result in results:
        if args.write_baseline:
            recorded += [content_key(result.uri, result.report, f) for f in result.findings]
        if baseline is not None:
            baseline.apply(result)
        totals.add(result)
        yield result
    if args.write_baseline:
        import json

        from nianbao.waivers import baseline_entries

        text = json.dumps(baseline_entries(recorded), ensure_ascii=False, indent=1) + "\n"
        _write(text, args.write_baseline)
    if baseline is not None:
        run.baseline = {"path": args.baseline, "unchanged": baseline.unchanged, "absent": baseline.absent()}


def _html_pages(run: RunResult, results: Iterable[ReportResult], output: str, progress: _Progress) -> None:
    """HTML to a file: a large run is split into pages beside it, drawn from every report's model
    at the end (the one format that keeps the models)."""
    from dataclasses import replace

    from nianbao.reporters import html

    collected = list(results)
    progress.done()
    try:
        html.write(replace(run, results=collected, streamed=None), output)
    except OSError as exc:
        raise UsageError(_("cannot write {file}: {reason}", file=output, reason=i18n.os_reason(exc))) from exc


def _ocr_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help=_(
            "read pages by OCR (needs nianbao[ocr]): auto = image files and PDF pages without a text layer "
            "(default), always = every page, never = none"
        ),
    )


def _check(args: argparse.Namespace) -> int:
    from nianbao import pluginmanager, reporters, runner
    from nianbao.engine import selected_rules
    from nianbao.results import RunResult, Totals

    cfg = _configure(args)
    skipped: list[dict[str, str]] = []
    paths = _inputs(args.paths, skipped)
    progress = _Progress(not (args.no_progress or args.quiet) and sys.stderr.isatty(), len(paths))
    known = None
    if args.baseline:
        from nianbao.waivers import read_baseline

        known = read_baseline(args.baseline)  # before the run: a bad baseline is a usage error
    options: dict[str, Any] = {}
    if args.format == "text":
        options = {"color": _use_colour(args.color, args.output), "verbose": args.verbose, "quiet": args.quiet}
    elif args.format == "junit":
        options = {"flavor": args.junit_flavor}
    elif args.format == "sarif" and args.output not in (None, "-"):
        options["path"] = args.output  # where the parts of a log beyond GitHub's limits go
    totals = Totals()
    run = RunResult([], selected_rules(cfg), pluginmanager.plugins(), cfg.fail_on, [], streamed=totals)
    run.packs = [p for p in pluginmanager.packs() if p.name in cfg.packs]  # the SARIF tool names them
    run.skipped_files = skipped
    _resume_collector()
    try:
        results = _after_run(
            runner.stream(
                paths,
                cfg,
                jobs=args.jobs,
                time_limit=args.time_limit,
                scheduler=args.scheduler,
                ocr=args.ocr,
                keep_model=args.format == "html" or reporters.keeps_model(args.format),
                run=run,
                progress=progress,
            ),
            run,
            totals,
            args,
            known,
        )
        if args.format == "html" and args.output and args.output != "-":
            _html_pages(run, results, args.output, progress)
        else:
            with _opened(args.output, console=args.format == "text") as out:
                writer = reporters.writer(args.format, run, out, **options)
                for result in results:
                    writer.add(result)
                progress.done()
                writer.close()
    finally:
        progress.done()
    if args.output and args.format != "text" and not args.quiet:
        # the file holds the details; the console still deserves the one-line verdict
        from nianbao.reporters.text import summary

        print(summary(run), file=sys.stderr)
    return run.exit_status()


# --- parse, rules -----------------------------------------------------------------------------


def _parse(args: argparse.Namespace) -> int:
    import json

    from nianbao.loader import load

    item = load(args.file, ocr=args.ocr)
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
    from nianbao.textsafe import strict

    # strict JSON: a figure a reader could only read as infinite is written as null
    _write(json.dumps(strict(item.report.data), ensure_ascii=False, indent=2, allow_nan=False) + "\n", args.output)
    return 0


def _export(args: argparse.Namespace) -> int:
    from nianbao import config as configuration
    from nianbao.export import ExportError, export

    cfg = configuration.load(args.config)
    skipped: list[dict[str, str]] = []
    paths = _inputs(args.paths, skipped)
    for entry in skipped:  # a table has no place for a path not checked: said here
        print(_("nianbao: {level}: {message}", level=_("note"), message=entry["message"]), file=sys.stderr)
    _resume_collector()
    try:
        n = export(paths, args.output, cfg, jobs=max(1, args.jobs), check=not args.no_check)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(_("cannot write {file}: {reason}", file=args.output, reason=i18n.os_reason(exc))) from exc
    if not args.quiet:
        print(_("{file}: {n} reports", file=args.output, n=n), file=sys.stderr)
    return 0


def _plugin_config(args: argparse.Namespace) -> None:
    """``nianbao rules`` and ``packs`` honour the configuration's disabled plugins."""
    from nianbao import config as configuration
    from nianbao import pluginmanager

    pluginmanager.disable(configuration.load(args.config).disable_plugins)


def _rules(args: argparse.Namespace) -> int:
    import json

    from nianbao import pluginmanager

    _plugin_config(args)
    found = pluginmanager.rules()
    if args.ids:
        by_id = {r.id: r for r in found}
        missing = [i for i in args.ids if i not in by_id]
        if missing:
            raise UsageError(_("no rule {ids} (see `nianbao rules`)", ids=", ".join(missing)))
        found = [by_id[i] for i in args.ids]
    if args.format == "json":
        _write(json.dumps([r.metadata() for r in found], ensure_ascii=False, indent=2) + "\n", None)
        return 0
    if args.ids:
        packs = {p.name: p for p in pluginmanager.packs()}
        text = "\n\n".join(_rule_whole(r, packs) for r in found)
        _write(text + "\n", None, console=True)
        return 0
    lines = []
    for r in found:
        origin = "" if r.builtin else f"  [{r.plugin}]"
        if r.pack:
            origin += "  " + _("[pack {pack}, off unless enabled]", pack=r.pack)
        lines.append(f"{r.id}  {r.level:<7}  {r.name}{origin}\n      {i18n.translate(r.summary)}")
    _write("\n".join(lines) + "\n" if lines else _("no rules are installed") + "\n", None, console=True)
    return 0


def _rule_whole(r: Any, packs: dict[str, Any]) -> str:
    """One rule as `nianbao rules ID` shows it: everything its metadata says."""
    import textwrap

    lines = [f"{r.id} {r.name} ({r.level})", f"  {i18n.translate(r.summary)}", ""]
    lines += [textwrap.indent(i18n.translate(r.explanation) if r.explanation else _("(no explanation)"), "  "), ""]
    origin = _("nianbao (built in)") if r.builtin else r.plugin
    if r.pack:
        pack = packs.get(r.pack)
        origin += "; " + _(
            "pack {pack} ({region}): off unless enabled (--pack {pack} or packs: [{pack}])",
            pack=r.pack,
            region=pack.region if pack else "?",
        )
    rows = [
        (_("scope"), _("across reports") if r.metadata()["scope"] == "corpus" else _("one report")),
        (_("legal basis"), r.legal_basis or _("(none given)")),
        (_("plugin"), origin),
        (_("help"), r.url or _("(none)")),
    ]
    if r.since:
        rows.append((_("since"), r.since))
    fragment = r.example_report
    if "\n" in fragment or "\t" in fragment:  # a table row or several lines: shown as printed, below
        fragment = "\n" + textwrap.indent(fragment.strip("\n"), "      ")
    if r.example or not fragment:
        rows.append((_("example"), r.example or _("(none given)")))
    if fragment:
        rows.append((_("triggered by"), fragment))
    lines += [f"  {k + ':':<13}{v}".rstrip(" ") if "\n" not in v else f"  {k}:{v}" for k, v in rows]
    declared = r.declared_options()
    if declared:
        lines.append("  " + _("options:"))
        for name, o in declared.items():
            default = _("unset") if o.default is None else repr(o.default)
            kind = _("{type}, default {default}", type=o.type_name, default=default)
            lines.append(f"    {name} ({kind})" + (f": {o.help}" if o.help else ""))
    else:
        lines.append("  " + _("options: none"))
    return "\n".join(lines)


def _packs(args: argparse.Namespace) -> int:
    import json

    from nianbao import pluginmanager

    _plugin_config(args)
    found = pluginmanager.packs()
    by_pack: dict[str, list[str]] = {}
    for r in pluginmanager.rules():
        if r.pack:
            by_pack.setdefault(r.pack, []).append(r.id)
    if args.format == "json":
        docs = [{**p.to_dict(), "rules": by_pack.get(p.name, [])} for p in found]
        _write(json.dumps(docs, ensure_ascii=False, indent=2) + "\n", None)
        return 0
    if not found:
        _write(_("no packs are installed") + "\n", None, console=True)
        return 0
    lines = []
    for p in found:
        origin = "" if p.plugin == "nianbao" else f"  [{p.plugin}]"
        lines.append(f"{p.name}  {p.region}{origin}")
        lines.append("      " + _("rules: {ids}", ids=", ".join(by_pack.get(p.name, [])) or _("none")))
        lines.append("      " + _("source: {source}", source=p.source) + (f" <{p.url}>" if p.url else ""))
        if p.description:
            lines.append(f"      {i18n.translate(p.description)}")
    lines.append(_("enable one with --pack NAME, or packs: [NAME] in nianbao.yaml"))
    _write("\n".join(lines) + "\n", None, console=True)
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


class _Parser(argparse.ArgumentParser):
    """argparse's parser (its sub-commands' too), except for the formatters it makes while the
    parser is built: one for each option added, to try its metavar, and one for the sub-commands'
    name. argparse sizes each to the terminal, which imports shutil (with bz2 and lzma behind it)
    into every start, for texts that do not depend on the width. Help is still formatted at the
    terminal's width."""

    _building = False

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with self._built():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with self._built():
            return super().add_subparsers(**kwargs)

    @contextlib.contextmanager
    def _built(self) -> Iterator[None]:
        self._building = True
        try:
            yield
        finally:
            self._building = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self._building:
            # (every formatter class here is one of argparse's HelpFormatters, which take a width)
            return self.formatter_class(prog=self.prog, width=_BUILDING_WIDTH)  # type: ignore[call-arg]
        return super()._get_formatter()


#: the width of the formatters made while building (a metavar tried, the name "nianbao" as
#: the sub-commands' prefix: no text that wraps)
_BUILDING_WIDTH = 80


def build_parser() -> argparse.ArgumentParser:
    _argparse_in_language()
    parser = _Parser(
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
        "--pack",
        action="append",
        metavar="NAME",
        help=_("enable a jurisdiction pack (repeat or comma-separate; see `nianbao packs`)"),
    )
    check.add_argument(
        "--rule-time-limit",
        type=float,
        metavar="SECONDS",
        help=_(
            "stop a rule that runs longer on one report (default 5, more in proportion for a report of over "
            "a million characters; 0: no limit): an internal error, exit 3"
        ),
    )
    check.add_argument(
        "--baseline", metavar="FILE", help=_("report only findings not in this baseline (--write-baseline)")
    )
    check.add_argument("--write-baseline", metavar="FILE", help=_("record this run's findings, by content, in FILE"))
    check.add_argument(
        "--junit-flavor",
        choices=("jenkins", "gitlab"),
        default="jenkins",
        help=_("junit: jenkins (junit-10.xsd) or gitlab (also the testcase file attribute GitLab reads)"),
    )
    check.add_argument(
        "--roster",
        metavar="FILE",
        help=_("the bodies expected to report (YAML or CSV): who has not, and who is not on it (rules R1xx)"),
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help=_("colour the text output (default: auto)"),
    )
    check.add_argument("-v", "--verbose", action="store_true", help=_("text: also list skipped rules and why"))
    check.add_argument("-q", "--quiet", action="store_true", help=_("only findings and unreadable files; no progress"))
    check.add_argument("--no-progress", action="store_true", help=_("no progress bar on stderr"))
    _ocr_option(check)
    _lang_option(check)
    check.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help=_("worker processes reading and checking files (default: the machine's cores)"),
    )
    check.add_argument(
        "--time-limit",
        type=_limit,
        default=60.0,
        metavar="SECONDS",
        help=_(
            "stop reading and checking a file after this long: an error for that file, the run goes on "
            "(default 60, more in proportion for a file of over 8 MB; 0: none). Applies when several files "
            "are checked"
        ),
    )
    check.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=_(
            "run the work on a Dask distributed cluster (tcp://host:8786; needs nianbao[dask]); "
            "the results are those of a local run"
        ),
    )
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
    _ocr_option(parse)
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
    export.add_argument(
        "--no-check",
        action="store_true",
        help=_("only read: cells and meta, no counts of findings (much faster on a large corpus)"),
    )
    export.add_argument("-q", "--quiet", action="store_true", help=_("no summary line on stderr"))
    _lang_option(export)
    export.set_defaults(func=_export)

    rules = sub.add_parser(
        "rules",
        help=_("list every rule with its level and what it checks; `nianbao rules ID` shows one whole"),
        description=_(
            "Every rule (id, level, name, summary), or the rules named, whole: explanation, "
            "options with their types and defaults, legal basis, examples (a message; a fragment of a report "
            "that triggers the rule), the plugin."
        ),
    )
    rules.add_argument("ids", nargs="*", metavar="ID", help=_("show these rules whole"))
    _listing_options(rules)
    rules.set_defaults(func=_rules)

    packs = sub.add_parser(
        "packs",
        help=_("list the jurisdiction packs (off until enabled) with their region and source"),
        description=_(
            "Jurisdiction packs: rules of a province or city, or of national evaluators, shipped "
            "with nianbao or installed as plugins. Each is off until enabled (--pack NAME, or packs: [NAME])."
        ),
    )
    _listing_options(packs)
    packs.set_defaults(func=_packs)
    return parser


def _listing_options(parser: argparse.ArgumentParser) -> None:
    """The options of the commands that list what is installed (rules, packs)."""
    parser.add_argument(
        "--format", "-f", choices=("text", "json"), default="text", help=_("output format (default: text)")
    )
    parser.add_argument("--config", metavar="FILE", help=_("configuration file (for plugins: disable)"))
    _lang_option(parser)


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
    from nianbao import codecache, regex

    _pause_collector()
    try:
        # what every start compiled anew, kept compiled between runs: the regular expressions'
        # programs and the methods dataclasses writes (each a fifth of a cold start)
        with regex.cached(), codecache.cached():
            return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        _resume_collector()


_paused = False
_frozen = False


def _pause_collector() -> None:
    """The cyclic garbage collector is off while nianbao starts (imports, plugins, configuration):
    start-up makes some 100,000 objects that all live on, and the collector went over each of them
    once or twice, a tenth of a cold start for nothing."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def _resume_collector() -> None:
    """On again before the first report is read (and at the end of a command that reads none).
    What the process's first start-up made is frozen first (``gc.freeze``: kept out of every later
    collection, which would find it all alive), so the run's collections see only the run's objects."""
    global _paused, _frozen
    if _paused:
        _paused = False
        if not _frozen:  # once: a program calling main() again keeps its own garbage collectable
            _frozen = True
            gc.freeze()
        gc.enable()


def _main(argv: list[str]) -> int:
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
