"""The plugin manager (``nianbao.pluginmanager``; ``nianbao.plugins`` is the package of
jurisdiction rule packs): everything registered under the entry-point group ``nianbao`` is loaded,
the built-in rules included (they register through the same entry points)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pluggy
from nianbao import hookspecs
from nianbao.rule import CrossRule, Rule


class PluginError(Exception):
    """A plugin that could not be loaded or that declares a clashing rule id."""


@dataclass(frozen=True)
class PluginInfo:
    name: str  # entry-point name
    dist: str  # distribution name
    version: str
    builtin: bool


def _dist_of(pm: pluggy.PluginManager) -> dict[int, tuple[str, str, str]]:
    """(entry-point name, distribution, version) of each plugin, by id of the plugin object."""
    return _dist_table(pm)


@cache
def _dist_table(pm: pluggy.PluginManager) -> dict[int, tuple[str, str, str]]:
    # Reading a distribution's METADATA runs the email parser on it (README included): once
    # per distribution, not once per entry point and call — it was a third of start-up.
    read: dict[int, tuple[str, str]] = {}
    out: dict[int, tuple[str, str, str]] = {}
    for plugin, facade in pm.list_plugin_distinfo():
        dist = getattr(facade, "_dist", facade)
        if id(dist) not in read:
            meta = dist.metadata
            read[id(dist)] = (meta["Name"], meta["Version"])
        out[id(plugin)] = (pm.get_name(plugin) or "", *read[id(dist)])
    return out


@cache
def manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    try:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    except Exception as exc:  # a broken third-party plugin must not look like a nianbao bug
        raise PluginError(f"a plugin registered under the entry-point group 'nianbao' failed to load: {exc}") from exc
    return pm


def plugins() -> list[PluginInfo]:
    pm = manager()
    seen: dict[str, PluginInfo] = {}
    for name, dist, version in _dist_of(pm).values():
        seen.setdefault(name, PluginInfo(name, dist, version, dist == "nianbao"))
    return sorted(seen.values(), key=lambda p: (not p.builtin, p.name))


def _collect(hook: Any) -> list[Rule]:
    pm = manager()
    dists = _dist_of(pm)
    rules: dict[str, Rule] = {}
    for impl in hook.get_hookimpls():
        _, dist, _ = dists.get(id(impl.plugin), (impl.plugin_name, impl.plugin_name, ""))
        for r in impl.function() or []:
            if r.id in rules:
                raise PluginError(f"rule id {r.id} is declared twice: by {rules[r.id].plugin} and by {dist}")
            rules[r.id] = replace(r, plugin=dist)
    return sorted(rules.values(), key=lambda r: r.id)


@cache
def rules() -> list[Rule]:
    """Every single-report rule and every cross-report rule, sorted by id."""
    pm = manager()
    found = _collect(pm.hook.nianbao_rules) + _collect(pm.hook.nianbao_cross_report_rules)
    ids = [r.id for r in found]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PluginError(f"rule ids declared twice: {', '.join(dupes)}")
    return sorted(found, key=lambda r: r.id)


def report_rules() -> list[Rule]:
    return [r for r in rules() if not isinstance(r, CrossRule)]


def cross_rules() -> list[CrossRule]:
    return [r for r in rules() if isinstance(r, CrossRule)]


def configure(config: dict[str, Any]) -> None:
    manager().hook.nianbao_configure(config=config)
