"""Configuration: ``nianbao.yaml`` (or ``.nianbao.yaml``) in the working folder, or ``--config``.

.. code-block:: yaml

    select: [T, D, S]        # rule ids or prefixes; default: every rule
    ignore: [T203]
    fail-on: warning         # error | warning | note
    levels: {T203: warning}  # change a rule's level
    options:                 # per-rule options (see `nianbao rules ID`), checked against their declarations
      D103: {township_deadline: "03-31"}
    packs: [suqian]          # jurisdiction packs to enable (see `nianbao packs`)
    plugins: {disable: [nianbao-acme]}   # plugins not to load, by distribution or entry-point name
    rule-time-limit: 5       # seconds a rule may take on one report (0: no limit)
    waivers:                 # findings accepted for a while (see nianbao.waivers)
      - {rule: T203, reports: "reports/2021/*.txt", reason: "…", expires: 2027-06-30}
    lang: en                 # zh (default) | en; --lang and NIANBAO_LANG override it
    roster: bodies.yaml      # the bodies expected to report (YAML or CSV); --roster overrides it

Mistakes are :class:`ConfigError` naming the file and the line.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any

from nianbao.i18n import LANGUAGES, _, os_reason
from nianbao.limits import DEFAULT_RULE_SECONDS
from nianbao.model import LEVELS
from nianbao.readers.limits import Limits

DEFAULT_FILES = ("nianbao.yaml", ".nianbao.yaml")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    levels: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str | None = None
    lang: str | None = None
    packs: list[str] = field(default_factory=list)
    disable_plugins: list[str] = field(default_factory=list)
    rule_time_limit: float = DEFAULT_RULE_SECONDS
    #: the raw ``waivers`` entries (parsed and checked by nianbao.waivers)
    waivers: list[dict[str, Any]] = field(default_factory=list)
    #: line (1-based) of each key path in the file: ("options", "D103", "x") → 12
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def where(self, *keys: Any) -> str:
        """``path:line`` of the deepest of ``keys`` the file has, for messages."""
        for n in range(len(keys), 0, -1):
            if keys[:n] in self.lines:
                return f"{self.path}:{self.lines[keys[:n]]}"
        return str(self.path or _("the command line"))

    #: what one input may make the readers read (nianbao.readers.limits)
    limits: Limits = field(default_factory=Limits)
    #: the roster file (bodies expected to report), relative paths resolved from the configuration's folder
    roster: str | None = None

    def selects(self, rule_id: str) -> bool:
        def hit(prefixes: list[str]) -> bool:
            return any(rule_id == p or rule_id.startswith(p) for p in prefixes)

        if self.select and not hit(self.select):
            return False
        return not hit(self.ignore)

    def as_dict(self) -> dict[str, Any]:
        return {
            "select": self.select,
            "ignore": self.ignore,
            "fail-on": self.fail_on,
            "levels": self.levels,
            "options": self.options,
            "lang": self.lang,
            "packs": self.packs,
            "plugins": {"disable": self.disable_plugins},
            "rule-time-limit": self.rule_time_limit,
            "roster": self.roster,
        }


KNOWN_KEYS = (
    "select",
    "ignore",
    "fail-on",
    "levels",
    "options",
    "lang",
    "packs",
    "plugins",
    "rule-time-limit",
    "waivers",
    "limits",
    "roster",
)


def _names(value: Any, name: str, where: str, what: str = "") -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        if not what:
            raise ConfigError(_("{path}: '{key}' must be a list of rule ids or prefixes", path=where, key=name))
        raise ConfigError(_("{path}: '{key}' must be a list of {what}", path=where, key=name, what=what))
    return list(value)


def _plain(node: Any, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> Any:
    """ruamel's round-trip nodes as plain values, noting the line of every key and item."""
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if lc is not None:
                with contextlib.suppress(KeyError, TypeError):
                    lines[(*path, key)] = lc.key(key)[0] + 1
            out[key] = _plain(value, (*path, key), lines)
        return out
    if isinstance(node, list):
        items = []
        for index, value in enumerate(node):
            if lc is not None:
                with contextlib.suppress(KeyError, TypeError):
                    lines[(*path, index)] = lc.item(index)[0] + 1
            items.append(_plain(value, (*path, index), lines))
        return items
    if isinstance(node, str):
        return str(node)
    if node is None or isinstance(node, bool):
        return node
    if type(node).__name__ == "ScalarBoolean":  # ruamel's anchored boolean, an int subclass
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node  # dates and the like stay as ruamel gives them (datetime.date)


def _decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without a BOM); else GB18030, which a config saved in GBK or GB2312 on a
    Chinese Windows is; else refused, saying how to fix it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise ConfigError(
                _(
                    "{path}: not UTF-8 (byte {offset}) nor GBK/GB18030 text; save the configuration as UTF-8",
                    path=path,
                    offset=exc.start,
                )
            ) from None


def load(path: str | None = None) -> Config:
    """The configuration at ``path``, else the first default file found, else the defaults."""
    if path is None:
        for name in DEFAULT_FILES:
            if os.path.isfile(name):
                path = name
                break
        else:
            return Config()
    try:
        with open(path, "rb") as fh:
            text = _decode(fh.read(), path)
    except OSError as exc:
        raise ConfigError(
            _("{path}: cannot read the configuration: {reason}", path=path, reason=os_reason(exc))
        ) from exc
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        node = YAML(typ="rt", pure=True).load(text)
    except YAMLError as exc:
        raise ConfigError(_("{path}: not valid YAML: {reason}", path=path, reason=exc)) from exc
    except Exception as exc:  # ruamel raises a few non-YAMLError types on odd input (duplicate keys…)
        raise ConfigError(_("{path}: not valid YAML: {reason}", path=path, reason=exc)) from exc
    lines: dict[tuple[Any, ...], int] = {}
    raw = _plain(node, (), lines) if node is not None else {}
    if not isinstance(raw, dict):
        raise ConfigError(_("{path}: the configuration must be a mapping", path=path))
    cfg = Config(path=str(path), lines=lines)
    unknown = sorted(str(k) for k in raw if k not in KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            _(
                "{path}: unknown key(s) {keys}; known: {known}",
                path=cfg.where(unknown[0]),
                keys=", ".join(unknown),
                known=", ".join(KNOWN_KEYS),
            )
        )
    fail_on = raw.get("fail-on", "error")
    if fail_on not in LEVELS:
        raise ConfigError(
            _(
                "{path}: 'fail-on' must be one of {known}, not {value!r}",
                path=cfg.where("fail-on"),
                known=", ".join(LEVELS),
                value=fail_on,
            )
        )
    levels = raw.get("levels") or {}
    if not isinstance(levels, dict):
        raise ConfigError(
            _("{path}: 'levels' maps rule ids to one of {known}", path=cfg.where("levels"), known=", ".join(LEVELS))
        )
    for rule_id, level in levels.items():
        if level not in LEVELS:
            raise ConfigError(
                _(
                    "{path}: levels: {rule}: {value!r} is not one of {known}",
                    path=cfg.where("levels", rule_id),
                    rule=rule_id,
                    value=level,
                    known=", ".join(LEVELS),
                )
            )
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise ConfigError(_("{path}: 'options' maps rule ids to mappings of option: value", path=cfg.where("options")))
    for rule_id, value in options.items():
        if not isinstance(value, dict):
            raise ConfigError(
                _(
                    "{path}: options: {rule} must be a mapping of option: value",
                    path=cfg.where("options", rule_id),
                    rule=rule_id,
                )
            )
    lang = raw.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            _(
                "{path}: 'lang' must be one of {known}, not {value!r}",
                path=cfg.where("lang"),
                known=", ".join(LANGUAGES),
                value=lang,
            )
        )
    roster = raw.get("roster")
    if roster is not None and not isinstance(roster, str):
        raise ConfigError(_("{path}: 'roster' is the path of a roster file (YAML or CSV)", path=cfg.where("roster")))
    if roster and not os.path.isabs(roster):
        from pathlib import Path  # its normalised form of the joined path is what messages name

        roster = str(Path(path).parent / roster)
    plugins = raw.get("plugins") or {}
    if not isinstance(plugins, dict) or set(plugins) - {"disable"}:
        raise ConfigError(_("{path}: 'plugins' takes one key, disable: [plugin names]", path=cfg.where("plugins")))
    limit = raw.get("rule-time-limit", DEFAULT_RULE_SECONDS)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 0:
        raise ConfigError(
            _("{path}: 'rule-time-limit' is seconds (a number ≥ 0; 0: no limit)", path=cfg.where("rule-time-limit"))
        )
    waivers = raw.get("waivers") or []
    if not isinstance(waivers, list) or not all(isinstance(w, dict) for w in waivers):
        raise ConfigError(
            _("{path}: 'waivers' is a list of mappings (rule, reports, reason, expires)", path=cfg.where("waivers"))
        )
    cfg.select = _names(raw.get("select"), "select", cfg.where("select"))
    cfg.ignore = _names(raw.get("ignore"), "ignore", cfg.where("ignore"))
    cfg.fail_on = fail_on
    cfg.levels = {str(k): str(v) for k, v in levels.items()}
    cfg.options = {str(k): dict(v) for k, v in options.items()}
    cfg.lang = lang
    cfg.packs = _names(raw.get("packs"), "packs", cfg.where("packs"), _("pack names"))
    cfg.disable_plugins = _names(plugins.get("disable"), "plugins: disable", cfg.where("plugins"), _("plugin names"))
    cfg.rule_time_limit = float(limit)
    cfg.waivers = waivers
    given_limits = raw.get("limits") or {}
    if not isinstance(given_limits, dict):
        raise ConfigError(_("{path}: 'limits' maps limit names to numbers", path=cfg.where("limits")))
    try:
        cfg.limits = Limits.from_mapping(given_limits, f"{cfg.where('limits')}: limits")
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    cfg.roster = roster
    return cfg


def check_options(cfg: Config, rules: list[Any]) -> None:
    """The configuration's ``options`` against the rules' declarations: an unknown rule, an
    unknown option or a value of the wrong type is a ConfigError at its line."""
    by_id = {r.id: r for r in rules}
    for rule_id, given in cfg.options.items():
        rule = by_id.get(rule_id)
        if rule is None:
            raise ConfigError(
                _(
                    "{path}: options: no rule {rule!r} (see `nianbao rules`)",
                    path=cfg.where("options", rule_id),
                    rule=rule_id,
                )
            )
        declared = rule.declared_options()
        for name, value in given.items():
            option = declared.get(name)
            if option is None:
                raise ConfigError(
                    _(
                        "{path}: options: {rule} has no option {option!r} "
                        "(its options: {known}; see `nianbao rules {rule}`)",
                        path=cfg.where("options", rule_id, name),
                        rule=rule_id,
                        option=name,
                        known=", ".join(declared) or _("none"),
                    )
                )
            if not option.accepts(value):
                raise ConfigError(
                    _(
                        "{path}: options: {rule}.{option} must be of type {type}, not {value!r} (default: {default!r})",
                        path=cfg.where("options", rule_id, name),
                        rule=rule_id,
                        option=name,
                        type=option.type_name,
                        value=value,
                        default=option.default,
                    )
                )
