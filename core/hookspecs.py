"""The plugin API: the hooks nianbao calls, for built-in rule packs and third-party plugins alike.

A plugin is a module (or object) with functions marked ``@nianbao.hookimpl``, registered under
the entry-point group ``nianbao`` in its distribution's ``pyproject.toml``::

    [project.entry-points.nianbao]
    my_rules = "my_package.rules"

All hooks are optional. Hooks returning lists are called on every plugin and the lists are
concatenated; rule ids must be unique across plugins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from nianbao.readers import Reader
    from nianbao.rule import CrossRule, Pack, Rule

PROJECT = "nianbao"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def nianbao_rules() -> list[Rule]:
    """Rules that check one report at a time (see :func:`nianbao.rule`)."""
    raise NotImplementedError


@hookspec
def nianbao_cross_report_rules() -> list[CrossRule]:
    """Rules that check the reports of one run together, e.g. one organ's year N against N−1
    (see :class:`nianbao.rule.CrossRule`).

    Make one with ``@nianbao.rule(id, name, level, summary, explanation, cross=True)`` on a
    function ``check(reports, ctx)``: it receives every report of the run that was read (those
    that could not be read are left out) and yields ``(report, Finding)`` for a finding that
    belongs to ``report`` (its pointers resolve in that report's provenance), or
    ``(report, nianbao.Skip("why"))`` for a report it cannot judge. A report it yields nothing
    for has passed. The first outcome yielded for a report decides between skipped and checked:
    findings after a Skip for the same report are dropped, a Skip after a finding is ignored.
    To pair one organ's reports by year as the built-in X rules do, use
    ``nianbao.rules.crossyear.link(reports)``: it yields each report with its organ's N−1 report,
    or with the Skip saying why there is none.
    """
    raise NotImplementedError


@hookspec
def nianbao_pack() -> Pack:
    """Makes the module a jurisdiction pack: its rules run only when the pack is enabled
    (``packs: [name]`` in the configuration, or ``--pack name``), and ``nianbao packs`` lists it
    with its region and source. Return one :class:`nianbao.Pack`."""
    raise NotImplementedError


@hookspec
def nianbao_readers() -> list[Reader]:
    """Readers that turn a file's bytes into the report model (see :class:`nianbao.readers.Reader`)."""
    raise NotImplementedError


@hookspec
def nianbao_configure(config: dict[str, Any]) -> None:
    """Called once with the loaded configuration (a plain dict) before any check runs."""
    raise NotImplementedError
