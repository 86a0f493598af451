"""The plugin manager (``nianbao.pluginmanager``; ``nianbao.plugins`` is the package of
jurisdiction rule packs): everything registered under the entry-point group ``nianbao`` is loaded,
the built-in rules included (they register through the same entry points).

The contract is strict and checked here, once, when a plugin registers: an entry point that
fails to import, a plugin that needs a newer API, a hook that returns something other than a list
of rules, a rule whose id, name, level or options are malformed, an id declared twice. Each is a
:class:`PluginError` naming the distribution (and the rule), which the command line prints as
one message with exit status 2, never a traceback.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import pluggy
from nianbao import hookspecs
from nianbao.i18n import _
from nianbao.rule import API_VERSION, CrossRule, Pack, Rule, problems


class PluginError(Exception):
    """A plugin that could not be loaded or that breaks the plugin contract."""


@dataclass(frozen=True)
class PluginInfo:
    name: str  # entry-point name
    dist: str  # distribution name
    version: str
    builtin: bool


#: plugins the configuration disables (``plugins: {disable: [...]}``), by entry-point or distribution name
_disabled: frozenset[str] = frozenset()
#: (entry-point name, distribution, version) of each loaded plugin, by id of the plugin object
_origin: dict[int, tuple[str, str, str]] = {}
#: the plugins the configuration disabled and that were therefore not imported
_skipped: list[PluginInfo] = []


def disable(names: Iterable[str]) -> None:
    """Leave out the plugins with these entry-point or distribution names; takes effect before
    anything is imported (so a broken plugin can be disabled)."""
    global _disabled
    wanted = frozenset(names)
    if wanted != _disabled:
        _disabled = wanted
        reset()


def reset() -> None:
    """Forget the loaded plugins (tests, and a changed ``disable``)."""
    manager.cache_clear()
    rules.cache_clear()
    packs.cache_clear()
    _origin.clear()
    _skipped.clear()


_ABSENT = object()


class _Manager(pluggy.PluginManager):
    """pluggy's manager, passing over at once the names of a module plugin that cannot be hook
    implementations. Registering a module, pluggy looks at every name in it (a rule pack's
    imports, helpers, constants, rules: ~600 in the built-in packs) through
    ``inspect.getattr_static``, ~4 % of a cold check. A name bound in the module's dictionary to
    anything but a function, a method or a class- or static method is not one for any version of
    pluggy, nor is a function without the hookimpl marker; every other name goes to pluggy."""

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        if type(plugin) is types.ModuleType and not name.startswith("__"):
            value = vars(plugin).get(name, _ABSENT)
            if value is not _ABSENT and not _may_implement(value, self.project_name + "_impl"):
                return None
        return super().parse_hookimpl_opts(plugin, name)


def _may_implement(value: object, marker: str) -> bool:
    if isinstance(value, types.MethodType | staticmethod | classmethod):
        return True
    return type(value) is types.FunctionType and hasattr(value, marker)


@cache
def manager() -> pluggy.PluginManager:
    from nianbao import entrypoints

    pm = _Manager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for ep in entrypoints.scan(hookspecs.PROJECT):
        dist, version = ep.dist, ep.version
        if ep.name in _disabled or dist in _disabled:
            _skipped.append(PluginInfo(ep.name, dist, version, dist == "nianbao"))
            continue
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue  # the same entry point seen twice (a package on the path twice)
        try:
            plugin = ep.load()
        except Exception as exc:  # a broken third-party plugin must not look like a nianbao bug
            raise PluginError(
                _(
                    "plugin {dist}: entry point {name} = {value} could not be imported: {error}: {reason} "
                    "(fix the package, or disable it: plugins: {{disable: [{name}]}} in the configuration)",
                    dist=dist,
                    name=ep.name,
                    value=ep.value,
                    error=type(exc).__name__,
                    reason=exc,
                )
            ) from exc
        required = getattr(plugin, "NIANBAO_API", None)
        if required is not None and (not isinstance(required, int) or isinstance(required, bool)):
            raise PluginError(
                _("plugin {dist}: NIANBAO_API must be an integer, not {value!r}", dist=dist, value=required)
            )
        if required is not None and required > API_VERSION:
            raise PluginError(
                _(
                    "plugin {dist} {version} needs nianbao plugin API {required}; this nianbao ({own}) "
                    "provides API {api}: upgrade nianbao, or disable the plugin",
                    dist=dist,
                    version=version,
                    required=required,
                    own=_own_version(),
                    api=API_VERSION,
                )
            )
        try:
            pm.register(plugin, name=ep.name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(
                _(
                    "plugin {dist}: entry point {name} cannot be registered: {reason}",
                    dist=dist,
                    name=ep.name,
                    reason=exc,
                )
            ) from exc
        _origin[id(plugin)] = (ep.name, dist, version)
    return pm


def _own_version() -> str:
    from nianbao import __version__

    return __version__


def _dist_of(plugin: object, pm: pluggy.PluginManager) -> tuple[str, str, str]:
    """(entry-point name, distribution, version) of a plugin; a plugin registered by hand (tests,
    conftest) is its own distribution."""
    name = pm.get_name(plugin) or ""
    return _origin.get(id(plugin), (name, name, ""))


def _twice(dist: str, rule_id: str, first: str) -> str:
    if dist == "nianbao" and first != "nianbao":
        dist, first = first, dist  # the plugin that clashes with a built-in id is the one to fix
    return _(
        "plugin {dist}: rule {rule} is declared twice: by {first} and by {dist} (ids must be unique)",
        dist=dist,
        rule=rule_id,
        first=first,
    )


def plugins() -> list[PluginInfo]:
    pm = manager()
    seen: dict[str, PluginInfo] = {}
    for plugin in pm.get_plugins():
        name, dist, version = _dist_of(plugin, pm)
        seen.setdefault(name, PluginInfo(name, dist, version, dist == "nianbao"))
    return sorted(seen.values(), key=lambda p: (not p.builtin, p.name))


def disabled_plugins() -> list[PluginInfo]:
    manager()
    return list(_skipped)


def _call(impl: Any, dist: str, hook: str) -> Any:
    try:
        return impl.function()
    except Exception as exc:
        raise PluginError(
            _(
                "plugin {dist}: hook {hook} raised {error}: {reason}",
                dist=dist,
                hook=hook,
                error=type(exc).__name__,
                reason=exc,
            )
        ) from exc


def _collect(hook_name: str, kind: type[Rule], pack_of: dict[int, str]) -> list[Rule]:
    pm = manager()
    rules_: dict[str, Rule] = {}
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        dist = _dist_of(impl.plugin, pm)[1]
        got = _call(impl, dist, hook_name)
        if not isinstance(got, list | tuple):
            what = _("one rule") if isinstance(got, Rule) else "None" if got is None else type(got).__name__
            raise PluginError(
                _(
                    "plugin {dist}: hook {hook} returned {what}, not a list of rules (return [rule, …])",
                    dist=dist,
                    hook=hook_name,
                    what=what,
                )
            )
        for r in got:
            bad = problems(r)
            label = _("rule {rule}", rule=r.id) if isinstance(r, Rule) and isinstance(r.id, str) else _("a rule")
            if not bad and kind is CrossRule and not isinstance(r, CrossRule):
                bad = [
                    _("it is a single-report rule returned by nianbao_cross_report_rules (use @rule(..., cross=True))")
                ]
            if not bad and kind is Rule and isinstance(r, CrossRule):
                bad = [
                    _(
                        "it is a cross-report rule (cross=True) returned by nianbao_rules; "
                        "return it from nianbao_cross_report_rules"
                    )
                ]
            if bad:
                raise PluginError(
                    _("plugin {dist}: {label}: {problems}", dist=dist, label=label, problems=_("; ").join(bad))
                )
            if r.id in rules_:
                raise PluginError(_twice(dist, r.id, rules_[r.id].plugin))
            rules_[r.id] = replace(r, plugin=dist, pack=pack_of.get(id(impl.plugin), ""))
    return sorted(rules_.values(), key=lambda r: r.id)


@cache
def packs() -> list[Pack]:
    """Every jurisdiction pack (built-in or third-party), by name."""
    pm = manager()
    found: dict[str, Pack] = {}
    for impl in pm.hook.nianbao_pack.get_hookimpls():
        dist = _dist_of(impl.plugin, pm)[1]
        pack = _call(impl, dist, "nianbao_pack")
        if not isinstance(pack, Pack):
            raise PluginError(
                _(
                    "plugin {dist}: hook nianbao_pack returned {what}, not a nianbao.Pack",
                    dist=dist,
                    what=type(pack).__name__,
                )
            )
        if not pack.name or not isinstance(pack.name, str) or not pack.region or not pack.source:
            raise PluginError(
                _("plugin {dist}: pack {pack!r}: name, region and source are required", dist=dist, pack=pack.name)
            )
        if pack.name in found:
            raise PluginError(
                _(
                    "plugin {dist}: pack {pack} is declared twice: by {first} and by {dist}",
                    dist=dist,
                    pack=pack.name,
                    first=found[pack.name].plugin,
                )
            )
        found[pack.name] = replace(pack, plugin=dist)
    return sorted(found.values(), key=lambda p: p.name)


def _pack_of() -> dict[int, str]:
    pm = manager()
    out = {}
    for impl in pm.hook.nianbao_pack.get_hookimpls():
        dist = _dist_of(impl.plugin, pm)[1]
        pack = _call(impl, dist, "nianbao_pack")
        if isinstance(pack, Pack):
            out[id(impl.plugin)] = pack.name
    return out


@cache
def rules() -> list[Rule]:
    """Every single-report rule and every cross-report rule (packs' included), sorted by id."""
    packs()  # validated first: a pack's rules are attributed to it
    pack_of = _pack_of()
    single = _collect("nianbao_rules", Rule, pack_of)
    cross = _collect("nianbao_cross_report_rules", CrossRule, pack_of)
    by_id = {r.id: r for r in single}
    for r in cross:
        if r.id in by_id:
            raise PluginError(_twice(r.plugin, r.id, by_id[r.id].plugin))
        by_id[r.id] = r
    return sorted(by_id.values(), key=lambda r: r.id)


def report_rules() -> list[Rule]:
    return [r for r in rules() if not isinstance(r, CrossRule)]


def cross_rules() -> list[CrossRule]:
    return [r for r in rules() if isinstance(r, CrossRule)]


def configure(config: dict[str, Any]) -> None:
    manager().hook.nianbao_configure(config=config)
