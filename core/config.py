"""Configuration: ``nianbao.yaml`` (or ``.nianbao.yaml``) in the working folder, or ``--config``.

.. code-block:: yaml

    select: [T, D, S]        # rule ids or prefixes; default: every rule
    ignore: [T203]
    fail-on: warning         # error | warning | note
    levels: {T203: warning}  # change a rule's level
    options:                 # per-rule options (see `nianbao rules`)
      D103: {township_deadline: "03-31"}
    lang: en                 # zh (default) | en; --lang and NIANBAO_LANG override it
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.i18n import LANGUAGES, _, os_reason
from nianbao.model import LEVELS

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
        }


def _ids(value: Any, name: str, path: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(_("{path}: '{key}' must be a list of rule ids or prefixes", path=path, key=name))
    return list(value)


def load(path: str | None = None) -> Config:
    """The configuration at ``path``, else the first default file found, else the defaults."""
    if path is None:
        for name in DEFAULT_FILES:
            if Path(name).is_file():
                path = name
                break
        else:
            return Config()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            _("{path}: cannot read the configuration: {reason}", path=path, reason=os_reason(exc))
        ) from exc
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        raw = YAML(typ="safe").load(text) or {}
    except YAMLError as exc:
        raise ConfigError(_("{path}: not valid YAML: {reason}", path=path, reason=exc)) from exc
    if not isinstance(raw, dict):
        raise ConfigError(_("{path}: the configuration must be a mapping", path=path))
    known = {"select", "ignore", "fail-on", "levels", "options", "lang"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            _(
                "{path}: unknown key(s) {keys}; known: {known}",
                path=path,
                keys=", ".join(map(str, unknown)),
                known=", ".join(sorted(known)),
            )
        )
    fail_on = raw.get("fail-on", "error")
    if fail_on not in LEVELS:
        raise ConfigError(
            _(
                "{path}: 'fail-on' must be one of {known}, not {value!r}",
                path=path,
                known=", ".join(LEVELS),
                value=fail_on,
            )
        )
    levels = raw.get("levels") or {}
    if not isinstance(levels, dict) or any(v not in LEVELS for v in levels.values()):
        raise ConfigError(_("{path}: 'levels' maps rule ids to one of {known}", path=path, known=", ".join(LEVELS)))
    options = raw.get("options") or {}
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise ConfigError(_("{path}: 'options' maps rule ids to mappings of option: value", path=path))
    lang = raw.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(
            _("{path}: 'lang' must be one of {known}, not {value!r}", path=path, known=", ".join(LANGUAGES), value=lang)
        )
    return Config(
        select=_ids(raw.get("select"), "select", path),
        ignore=_ids(raw.get("ignore"), "ignore", path),
        fail_on=fail_on,
        levels={str(k): str(v) for k, v in levels.items()},
        options={str(k): dict(v) for k, v in options.items()},
        path=str(path),
        lang=lang,
    )
