"""Every user-facing string goes through here: gettext catalogues, Chinese by default.

The source text in code is English, with named placeholders; each language other than the source
has a catalogue ``locale/<lang>/LC_MESSAGES/<domain>.po`` (managed with Babel:
``python scripts/i18n.py update`` adds new strings to it, a test fails while one is untranslated).
A wheel carries the ``.mo`` compiled from it at build time (``setup.py``); a source checkout or an
editable install, which has no ``.mo``, reads the ``.po`` itself (a few milliseconds, measured in
the README). Only the catalogue of the language in use is read, and only when the first message is
shown.

.. code-block:: python

    from nianbao.i18n import N_, _

    _("table {table}: {label} is {value}", table="三", label="（七）总计", value=5)   # now, in the language of the run
    N_("Counts are whole numbers")   # marked for the catalogue; translated where it is shown (rule metadata)

A plugin makes its own catalogue the same way, beside its package::

    from nianbao.i18n import catalogue

    _ = catalogue(__package__)   # <package>/locale/<lang>/LC_MESSAGES/<package>.po (or .mo)

The language: ``--lang`` on the command line, else ``NIANBAO_LANG``, else ``lang:`` in the
configuration, else ``zh``.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
#: the language the msgids in code are written in (it needs no catalogue)
SOURCE = "en"
ENV = "NIANBAO_LANG"

_current = DEFAULT
#: when a set, every msgid shown is added to it (tests measure which templates a run used)
seen: set[str] | None = None
#: every catalogue made so far (nianbao's own first), for texts such as rule metadata that are
#: translated where they are shown, not where they are written
_registry: list[Catalogue] = []


class LanguageError(ValueError):
    """An unknown language (the message says which ones there are)."""


def normalise(lang: str | None) -> str | None:
    """``zh``, ``zh_CN``, ``zh-Hans``, ``ZH`` → ``zh``; ``en_US.UTF-8`` → ``en``; None stays None."""
    if lang is None or not str(lang).strip():
        return None
    code = str(lang).strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    if code not in LANGUAGES:
        raise LanguageError(lang)
    return code


def choose(cli: str | None = None, config: str | None = None) -> str:
    """The language of a run: ``--lang``, else ``NIANBAO_LANG``, else ``lang:`` of the configuration,
    else zh. (The environment is the reader's own choice, so it overrides a project's file.)"""
    for given in (cli, os.environ.get(ENV), config):
        code = normalise(given)
        if code is not None:
            return code
    return DEFAULT


def set_language(lang: str) -> None:
    global _current
    _current = normalise(lang) or DEFAULT


def language() -> str:
    return _current


class _Fields(dict[str, Any]):
    """Placeholders of a template; a missing one shows as ``{name}`` instead of a traceback."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, fields: Mapping[str, Any]) -> str:
    return template.format_map(_Fields(fields)) if fields else template


class Catalogue:
    """The messages of one domain (nianbao, or a plugin's package) in every language it ships.

    ``cat(msgid, **fields)`` translates into the run's language and fills the named placeholders;
    ``cat.plural(singular, plural, n, **fields)`` picks the form for ``n`` (``n`` is a field too).
    """

    def __init__(self, domain: str, localedir: str | os.PathLike[str]) -> None:
        self.domain = domain
        # a string: pathlib (with urllib.parse and ipaddress behind it) is not needed to find a file
        self._localedir = os.fspath(localedir)
        self._loaded: dict[str, gettext.NullTranslations] = {}
        _registry.append(self)

    def translations(self, lang: str | None = None) -> gettext.NullTranslations:
        lang = lang or _current
        found = self._loaded.get(lang)
        if found is None:
            found = self._loaded[lang] = _load(os.path.join(self._localedir, lang, "LC_MESSAGES", self.domain))
        return found

    @property
    def localedir(self) -> Path:
        from pathlib import Path

        return Path(self._localedir)

    def has(self, msgid: str, lang: str | None = None) -> bool:
        catalog = getattr(self.translations(lang), "_catalog", None)
        return bool(catalog) and msgid in catalog  # type: ignore[operator]

    def gettext(self, msgid: str, lang: str | None = None) -> str:
        return self.translations(lang).gettext(msgid)

    def __call__(self, msgid: str, /, **fields: Any) -> str:
        if seen is not None:
            seen.add(msgid)
        return fill(self.translations().gettext(msgid), fields)

    def plural(self, singular: str, plural: str, n: int, /, **fields: Any) -> str:
        if seen is not None:
            seen.add(singular)
        return fill(self.translations().ngettext(singular, plural, n), {"n": n, **fields})

    def context(self, context: str, msgid: str, /, **fields: Any) -> str:
        """``msgid`` in ``context``: the same English that reads differently in Chinese (a row or
        a column of table 三, say) is two entries of the catalogue (gettext's pgettext)."""
        if seen is not None:
            seen.add(msgid)
        found = self.translations().gettext(f"{context}\x04{msgid}")
        return fill(msgid if "\x04" in found else found, fields)


def _load(base: str) -> gettext.NullTranslations:
    """``base.mo`` when a build compiled it (and the ``.po`` is not newer), else ``base.po``, else
    nothing to translate (the source language, or a language the domain does not ship)."""
    stem = os.path.splitext(base)[0]
    mo, po = stem + ".mo", stem + ".po"
    try:
        mo_time = os.stat(mo).st_mtime
    except OSError:
        mo_time = None
    try:
        po_time: float | None = os.stat(po).st_mtime
    except OSError:
        po_time = None
    if mo_time is not None and (po_time is None or po_time <= mo_time + 2):
        with open(mo, "rb") as fh:
            return gettext.GNUTranslations(fh)
    if po_time is not None:
        return _PoTranslations(po)
    return gettext.NullTranslations()


class _PoTranslations(gettext.NullTranslations):
    """A ``.po`` file read directly (as GNUTranslations reads a ``.mo``): msgid → msgstr, plural
    forms from the header; entries that are fuzzy or untranslated are left out, as msgfmt does."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self._catalog: dict[Any, str] = {}
        self._plural: Callable[[int], int] = lambda n: 0
        with open(path, encoding="utf-8") as fh:
            entries = parse_po(fh.read())
        for entry in entries:
            if entry.get("fuzzy") or "msgid" not in entry:
                continue
            if entry["msgid"] == "":
                self._header(entry.get("msgstr", ""))
            elif "msgid_plural" in entry:
                forms = {k: v for k, v in entry.items() if isinstance(k, int) and v}
                for index, text in forms.items():
                    self._catalog[(entry["msgid"], index)] = text
            elif entry.get("msgstr"):
                self._catalog[entry["msgid"]] = entry["msgstr"]

    def _header(self, text: str) -> None:
        for line in text.splitlines():
            if line.lower().startswith("plural-forms:"):
                expr = line.split("plural=", 1)[-1].rstrip(";").strip()
                self._plural = gettext.c2py(expr)

    def gettext(self, message: str) -> str:
        return self._catalog.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        text = self._catalog.get((msgid1, self._plural(n)))
        if text is not None:
            return text
        return msgid1 if n == 1 else msgid2


def _unescape(body: str) -> str:
    out: list[str] = []
    i = 0
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_po(text: str) -> list[dict[Any, Any]]:
    """The entries of a ``.po`` file: ``msgid``, ``msgstr`` (or ``msgid_plural`` and ``0``, ``1`` …
    for ``msgstr[N]``), ``msgctxt``, ``fuzzy``. Obsolete entries (``#~``) are skipped."""
    entries: list[dict[Any, Any]] = []
    entry: dict[Any, Any] = {}
    key: Any = None

    def flush() -> None:
        nonlocal entry, key
        if "msgid" in entry:
            if "msgctxt" in entry:
                entry["msgid"] = entry.pop("msgctxt") + "\x04" + entry["msgid"]
            entries.append(entry)
        entry, key = {}, None

    def translated() -> bool:
        return any(k == "msgstr" or isinstance(k, int) for k in entry)

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if translated():
                flush()
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            continue
        if line.startswith('"'):
            if key is None:
                raise ValueError(f"a continued string outside an entry in a .po file: {raw!r}")
            entry[key] += _unescape(line[1:-1])
            continue
        word, _, rest = line.partition(" ")
        if word in ("msgid", "msgctxt") and translated():
            flush()
        if word.startswith("msgstr["):
            key = int(word[7:-1])
        elif word in ("msgid", "msgid_plural", "msgstr", "msgctxt"):
            key = word
        else:
            raise ValueError(f"unexpected line in a .po file: {raw!r}")
        entry[key] = _unescape(rest.strip()[1:-1])
    flush()
    return entries


def catalogue(package: str) -> Catalogue:
    """The catalogue of an (imported) package: ``<package dir>/locale/<lang>/LC_MESSAGES/<package>``."""
    top = package.split(".")[0]
    module = sys.modules[top]
    return Catalogue(top, os.path.join(os.path.dirname(module.__file__ or ""), "locale"))


def translate(text: str, lang: str | None = None) -> str:
    """A text marked with :func:`N_` (rule metadata, say), in the run's language: from the first
    catalogue that has it, plugins' before nianbao's own; else as written."""
    if not text:
        return text
    for cat in reversed(_registry):
        if cat.has(text, lang):
            return cat.gettext(text, lang)
    return text


def N_(text: str) -> str:  # noqa: N802 - the gettext convention
    """Marks a text for the catalogue without translating it here (``translate`` does, later)."""
    return text


_OS_REASONS = {
    "ENOENT": N_("no such file or folder"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("operation not permitted"),
    "EISDIR": N_("it is a folder"),
    "ENOTDIR": N_("a part of the path is not a folder"),
    "ENOSPC": N_("no space left on the device"),
    "EROFS": N_("the file system is read-only"),
    "ENAMETOOLONG": N_("the name is too long"),
    "ELOOP": N_("too many levels of symbolic links"),
    "EIO": N_("input/output error"),
}


def os_reason(exc: OSError | BaseException) -> str:
    """Why an operating-system call failed, in the run's language (``strerror`` is in the
    system's locale, usually English): by errno, else as the system says it."""
    import errno as errnos

    code = getattr(exc, "errno", None)
    name = errnos.errorcode.get(code, "") if isinstance(code, int) else ""
    if name in _OS_REASONS:
        return messages(_OS_REASONS[name])
    return str(getattr(exc, "strerror", None) or exc)


#: nianbao's own messages
messages = Catalogue("nianbao", os.path.join(os.path.dirname(__file__), "locale"))
_ = messages
ngettext = messages.plural
pgettext = messages.context
