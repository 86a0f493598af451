"""Every message template of every rule, in both languages.

The feeds are the existing ones: the single-change copies of the text reports (tests/mutations.py),
the narrative cases (tests/fixtures/narrative/cases.yaml), the cross-year and real text fixtures.
Each is checked in zh and in en, and every finding message and skip reason is held to:

- zh: no English word outside rule ids, file names, format names, option names and units;
- en: no Chinese outside what is quoted from the report or a printed label of the template (the
  labels and their variants in schemas/).

A template of rules/ that no feed reaches is then rendered with stand-in values and held to the
same, so that every template is checked; the share the feeds reach is asserted too.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from nianbao import i18n
from nianbao.cli import main
from nianbao.normalize import PUBLISHED_LABELS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(ROOT / "scripts"))

#: English words a Chinese message may carry: format, schema and tool names, option and key
#: names (identifiers), JSON values, and the statistic X103 names
ALLOWED_EN = {
    "JSON", "Schema", "HTML", "PDF", "DOCX", "SARIF", "JUnit", "OCR", "Jaccard", "nianbao", "null", "true", "false",
    "table_sections", "has_rulemaking_power", "max_wanyuan", "township_deadline", "meta", "year", "organ",
}  # fmt: skip
#: Chinese an English message may carry besides the report's own words and the labels: units
UNITS_ZH = ("亿元", "万元", "元", "件", "人次", "万")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']*'|「[^」]*」")
_RULE_ID = re.compile(r"\b[A-Z]{1,3}\d{3}\b")
#: a command-line option (--roster FILE) or a configuration key (roster:) named in a message
_OPTION = re.compile(r"--[a-z][a-z-]*(?: [A-Z]+)?|\b[a-z_]+:")
#: a document cited by its number (国办函〔2020〕109号): a name, not prose
_CITATION = re.compile(r"[\u4e00-\u9fff]*〔\d{4}〕\d+号")
#: the printed labels of the report's fields that the template does not describe (core/normalize.py)
FIELD_LABELS = ("数据统计期限", "年度报告")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
_CJK = re.compile(r"[\u3400-\u9fff]+")


@cache
def _labels() -> str:
    """Every string of the schemas (printed labels, their variants, the phrase lists)."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                out.append(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in (ROOT / "schemas").glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return "\n".join(out)


def english_words_in_zh(message: str, files: list[str]) -> list[str]:
    text = message
    for name in sorted(files, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _OPTION.sub(" ", _RULE_ID.sub(" ", _QUOTED.sub(" ", text)))
    return [w for w in _WORD.findall(text) if w not in ALLOWED_EN]


def chinese_in_en(message: str, source: str) -> list[str]:
    text = _CITATION.sub(" ", _QUOTED.sub(" ", message))
    allowed = source + "\n" + _labels() + "\n" + "\n".join((*FIELD_LABELS, *PUBLISHED_LABELS))
    return [run for run in _CJK.findall(text) if run not in allowed and run not in UNITS_ZH]


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _write_feeds(folder: Path) -> dict[str, str]:
    """The input files, each with the text it was made from (what a message may quote)."""
    import mutations
    from ruamel.yaml import YAML
    from test_rules_narrative import _corpus, build

    files: dict[str, str] = {}
    for path in mutations.write_all(folder / "mutants"):
        files[str(path)] = _text(path)
    (folder / "narrative").mkdir()
    for group, cases in _corpus().items():
        for case in cases:
            path = folder / "narrative" / f"{group}-{case['id']}.json"
            path.write_text(json.dumps(build(case).data, ensure_ascii=False), encoding="utf-8")
            files[str(path)] = json.dumps(case, ensure_ascii=False)
    for path in [*sorted((FIXTURES / "crossyear").glob("*.txt")), *sorted((FIXTURES / "text").glob("*.txt"))]:
        files[str(path)] = _text(path)
    assert YAML  # the narrative cases are YAML; their text is what the messages quote
    return files


def _messages(document: dict, lang: str) -> list[tuple[str, str, str]]:
    """(file, rule, text) of every finding message and skip reason."""
    assert document["language"] == lang
    out = []
    for report in document["reports"]:
        uri = report["source"]["uri"]
        out += [(uri, f["rule"], f["message"]) for f in report["findings"]]
        out += [(uri, rule, why) for rule, why in report["rules"]["skipped"].items()]
        if report["error"]:
            out.append((uri, "read", report["error"]["message"]))
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("feeds")
    files = _write_feeds(folder)
    i18n.seen = set()
    out: dict[str, object] = {"files": files}
    try:
        for lang in ("zh", "en"):
            target = folder / f"{lang}.json"
            # in this process (no worker, no per-file limit to enforce), so that i18n.seen sees every message
            args = ["-f", "json", "-o", str(target), "--lang", lang, "--no-progress", "-q"]
            args += ["-j", "1", "--time-limit", "0"]
            main(["check", *files, *args])
            out[lang] = _messages(json.loads(target.read_text(encoding="utf-8")), lang)
        out["seen"] = set(i18n.seen)
    finally:
        i18n.seen = None
        i18n.set_language(i18n.DEFAULT)
    return out


def _rule_templates() -> list[tuple[object, str | None]]:
    """(msgid, context) of every string marked in rules/ (Babel's extraction)."""
    import i18n as catalogue_script  # scripts/i18n.py

    return [(m, ctx) for m, where, _c, ctx in catalogue_script._strings([ROOT / "rules"]) if where.startswith("rules/")]


def test_every_message_of_the_feeds_in_both_languages(runs) -> None:
    files = list(runs["files"])
    zh, en = runs["zh"], runs["en"]
    assert len(zh) == len(en) > 500
    bad_zh = [(f, r, m, w) for f, r, m in zh if (w := english_words_in_zh(m, files))]
    assert bad_zh == [], bad_zh[:10]
    bad_en = [(f, r, m, c) for f, r, m in en if (c := chinese_in_en(m, runs["files"].get(f, "")))]
    assert bad_en == [], bad_en[:10]
    # the same findings in both languages, only the words differ
    assert [(f, r) for f, r, _ in zh] == [(f, r) for f, r, _ in en]
    assert sum(z != e for (_, _, z), (_, _, e) in zip(zh, en, strict=True)) > 0.9 * len(zh)


def test_the_feeds_reach_most_templates_and_the_rest_are_rendered(runs) -> None:
    templates = _rule_templates()
    ids = {m if isinstance(m, str) else m[0] for m, _ in templates}
    reached = ids & runs["seen"]
    share = len(reached) / len(ids)
    print(f"rule message templates: {len(ids)}; reached by the feeds: {len(reached)} ({share:.0%})")
    assert share > 0.5
    bad = []
    for msgid, context in templates:
        singular = msgid if isinstance(msgid, str) else msgid[0]
        names = set(re.findall(r"\{(\w+)", singular if isinstance(msgid, str) else " ".join(msgid)))
        fields = dict.fromkeys(names, 7)
        for lang in ("zh", "en"):
            i18n.set_language(lang)
            if isinstance(msgid, tuple):
                text = i18n.messages.plural(msgid[0], msgid[1], 2, **{k: v for k, v in fields.items() if k != "n"})
            elif context:
                text = i18n.messages.context(context, msgid, **fields)
            else:
                text = i18n.messages(msgid, **fields)
            if lang == "zh" and english_words_in_zh(text, []):
                bad.append((lang, singular, text))
            if lang == "en" and chinese_in_en(text, ""):
                bad.append((lang, singular, text, chinese_in_en(text, "")))
    i18n.set_language(i18n.DEFAULT)
    assert bad == [], bad[:10]
