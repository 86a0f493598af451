"""One normaliser of labels and numbers, shared by every reader.

Labels: width (NFKC), white space, punctuation, quotes and ordinal prefixes (一、（一）1.) are
folded so that 现行有效件 matches 现行有效件数 through the aliases of the template description.
Numbers: full-width digits, thousands separators, decimals; blank tokens are ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

#: what a report prints in a cell it leaves blank; read as null, never as 0
BLANK_TOKENS = frozenset({"", "/", "-", "—", "–", "－", "／", "——", "无", "--", "空"})

_PUNCT = re.compile(r"[\s\u3000（）()\[\]【】〔〕、，,。．.·:：;；“”\"'‘’「」『』《》<>/／|｜~～_\-—–－]+")
_ORDINAL = re.compile(
    r"^(?:第?[一二三四五六七八九十]+(?:部分)?[、.．，,]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、.．，,](?!\d))"
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


# The functions below are pure and called on the same labels and figures thousands of times per
# page (every reader, every label search): memoised, bounded in entries and, since a whole
# section's text passes through them too, in size: only short strings (labels, figures) are
# kept, or the caches would hold thousands of narratives (MBs per run of cross-report rules).
#: the longest string the memoised functions keep
MEMO_CHARS = 256


@lru_cache(maxsize=16384)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def nfkc(text: str) -> str:
    """Full-width to half-width and compatibility forms folded; ideographic space too."""
    return _nfkc(text) if len(text) <= MEMO_CHARS else unicodedata.normalize("NFKC", text)


def strip_ordinal(text: str) -> str:
    """Drop a leading 一、 / （一） / 1. from a label."""
    text = text.strip()
    folded = nfkc(text)
    m = _ORDINAL.match(folded)
    return folded[m.end() :] if m else folded


def key(text: str, *, ordinal: bool = True) -> str:
    """The comparison key of a label: NFKC, no white space or punctuation; the ordinal prefix
    kept (``ordinal=True``) or dropped."""
    return _key(text, ordinal) if len(text) <= MEMO_CHARS else _key.__wrapped__(text, ordinal)


@lru_cache(maxsize=16384)
def _key(text: str, ordinal: bool) -> str:
    folded = nfkc(text).strip()
    if not ordinal:
        m = _ORDINAL.match(folded)
        if m:
            folded = folded[m.end() :]
    return _PUNCT.sub("", folded)


_GOVERNMENT = re.compile(r"(?<=[省市县区旗州盟乡镇])(?:人民)?政府$")


def organ_key(name: str) -> str:
    """The key two reports of one organ share: width and punctuation folded (NFKC, no spaces or
    brackets), and the trailing 人民政府/政府 of a local government dropped. Nothing else is
    equated: a renamed body, or 东乡县 vs 东乡族自治县, stays two organs. (The rules across years
    link reports by it; the HTML report puts a body's years side by side by it.)"""
    return _GOVERNMENT.sub("", key(name))


def label_matches(text: str, labels: tuple[str, ...] | list[str], *, prefix: bool = False) -> bool:
    """Whether ``text`` is one of ``labels`` once folded (ordinal prefixes ignored on both sides).
    With ``prefix`` it is enough that ``text`` starts with a label (labels carrying a printed note)."""
    core = key(text, ordinal=False)
    if not core:
        return False
    for label in labels:
        want = key(label, ordinal=False)
        if core == want or (prefix and want and core.startswith(want)):
            return True
    return False


def is_blank(raw: str) -> bool:
    return nfkc(raw).strip() in BLANK_TOKENS


#: digits a figure of a report can have: a count or an amount in 万元 has far fewer. Past it a
#: figure is beyond the model (a float of 400 digits is infinite, JSON cannot hold it, Python
#: refuses integers of more than 4300 digits): it is printed as a number but not read as one.
MAX_DIGITS = 30


@dataclass(frozen=True)
class Number:
    """A cell's figure: ``value`` (None when blank), ``ok`` False when the text is not a number,
    ``huge`` True when it is one of more than :data:`MAX_DIGITS` digits (``value`` None)."""

    value: int | float | None
    ok: bool
    blank: bool
    huge: bool = False


def parse_number(raw: str) -> Number:
    """Read a printed figure: 1,234 · １２３ · 84.67 · -3 · blank tokens. Integers stay int."""
    return _parse_number(raw) if len(raw) <= MEMO_CHARS else _parse_number.__wrapped__(raw)


@lru_cache(maxsize=16384)
def _parse_number(raw: str) -> Number:
    text = nfkc(raw).strip().replace(" ", "")
    if text in BLANK_TOKENS:
        return Number(None, True, True)
    text = text.rstrip("件个项次条笔")  # a counter printed with the figure (5件, 2笔)
    if not _NUMBER.match(text):
        return Number(None, False, False)
    text = text.replace(",", "")
    if len(text) - (text[0] in "+-") - ("." in text) > MAX_DIGITS:
        return Number(None, True, False, huge=True)
    try:
        dec = Decimal(text)
    except InvalidOperation:
        return Number(None, False, False)
    value: int | float = int(dec) if dec == dec.to_integral_value() and "." not in text else float(dec)
    return Number(value, True, False)


def looks_numeric(raw: str) -> bool:
    """A value cell: a figure or a blank token (the reader's test for 'this is not a label')."""
    n = parse_number(raw)
    return n.ok


# --- money with a unit, dates (appended for the shared assembler) ---------------------------

_MONEY_UNIT = re.compile(r"(万元|元)$")


def split_unit(raw: str) -> tuple[str, str | None]:
    """A money figure and the unit printed with it: ``251000元`` → (``251000``, ``元``)."""
    text = nfkc(raw).strip().replace(" ", "")
    m = _MONEY_UNIT.search(text)
    return (text[: m.start()], m.group(1)) if m else (text, None)


def parse_amount(raw: str) -> tuple[Number, str | None]:
    """A money cell: its figure (unit stripped) and the unit printed in the cell, if any."""
    text, unit = split_unit(raw)
    if unit and not text:  # a bare unit is not a figure
        return Number(None, False, False), unit
    return parse_number(text), unit


def to_yuan(value: int | float | None, unit: str | None) -> int | float | None:
    """``value`` in 元 given its unit (万元 multiplies by 10 000; exact through Decimal)."""
    if value is None or unit != "万元":
        return value
    dec = Decimal(str(value)) * 10000
    return int(dec) if dec == dec.to_integral_value() else float(dec)


#: what a page (or a crawler's dump of it) prints before the title: 标题: …年度报告
TITLE_LABELS = ("标题", "标 题", "文章标题", "题名")
#: what a page or document prints before its publication date, most telling first …
PUBLISHED_LABELS = ("发布日期", "发布时间", "公开日期", "发布于")
#: … and before the date it was written, used when no publication date is printed
WRITTEN_LABELS = ("成文日期", "发文日期", "印发日期", "生成日期")

#: a date as digits: 2022-02-10, 2022/2/10, 2022.2.10, 2022年2月10日 (full-width digits match too)
DATE_PATTERN = r"\d{4}\s*(?:年|[-/.])\s*\d{1,2}\s*(?:月|[-/.])\s*\d{1,2}\s*日?"
_DATE = re.compile(r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})")
#: a date in Chinese numerals, as signatures print it: 二〇二二年二月十日
_CN_YEAR, _CN_SMALL = "[〇零○一二三四五六七八九]{4}", "[一二三四五六七八九十]{1,3}"
CN_DATE_PATTERN = rf"{_CN_YEAR}\s*年\s*{_CN_SMALL}\s*月\s*{_CN_SMALL}\s*日"
_CN_DATE = re.compile(rf"({_CN_YEAR})\s*年\s*({_CN_SMALL})\s*月\s*({_CN_SMALL})\s*日")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


def _cn_small(text: str) -> int:
    """一 … 三十一 (month and day numbers)."""
    if "十" not in text:
        return _CN_DIGIT[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def iso_date(year: int, month: int, day: int) -> str | None:
    """The ISO form of a date, None when there is no such day (2021年2月30日)."""
    import datetime

    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


_YEAR_DIGITS = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_CN = re.compile(rf"({_CN_YEAR})\s*年")


def year_in(text: str) -> int | None:
    """The first year written in ``text``: 2021年, else 二〇二一年."""
    folded = nfkc(text)
    m = _YEAR_DIGITS.search(folded)
    if m:
        return int(m.group(1))
    m = _YEAR_CN.search(folded)
    return int("".join(str(_CN_DIGIT[c]) for c in m.group(1))) if m else None


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as an ISO string (digits or Chinese numerals), else None."""
    folded = nfkc(text)
    m = _DATE.search(folded)
    if m:
        return iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE.search(folded)
    if m:
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        return iso_date(year, _cn_small(m.group(2)), _cn_small(m.group(3)))
    return None


# --- traditional characters and mirror-injected pinyin (reports re-served by mirror sites) ---
#
# Mirrors re-serve reports converted to traditional characters, some with the reading of each
# character injected ("開(kai)"). Labels must still match the template, so both are folded here.
# A character table, not OpenCC: only characters that occur in these reports matter (the labels
# of both templates, the section headings, the date fields and the common narrative), and a
# table keeps the normaliser dependency-free and fast (str.translate). The table was derived
# from OpenCC's s2t/s2tw/s2hk conversions of that vocabulary (phrase by phrase, so 制作 → 製作
# is in), keeping only forms that OpenCC maps back (t2s) and that are not themselves simplified
# characters in the vocabulary, so folding text that is already simplified never changes it
# (乾, 著 are left alone; 覆 only in 反覆/答覆/回覆/批覆).

_TRADITIONAL = (
    "並佈佔併來係個備傳價億儘優內兩冊別則創劃動務勢匯區協參員問啓啟單嚴國圍圖執堅報場塊壇夠學實審寬將專對導屆層屬師帶幫幹廢廣廳強後徑從復徵徹態應戶採揮擔據擬擴敗數斷"
    "於時暢暫曆書會東條業極構標機檢欄權歷決沒況淺減測準溝溫滿濟瀏為無熱營爲狀獲現環當療發盡監眾確礎祕種稱積穩節範簡籌糾約納紙級紮細終組結絡給統絲經綜維綱網緊線編縣總"
    "績織繞繫繳繼續罰羣義習聞聯職聽肅臨臺與舉華萬蓋處號衆補製複覈見規視覽觀訂計訓託記訟訪設許訴註評詞詢試話認說説課調請論諮講謹證識議護讀讓豐負財貫責費貼貿資質賬購軟"
    "較載輕輪輯輿轉辦農這進運過達遞適選還鄉醫針錄錯鎮鏈鏡長門開間閱閲關闡隊階際隨雙雲電響頁項順須預領頭頸頻題額類顯饋驗驥體髮點黨"
)
_SIMPLIFIED = (
    "并布占并来系个备传价亿尽优内两册别则创划动务势汇区协参员问启启单严国围图执坚报场块坛够学实审宽将专对导届层属师带帮干废广厅强后径从复征彻态应户采挥担据拟扩败数断"
    "于时畅暂历书会东条业极构标机检栏权历决没况浅减测准沟温满济浏为无热营为状获现环当疗发尽监众确础秘种称积稳节范简筹纠约纳纸级扎细终组结络给统丝经综维纲网紧线编县总"
    "绩织绕系缴继续罚群义习闻联职听肃临台与举华万盖处号众补制复核见规视览观订计训托记讼访设许诉注评词询试话认说说课调请论咨讲谨证识议护读让丰负财贯责费贴贸资质账购软"
    "较载轻轮辑舆转办农这进运过达递适选还乡医针录错镇链镜长门开间阅阅关阐队阶际随双云电响页项顺须预领头颈频题额类显馈验骥体发点党"
)
_FOLD_TRADITIONAL = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
#: a search is ten times cheaper than a translate, and nearly every page is simplified already
_ANY_TRADITIONAL = re.compile(f"[{_TRADITIONAL}]")
#: 覆 is a simplified character too (覆盖), so it is folded only in the words where it stands for 复
_FU = re.compile(r"(?<=[反答回批])覆")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
#: one syllable in brackets right after a character: 開(kai) 開（kāi） 開(kai1)
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（]([a-z{_TONED}]{{1,6}})[1-5]?[)）]")
#: what a pinyin syllable looks like (an optional initial, vowels, an optional n, ng or r), so that
#: "网站(www)", "(cn)" or "(other)" are kept
_SYLLABLE = re.compile(rf"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv{_TONED}]+(?:ng|n|r)?$")


def fold_traditional(text: str) -> str:
    """Traditional forms of report vocabulary to simplified (報告 → 报告, 複議 → 复议); one
    character for one, so offsets into the text stay valid."""
    if "覆" in text:
        text = _FU.sub("复", text)
    return text.translate(_FOLD_TRADITIONAL) if _ANY_TRADITIONAL.search(text) else text


def strip_pinyin(text: str) -> str:
    """Drop readings a mirror injected after characters: 開(kai)放 → 開放."""
    if "(" not in text and "（" not in text:
        return text
    return _PINYIN.sub(lambda m: "" if _SYLLABLE.match(m.group(1)) else m.group(0), text)


def fold_script(text: str) -> str:
    """Both foldings: what a reader applies to text taken from a page before matching labels."""
    return fold_traditional(strip_pinyin(text))
