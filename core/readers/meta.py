"""The report's meta from its token stream: title, organ (and its kind), year, publication date
and statistics period."""

from __future__ import annotations

import re
from typing import Any

from nianbao import normalize as nz
from nianbao.readers.stream import SENTENCE, Stream
from nianbao.readers.tokens import Hints, Token

# --- phrases a report prints around the tables and dates (not template labels) ---------------

_TITLE = re.compile(r"年度报告")
_YEAR = re.compile(r"(\d{4})\s*年")
_ORGAN = re.compile(r"^(?P<pre>.*?)(?P<year>\d{4})\s*年度?(?P<post>.*)$")
#: a title ends in 年度报告, perhaps with a short note in brackets: …年度报告（2021年度） · （全文）
_TITLE_END = re.compile(r"年度报告\s*(?:[(\[【][^()\[\]【】]{1,12}[)\]】])?\s*$")
_TITLE_NOTE = re.compile(r"\s*[(\[【](?P<note>[^()\[\]【】]{1,12})[)\]】]\s*$")
_TITLE_LABEL = re.compile(rf"^\s*(?:{'|'.join(nz.TITLE_LABELS)})\s*[:：]\s*")
_BARE_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_TITLE_TAIL = re.compile(r"(?:的)?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年度报告)$")
_PUBLISHED = re.compile(
    rf"(?:{'|'.join((*nz.PUBLISHED_LABELS, *nz.WRITTEN_LABELS, '日期'))})\s*[:：]?\s*(?P<date>{nz.DATE_PATTERN})"
)
#: a signature date: alone on its line, or after the organ's name (宁川市交通运输局 2020年1月20日)
_SIGNATURE = re.compile(rf"(?:^|\s)(?P<date>{nz.DATE_PATTERN}|{nz.CN_DATE_PATTERN})\s*$")
_PERIOD_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_PERIOD = re.compile(
    r"统计(?:期限|时限|周期|时间|区间|期间|时段|范围|日期)[^。；\d]{0,12}?"
    rf"(?P<start>{_PERIOD_DATE})\s*(?:起\s*)?(?:至|到|—+|-|~|–)\s*"
    rf"(?P<end>(?:\d{{4}}\s*年\s*)?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})"
)
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_OFFICE = re.compile(r"(?:办公厅|办公室)$")
_GOVERNMENT_PLACE = re.compile(r"(?:省|市|县|区|州|旗|盟|自治区|自治州|自治县|特别行政区)$")
#: the management committee that governs a zone (平潭综合实验区管委会), and its office reporting for it
_ZONE_COMMITTEE = re.compile(r"(?:实验区|新区|开发区|高新区|经济区)(?:党工委)?(?:管委会|管理委员会)(?:办公室)?$")
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|街道办事处|街道办|苏木)$")
_DEPARTMENT = re.compile(
    r"(?:局|委员会|委|厅|办|中心|院|部|署|处|所|站|队|馆|会|社|公司|集团|管委会|办事处|研究室|法庭)$"
)


def _as_printed(token: Token, folded: str, m: re.Match[str], group: str | int = 0) -> tuple[str, dict[str, Any]]:
    """The matched part of a token as printed (``folded`` is its NFKC form, matched on) and
    its place: the column moves to the match when the token has one and folding kept widths."""
    text = token.text
    if len(folded) != len(text):
        return m.group(group), token.loc
    loc = dict(token.loc)
    if "column" in loc:  # a token's text is stripped, so its column is its first character's
        loc["column"] += m.start(group)
    return text[m.start(group) : m.end(group)], loc


def _alone(stream: Stream, i: int) -> bool:
    """Whether token ``i`` is a line of its own: prose, or the only cell of its row (a short
    line among short lines), not one cell of several in a row."""
    token = stream.tokens[i]
    return token.kind == "line" or (token.row_end and (i == 0 or stream.tokens[i - 1].row_end))


def title(stream: Stream, first_heading: int, hints: Hints) -> tuple[str, dict[str, Any]] | None:
    found: list[tuple[str, dict[str, Any]]] = []
    for i in range(min(first_heading, len(stream))):
        text = stream.tokens[i].text.strip()
        loc = stream.tokens[i].loc
        label = _TITLE_LABEL.match(text)
        if label:  # 标题: …, a field of the page's header
            text = text[label.end() :]
            loc = {**loc, "column": loc["column"] + label.end()} if "column" in loc else loc
        if len(text) > 80 or SENTENCE.search(text):
            continue
        if _TITLE.search(text) and _TITLE_END.search(nz.nfkc(text)):
            found.append((text, loc))
        elif i + 1 < len(stream) and "年度报告" not in text and _alone(stream, i):
            # a title broken over two lines: …政府信息公开工作 / 年度报告 (not a page's field
            # label and its value in two cells, 名称 | …年度报告: the value is the title)
            joined = text + stream.tokens[i + 1].text.strip()
            if len(joined) <= 80 and "政府信息公开" in joined and _TITLE_END.search(nz.nfkc(joined)):
                found.append((joined, stream.tokens[i].loc))
    if hints.title:
        m = re.search(r"^\s*(.*?年度报告)", hints.title)
        if m:
            found.append((m.group(1).strip(), hints.title_loc))
    if not found:
        return None
    preferred = [f for f in found if "政府信息公开" in f[0] and "工作年度报告" in f[0]]
    return (preferred or found)[0]


def title_year(title: str) -> int | None:
    """The year a title names: 2021年 in it, or a bare 2021 in its closing note."""
    folded = nz.nfkc(title)
    m = _YEAR.search(folded)
    note = _TITLE_NOTE.search(folded)
    if m is None and note:  # …年度报告（2021）
        m = _BARE_YEAR.search(note.group("note"))
    return int(m.group(1)) if m else None


def organ(title: str) -> str | None:
    folded = nz.nfkc(title).strip()
    note = _TITLE_NOTE.search(folded)
    if note:  # 东乡县政府信息公开工作年度报告（2021年度）: the note says nothing of the organ
        folded = folded[: note.start()]
    m = _ORGAN.match(folded)
    if m is None and note:
        return _TITLE_TAIL.sub("", folded).strip() or None
    if not m:
        return None
    pre = m.group("pre").strip().removeprefix("关于").strip(" 《")
    if pre:
        return pre
    post = _TITLE_TAIL.sub("", m.group("post").strip()).strip(" 》")
    return post or None


def organ_kind(organ: str | None) -> str | None:
    """government (a people's government, its 办公厅/办公室, a bare place name), township,
    department or other; None without an organ."""
    if not organ:
        return None
    name = re.sub(r"\s+", "", nz.nfkc(organ))
    bare = _OFFICE.sub("", name).removesuffix("人民政府")
    if _TOWNSHIP.search(bare):
        return "township"
    if name.removesuffix("人民政府") != name or _OFFICE.sub("", name).endswith("人民政府"):
        return "government"
    if _GOVERNMENT_PLACE.search(name) or _ZONE_COMMITTEE.search(name):
        return "government"
    if _DEPARTMENT.search(name):
        return "department"
    return "other"


def published(stream: Stream, hints: Hints, sixth: int | None, stop: int) -> tuple[str, str, dict[str, Any]] | None:
    if hints.published:
        return hints.published, hints.published, hints.published_loc
    for token in stream.tokens:
        if "期" not in token.text and "时间" not in token.text:
            continue
        folded = nz.nfkc(token.text)
        for m in _PUBLISHED.finditer(folded):
            if m.group(0).startswith("日期") and m.start() and _is_han(folded[m.start() - 1]):
                continue  # 截止日期 and the like are not the publication date
            iso = nz.parse_date(m.group("date"))
            if iso:
                return iso, *_as_printed(token, folded, m, "date")
    if sixth is not None:
        # the signature date standing alone after the last section
        for token in stream.tokens[sixth + 1 : stop]:
            if len(token.text) > 60 or SENTENCE.search(token.text):
                continue
            folded = nz.nfkc(token.text)
            signed = _SIGNATURE.search(folded)
            iso = nz.parse_date(signed.group("date")) if signed else None
            if signed and iso:
                return iso, *_as_printed(token, folded, signed, "date")
    return None


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def period(stream: Stream) -> tuple[dict[str, str], str, dict[str, Any]] | None:
    tokens = stream.tokens
    for i, token in enumerate(tokens):
        if "统计" not in token.text:
            continue
        # the token alone, then joined to the next: a paragraph wrapped at the page's width
        # (…的统计周期 / 为 2024 年 1 月 1 日至 12 月 31 日)
        for joined in (False, True):
            if joined and i + 1 >= len(tokens):
                break
            folded = nz.nfkc(token.text + tokens[i + 1].text if joined else token.text)
            m = _PERIOD.search(folded)
            if not m:
                continue
            start = nz.parse_date(m.group("start"))
            end = nz.parse_date(m.group("end"))
            if start and not end:
                md = _MONTH_DAY.search(m.group("end"))  # 至12月31日: the start's year
                end = nz.iso_date(int(start[:4]), int(md.group(1)), int(md.group(2))) if md else None
            if start and end:
                printed = (m.group(0), token.loc) if joined else _as_printed(token, folded, m)
                return {"start": start, "end": end}, *printed
            break
    return None
