"""The message catalogues, managed with Babel.

    python scripts/i18n.py update     # add every new string of the code to core/locale/*/LC_MESSAGES/nianbao.po
    python scripts/i18n.py check      # exit 1 while a string has no translation (a test runs this too)
    python scripts/i18n.py compile DIR   # .po → .mo under DIR (setup.py does this when building a wheel)

The strings are what the code marks — ``_("…")``, ``ngettext("…", "…", n)``, ``N_("…")`` — plus the
metadata of every built-in rule (summary, explanation, legal basis), which is translated where it
is shown. Translate in the ``.po`` (msgstr); `update` keeps existing translations, marks changed
ones fuzzy and drops none silently (obsolete ones stay as ``#~``).

A plugin manages its own catalogue the same way: ``python scripts/i18n.py update --package DIR``
(DIR holds the plugin's package; catalogues go to DIR/locale).
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "core", ROOT / "rules", ROOT / "plugins", ROOT / "scripts"]
LOCALE = ROOT / "core" / "locale"
DOMAIN = "nianbao"
#: the languages with a catalogue. The code's text is English, so zh carries nearly everything;
#: a text written in Chinese (a legal basis such as 《政府信息公开条例》第四十九条) has its English in en.
TARGETS = ("zh", "en")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]|%[sdr]")
#: rule metadata (summary, explanation, legal basis) joins the catalogue once it is translated
RULE_METADATA = True
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "plural": (1, 2),
    "pgettext": ((1, "c"), 2),
    "context": ((1, "c"), 2),
}


def _strings(sources: list[Path]) -> Iterator[tuple[str | tuple[str, str], str, list[str], str | None]]:
    """(msgid or (singular, plural), where, comments) of every marked string."""
    for top in sources:
        if not top.is_dir():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
            str(top), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",)
        ):
            yield message, f"{top.name}/{filename}:{lineno}", list(comments), context


def _rule_texts(package: str | None) -> Iterator[tuple[str, str, list[str], str | None]]:
    from nianbao import pluginmanager

    for r in pluginmanager.rules():
        if (package is None and r.plugin != "nianbao") or (package is not None and r.plugin == "nianbao"):
            continue
        for field in ("name", "summary", "explanation", "legal_basis"):
            text = getattr(r, field)
            if text:
                yield text, f"rule/{r.id}/{field}", [f"rule {r.id}: {field}"], None


def template(sources: list[Path], package: str | None = None, domain: str = DOMAIN) -> Catalog:
    cat = Catalog(domain=domain, project=domain, charset="utf-8")
    texts = [*_strings(sources), *(_rule_texts(package) if RULE_METADATA else [])]
    for message, where, comments, context in texts:
        if isinstance(message, tuple) and message[1] is None:  # a one-string keyword seen with more args
            message = message[0]
        path, _, line = where.rpartition(":")
        loc = [(path, int(line))] if line.isdigit() else [(where, 0)]
        existing = cat.get(message if isinstance(message, str) else message[0], context=context)
        if existing is not None:
            existing.locations.extend(loc)
            continue
        cat.add(message, locations=loc, auto_comments=comments, context=context)
    return cat


def source_language(msgid: object) -> str:
    """The language a msgid is written in: Chinese when it has Chinese characters and no Latin
    letter outside its placeholders (《政府信息公开条例》第四十九条), else English (also a template of
    placeholders and punctuation only: its punctuation is English)."""
    text = _PLACEHOLDER.sub("", msgid[0] if isinstance(msgid, tuple) else str(msgid))
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z]", text) else "en"


def needs(lang: str, msgid: object) -> bool:
    return bool(msgid) and source_language(msgid) != lang


def _for(tpl: Catalog, lang: str) -> Catalog:
    """The template with only the strings ``lang`` must translate."""
    out = Catalog(domain=tpl.domain, project=tpl.project, charset="utf-8")
    for m in tpl:
        if needs(lang, m.id):
            out.add(m.id, locations=m.locations, auto_comments=m.auto_comments, flags=m.flags, context=m.context)
    return out


def _po(locale: Path, lang: str, domain: str) -> Path:
    return locale / lang / "LC_MESSAGES" / f"{domain}.po"


def update(locale: Path, tpl: Catalog, domain: str) -> None:
    for lang in TARGETS:
        path = _po(locale, lang, domain)
        if path.is_file():
            with open(path, "rb") as fh:
                cat = read_po(fh, locale="zh_Hans_CN" if lang == "zh" else lang, domain=domain)
        else:
            cat = Catalog(locale="zh_Hans_CN" if lang == "zh" else lang, domain=domain, project=domain)
        cat.update(_for(tpl, lang), no_fuzzy_matching=True)
        # a header that does not change on every update, so that concurrent edits do not conflict
        cat.creation_date = cat.revision_date = FIXED_DATE
        cat.fuzzy = False
        cat.last_translator = cat.language_team = "nianbao"
        cat.copyright_holder, cat.msgid_bugs_address, cat.version = "nianbao", "", ""
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, cat, width=100, sort_output=True, include_lineno=False, include_previous=False)
        untranslated = [m.id for m in cat if m.id and not m.string]
        print(f"{path.relative_to(locale.parent)}: {len(cat)} strings, {len(untranslated)} to translate")


def missing(locale: Path, tpl: Catalog, domain: str) -> dict[str, list[str]]:
    """Per language, the msgids of the code without a (non-fuzzy) translation."""
    out: dict[str, list[str]] = {}
    for lang in TARGETS:
        path = _po(locale, lang, domain)
        done: set[object] = set()
        if path.is_file():
            with open(path, "rb") as fh:
                for m in read_po(fh):
                    if m.id and m.string and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [1]):
                        done.add((m.id, m.context))
        out[lang] = [str(m.id) for m in tpl if needs(lang, m.id) and (m.id, m.context) not in done]
    return out


def compile_all(locale: Path, out: Path) -> list[Path]:
    written = []
    for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
        with open(po, "rb") as fh:
            cat = read_po(fh)
        target = out / po.relative_to(locale).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            write_mo(fh, cat, use_fuzzy=False)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("update", "check", "compile"))
    parser.add_argument("dir", nargs="?", help="compile: where the .mo files go (default: beside the .po)")
    parser.add_argument("--package", help="a plugin's package folder instead of nianbao's own")
    args = parser.parse_args(argv)
    if args.package:
        pkg = Path(args.package).resolve()
        sources, locale, domain, package = [pkg], pkg / "locale", pkg.name, pkg.name
    else:
        sources, locale, domain, package = SOURCES, LOCALE, DOMAIN, None
    if args.action == "compile":
        for path in compile_all(locale, Path(args.dir) if args.dir else locale):
            print(path)
        return 0
    tpl = template(sources, package, domain)
    if args.action == "update":
        update(locale, tpl, domain)
        return 0
    bad = missing(locale, tpl, domain)
    for lang, ids in bad.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid!r}", file=sys.stderr)
    return 1 if any(bad.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
