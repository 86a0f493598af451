"""The message catalogue: every marked string translated, placeholders kept, the language chosen
by --lang / NIANBAO_LANG / lang: (in that order), the .po read directly agreeing with the .mo a
build compiles, plugins' own catalogues, and the language stated in JSON and SARIF."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from nianbao import i18n
from nianbao.cli import main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
SEED = Path(__file__).parent / "fixtures" / "seed-dongxiang-2021.txt"
ZH_PO = ROOT / "core" / "locale" / "zh" / "LC_MESSAGES" / "nianbao.po"

babel = pytest.importorskip("babel")
import i18n as catalogue_script  # noqa: E402  (scripts/i18n.py)

_BRACES = re.compile(r"\{(\w*)[^{}]*\}")
_PERCENT = re.compile(r"%\((\w+)\)[sdr]|%[sdr]")


def _placeholders(text: str) -> list[str]:
    return sorted(_BRACES.findall(text) + _PERCENT.findall(text))


def test_every_marked_string_has_a_chinese_translation() -> None:
    tpl = catalogue_script.template(catalogue_script.SOURCES)
    assert len(tpl) > 50
    missing = catalogue_script.missing(catalogue_script.LOCALE, tpl, catalogue_script.DOMAIN)
    assert missing == {"zh": []}, "run python scripts/i18n.py update and translate the new msgstr"


def test_translations_keep_the_placeholders() -> None:
    bad = []
    for entry in i18n.parse_po(ZH_PO.read_text(encoding="utf-8")):
        if entry.get("msgstr") and _placeholders(entry["msgid"]) != _placeholders(entry["msgstr"]):
            bad.append(entry["msgid"])
    assert bad == []


def test_the_po_read_directly_equals_the_mo_babel_compiles(tmp_path: Path) -> None:
    import gettext

    (mo,) = catalogue_script.compile_all(catalogue_script.LOCALE, tmp_path)
    with open(mo, "rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    direct = i18n._PoTranslations(ZH_PO)._catalog
    compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
    assert direct == compiled


def test_a_compiled_catalogue_is_preferred_and_read(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    (locale / "zh" / "LC_MESSAGES").mkdir(parents=True)
    po = locale / "zh" / "LC_MESSAGES" / "demo.po"
    po.write_text('msgid "checked"\nmsgstr "已检查"\n\nmsgid "{n} files"\nmsgstr "{n} 个文件"\n', encoding="utf-8")
    cat = i18n.Catalogue("demo", locale)
    assert cat("checked") == "已检查" and cat("{n} files", n=3) == "3 个文件"
    assert isinstance(cat.translations("zh"), i18n._PoTranslations)
    catalogue_script.compile_all(locale, locale)
    again = i18n.Catalogue("demo", locale)
    assert type(again.translations("zh")).__name__ == "GNUTranslations" and again("checked") == "已检查"
    i18n.set_language("en")
    assert cat("checked") == "checked" and cat("untranslated {x}", x=1) == "untranslated 1"


def test_po_parser_reads_plurals_contexts_fuzzy_and_continuations() -> None:
    entries = i18n.parse_po(
        '# comment\nmsgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, fuzzy\nmsgid "old"\nmsgstr "旧"\n\n'
        'msgctxt "level"\nmsgid "error"\nmsgstr "错误"\n\n'
        'msgid "one file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} 个文件"\n\n'
        'msgid ""\n"long "\n"text"\nmsgstr "长"\n"文本\\n"\n#~ msgid "gone"\n#~ msgstr "无"\n'
    )
    assert entries[1] == {"fuzzy": True, "msgid": "old", "msgstr": "旧"}
    assert entries[2] == {"msgid": "level\x04error", "msgstr": "错误"}
    assert entries[3] == {"msgid": "one file", "msgid_plural": "{n} files", 0: "{n} 个文件"}
    assert entries[4] == {"msgid": "long text", "msgstr": "长文本\n"}
    assert len(entries) == 5


def test_missing_placeholder_shows_itself() -> None:
    assert i18n.fill("{a} and {b}", {"a": 1}) == "1 and {b}"


@pytest.mark.parametrize(
    ("cli", "env", "config", "chosen"),
    [
        (None, None, None, "zh"),
        (None, None, "en", "en"),
        (None, "en", "zh", "en"),
        ("zh", "en", "en", "zh"),
        (None, "en_US.UTF-8", None, "en"),
        (None, "zh_CN", "en", "zh"),
    ],
)
def test_language_choice_order(monkeypatch, cli, env, config, chosen) -> None:
    if env:
        monkeypatch.setenv(i18n.ENV, env)
    assert i18n.choose(cli, config) == chosen


def test_lang_on_the_command_line_env_and_configuration(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(tmp_path / "none.txt"), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["language"] == "zh"
    (tmp_path / "nianbao.yaml").write_text("lang: en\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "none.txt"), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["language"] == "en"
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "usage:" in capsys.readouterr().out  # the configuration's language reaches --help too
    monkeypatch.setenv(i18n.ENV, "zh")
    assert main(["check", str(tmp_path / "none.txt"), "--format", "sarif"]) == 1
    assert json.loads(capsys.readouterr().out)["runs"][0]["language"] == "zh-CN"
    assert main(["check", str(tmp_path / "none.txt"), "--format", "sarif", "--lang", "en"]) == 1
    assert json.loads(capsys.readouterr().out)["runs"][0]["language"] == "en-US"
    for command in (["rules"], ["parse", "x"], ["check", "x"]):
        with pytest.raises(SystemExit) as exc:
            main([*command, "--lang", "fr"])
        assert exc.value.code == 2
    monkeypatch.setenv(i18n.ENV, "fr")
    assert main(["rules"]) == 2
    assert "NIANBAO_LANG=fr" in capsys.readouterr().err


def test_a_bad_lang_in_the_configuration(tmp_path, capsys) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("lang: fr\n", encoding="utf-8")
    assert main(["check", str(SEED), "--config", str(cfg)]) == 2
    assert "“lang”应为 zh, en 之一，而不是 'fr'" in capsys.readouterr().err
    assert main(["check", str(SEED), "--config", str(cfg), "--lang", "en"]) == 2
    assert "'lang' must be one of zh, en, not 'fr'" in capsys.readouterr().err


def test_a_plugin_package_ships_its_own_catalogue(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "nianbao_demo_pack"
    (pkg / "locale" / "zh" / "LC_MESSAGES").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from nianbao.i18n import catalogue\n_ = catalogue(__package__)\n"
        "def say(n):\n    return _('{n} telephone numbers', n=n)\n",
        encoding="utf-8",
    )
    (pkg / "locale" / "zh" / "LC_MESSAGES" / "nianbao_demo_pack.po").write_text(
        'msgid "{n} telephone numbers"\nmsgstr "{n} 个电话号码"\n\nmsgid "A summary"\nmsgstr "摘要"\n', encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import nianbao_demo_pack  # type: ignore[import-not-found]

    assert nianbao_demo_pack.say(2) == "2 个电话号码"
    assert i18n.translate("A summary") == "摘要"  # rule metadata finds the plugin's catalogue
    i18n.set_language("en")
    assert nianbao_demo_pack.say(2) == "2 telephone numbers" and i18n.translate("A summary") == "A summary"


def test_os_reasons_are_in_the_language() -> None:
    err = FileNotFoundError(2, "No such file or directory")
    assert i18n.os_reason(err) == "文件或文件夹不存在"
    i18n.set_language("en")
    assert i18n.os_reason(err) == "no such file or folder"
    assert i18n.os_reason(OSError(99999, "odd")) == "odd"
