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
    assert missing == {"zh": [], "en": []}, "run python scripts/i18n.py update and translate the new msgstr"


def test_every_literal_message_in_the_code_is_in_a_catalogue() -> None:
    """Babel's extractor misses a _() nested in another _()'s arguments or in an f-string: such a
    message is shown in English whatever the language. Every literal msgid the code passes to _,
    N_ or ngettext must be in the zh catalogue (or, written in Chinese, in the en one)."""
    import ast

    known = {
        e["msgid"]
        for po in (ZH_PO, ROOT / "core/locale/en/LC_MESSAGES/nianbao.po")
        for e in i18n.parse_po(po.read_text(encoding="utf-8"))
    }
    missing = []
    for top in catalogue_script.SOURCES:
        for path in sorted(top.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                    continue
                first = node.args[0]
                marked = node.func.id in ("_", "N_", "ngettext") and isinstance(first, ast.Constant)
                if marked and first.value not in known:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {first.value!r}")
    assert missing == []


def test_translations_keep_the_placeholders() -> None:
    bad = []
    for entry in i18n.parse_po(ZH_PO.read_text(encoding="utf-8")):
        if entry.get("msgstr") and _placeholders(entry["msgid"]) != _placeholders(entry["msgstr"]):
            bad.append(entry["msgid"])
    assert bad == []


def test_the_po_read_directly_equals_the_mo_babel_compiles(tmp_path: Path) -> None:
    import gettext

    compiled_files = catalogue_script.compile_all(catalogue_script.LOCALE, tmp_path)
    assert len(compiled_files) == 2
    for mo in compiled_files:
        with open(mo, "rb") as fh:
            compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        po = catalogue_script.LOCALE / mo.relative_to(tmp_path).with_suffix(".po")
        direct = i18n._PoTranslations(po)._catalog
        compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
        assert direct == compiled and len(direct) > 10, mo


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


def test_reporters_speak_the_language() -> None:
    from nianbao.reporters import junit, sarif, text
    from test_reporters import synthetic_run

    run = synthetic_run()  # made in zh, the default
    assert run.language == "zh"
    out = text.render(run)
    assert (
        out.splitlines()[-1] == "共 3 个文件：2 个错误，1 个警告，1 个提示；1 个文件无法读取；1 条规则出错（内部错误）"
    )
    assert "规则：1 项通过，2 项未通过，1 项未执行；1 条出错" in out and " T301 错误 " in out
    log = json.loads(sarif.render(run))["runs"][0]
    assert log["language"] == "zh-CN"
    assert "依据：条例第五十条" in log["tool"]["driver"]["rules"][0]["help"]["text"]
    suites = junit.render(run)
    assert "读取报告" in suites and "共 2 个问题，第一个：" in suites
    i18n.set_language("en")
    run = synthetic_run()
    assert (
        text.render(run).splitlines()[-1]
        == "3 files, 2 errors, 1 warning, 1 note, 1 file unreadable; 1 rule failure (internal error)"
    )
    assert json.loads(sarif.render(run))["runs"][0]["language"] == "en-US"


def test_a_fix_is_described_by_its_labels_never_a_pointer() -> None:
    import modelkit
    from nianbao.model import Fix, Report
    from nianbao.reporters import fix_text

    report = Report(modelkit.build("2021"))
    fix = Fix("/tables/applications/handled_total/natural_person", 6)
    assert fix_text(report, fix, "5") == "将表三“（七）总计 / 自然人”由 5 改为 6"
    grouped = Fix("/tables/applications/denied/state_secret/total", 2)
    assert fix_text(report, grouped, "1") == "将表三“（三）1.属于国家秘密 / 总计”由 1 改为 2"
    i18n.set_language("en")
    assert fix_text(report, fix, "5") == "Set table 三 “（七）总计 / 自然人” from 5 to 6"


def test_an_unreadable_file_in_both_languages(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 600)
    assert main(["check", str(empty), str(old), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert f"{empty}：错误（为空）：文件为空" in out
    assert f"{old}：错误（不支持的格式）：这是 Word 97-2003 .doc 文件；请另存为 .docx（或 PDF）" in out
    assert out.splitlines()[-1] == "共 2 个文件：0 个错误，0 个警告，0 个提示；2 个文件无法读取"
    assert main(["check", str(empty), str(old), "--no-progress", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert f"{empty}: error (empty): the file is empty" in out
    assert f"{old}: error (unsupported): the file is a Word 97-2003 .doc; save it as .docx (or PDF)" in out
    assert out.splitlines()[-1] == "2 files, 0 errors, 0 warnings, 0 notes, 2 files unreadable"
    assert main(["parse", str(empty)]) == 1
    assert capsys.readouterr().err.strip() == f"nianbao：{empty}：无法作为年度报告读取（为空）：文件为空"


def test_a_plugin_in_one_language_is_shown_in_it() -> None:
    from nianbao.rule import rule

    @rule("ZH101", "contact", "note", "报告写明咨询电话。", "省里要求写明咨询电话。", "省级通知")
    def check(report, ctx):  # pragma: no cover - metadata only
        yield from ()

    for lang in ("zh", "en"):
        i18n.set_language(lang)
        meta = check.metadata()
        shown = (meta["summary"], meta["explanation"], meta["legal_basis"])
        assert shown == ("报告写明咨询电话。", "省里要求写明咨询电话。", "省级通知")
