"""T201-T203: plausibility of table 二 (主动公开政府信息情况)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from nianbao import Finding, Option, Report, Skip, hookimpl, rule
from nianbao.i18n import _
from nianbao.normalize import nfkc
from nianbao.rule import Rule, RuleContext
from nianbao.template import Row, describe

TABLE = "active_disclosure"

# Words that contain an administrative suffix without naming a unit (市场监督管理局, 城乡建设…);
# removed before the organ's level is read from its name.
_NOT_UNITS = re.compile(r"市场|城市|都市|城乡|乡村|城镇|社区|区域|辖区|小区|农村|乡镇企业")
# the unit names a level ends with; 自治区/特别行政区 first so that 区 is not read as a district
_UNITS = re.compile(r"特别行政区|自治区|地区|街道|省|市|州|盟|县|区|旗|乡|镇")
_LEVEL = {
    "省": "province",
    "自治区": "province",
    "特别行政区": "province",
    "市": "city",
    "州": "city",  # 自治州 governments make 规章 since the 2015 立法法
    "县": "county",
    "区": "county",
    "旗": "county",
    "乡": "township",
    "镇": "township",
    "街道": "township",
}
_CENTRAL = re.compile(r"^(?:国务院|国家|中国|中华人民共和国)|(?:部|总局|总署|委员会|银行)$")
_TITLE_NOISE = re.compile(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}年度?|政府信息公开.*$")
_TRUTH = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_MUNICIPALITY = re.compile(r"^(?:北京|天津|上海|重庆)市")


def organ_level(report: Report) -> str | None:
    """province | city | county | township | central, read from meta.organ (or the title);
    None when the name does not tell (地区/盟 行政公署, unnamed bodies)."""
    if report.meta.get("organ_kind") == "township":
        return "township"
    name = report.meta.get("organ") or ""
    if not name:
        # the title names the organ before or after the year: 东乡县2021年… / 2019年上海市人民政府办公厅…
        title = nfkc(report.meta.get("title") or "")
        name = _TITLE_NOISE.sub("", title)
    name = _NOT_UNITS.sub("", name)
    if not name:
        return None
    units = _UNITS.findall(name)
    if not units:
        return "central" if _CENTRAL.search(name) else None
    innermost = units[-1]
    if innermost == "市" and _MUNICIPALITY.match(name) and len(units) == 1:
        return "province"  # 直辖市
    return _LEVEL.get(innermost)


def _rows(report: Report) -> tuple[str, list[Row]]:
    shape = report.table_template(TABLE)
    if TABLE not in report.tables or shape not in ("2021", "2019"):
        raise Skip(_("table 二 (主动公开政府信息情况) was not found in the report"))
    return shape, list(describe(shape).tables[TABLE].rows)


def _num(value: object) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@rule(
    "T201",
    "disclosure-stock",
    "warning",
    "Table 二 (2021): 现行有效件数 + 本年废止件数 ≥ 本年制发件数.",
    """
    A 规章 or 行政规范性文件 issued this year is either still in force at the end of the year or
    was repealed within it, so 现行有效件数 + 本年废止件数 cannot be below 本年制发件数. When it is,
    one of the three figures is wrong (often 现行有效件数 left at 0, or last year's stock).
    Only the 2021 table has these columns; the 2019 table counts 制作/公开 instead.
    """,
    "国办公开办函〔2021〕30号 表二 (第二十条第（一）项)",
)
def disclosure_stock(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    shape, rows = _rows(report)
    stock_rows = [r for r in rows if {c.key for c in r.columns} >= {"issued", "repealed", "in_force"}]
    if not stock_rows:
        raise Skip(_("table 二 shows the {shape} shape, which has no 本年制发/本年废止/现行有效 columns", shape=shape))
    checked = 0
    for row in stock_rows:
        cols = {c.key: c for c in row.columns}
        issued, repealed, in_force = (_num(report.get(row.cell(k))) for k in ("issued", "repealed", "in_force"))
        if issued is None or repealed is None or in_force is None:
            continue
        checked += 1
        if in_force + repealed >= issued:
            continue
        yield Finding(
            _(
                "{in_force}+{repealed} = {in_force_n}+{repealed_n} = {sum} is less than {issued} = {issued_n} ({row})",
                in_force=cols["in_force"].label,
                repealed=cols["repealed"].label,
                in_force_n=_fmt(in_force),
                repealed_n=_fmt(repealed),
                sum=_fmt(in_force + repealed),
                issued=cols["issued"].label,
                issued_n=_fmt(issued),
                row=row.label,
            ),
            [row.cell("in_force"), row.cell("repealed"), row.cell("issued")],
        )
    if not checked:
        raise Skip(_("the 规章 and 行政规范性文件 rows of table 二 have blank cells (T002)"))


@rule(
    "T202",
    "regulations-without-power",
    "warning",
    "Table 二 shows 规章 for a body that cannot make 规章 (county level and below).",
    """
    Only the State Council's departments, provincial governments and the governments of cities
    with districts and autonomous prefectures make 规章 (立法法 第九十一条、第九十三条). A county,
    district or township government, or a department of one, reporting 规章 has usually counted
    normative documents or the 规章 of a higher level in the wrong row. The level is read from
    meta.organ (…县/…区/…旗/乡/镇/街道 → warn; province, city, ministry → no warning); when the name
    does not tell, the rule is skipped. Option has_rulemaking_power (true/false) overrides.
    County-level cities (…市) are treated as cities, so they are not warned about.
    """,
    "《中华人民共和国立法法》第九十一条、第九十三条",
    options={
        "has_rulemaking_power": Option(
            bool, None, "true or false: whether the body may make 规章 (overrides the guess)"
        )
    },
)
def regulations_without_power(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    _shape, rows = _rows(report)
    row = next(r for r in rows if r.path == ("regulations",))
    shown = [(c, _num(report.get(row.cell(c.key)))) for c in row.columns]
    if all(v is None for _, v in shown):
        raise Skip(_("the {row} row of table 二 has no figures (T002)", row=row.label))
    power = ctx.option("has_rulemaking_power")
    if isinstance(power, str):
        if power.strip().lower() not in _TRUTH:
            raise Skip(
                _("option has_rulemaking_power is {value!r}; use true or false (or leave it unset)", value=power)
            )
        power = _TRUTH[power.strip().lower()]
    organ = report.meta.get("organ") or report.meta.get("title") or _("(unnamed)")
    if power is None:
        level = organ_level(report)
        if level is None:
            raise Skip(
                _(
                    "cannot tell from the organ's name ({organ}) whether it may make 规章; "
                    "set option has_rulemaking_power",
                    organ=organ,
                )
            )
        power = level not in ("county", "township")
    if power:
        return
    positive = [(c, v) for c, v in shown if v is not None and v > 0]
    if positive:
        figures = "、".join(f"{c.label} {_fmt(v)}" for c, v in positive)
        yield Finding(
            _(
                "{row}: {figures}, but {organ} has no power to make 规章 (county level or below)",
                row=row.label,
                figures=figures,
                organ=organ,
            ),
            [row.cell(c.key) for c, _ in positive],
        )


@rule(
    "T203",
    "fee-unit",
    "note",
    "本年收费金额 (万元) looks like a figure in 元.",
    """
    Table 二 (2021) asks for 行政事业性收费 in 万元. A figure in 元 typed into that column is 10 000
    times too large. Flagged: a county-level or township body above max_wanyuan 万元 (default
    100000 万元 = 10亿元), and any figure with more decimals than a 万元 amount to the 元 needs
    (more than 4). Advisory: large bodies do collect large fees; check the unit.
    """,
    "国办公开办函〔2021〕30号 表二 第二十条第（八）项 (单位：万元)",
    options={"max_wanyuan": 100000},
)
def fee_unit(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    shape, rows = _rows(report)
    fee_cells = [(r, c) for r in rows for c in r.columns if c.kind == "amount"]
    if not fee_cells:
        raise Skip(_("table 二 shows the {shape} shape, which has no 收费金额 in 万元", shape=shape))
    try:
        limit = float(ctx.option("max_wanyuan", 100000))
    except (TypeError, ValueError):
        raise Skip(
            _("option max_wanyuan is {value!r}, not a number of 万元", value=ctx.option("max_wanyuan"))
        ) from None
    if all(_num(report.get(r.cell(c.key))) is None for r, c in fee_cells):
        raise Skip(_("the 收费金额 of table 二 is blank (T002)"))
    for row, column in fee_cells:
        pointer = row.cell(column.key)
        value = _num(report.get(pointer))
        if value is None:
            continue
        raw = report.raw(pointer) or str(value)
        if value >= limit and organ_level(report) in ("county", "township"):
            yield Finding(
                _(
                    "{row} {column} = {raw} 万元 = {yi}亿元 for a body at county level or below (≥ {limit} 万元): "
                    "was it entered in 元?",
                    row=row.label,
                    column=column.label,
                    raw=raw,
                    yi=_fmt(value / 10000),
                    limit=_fmt(limit),
                ),
                [pointer],
            )
        elif _decimals(raw) > 4:
            yield Finding(
                _(
                    "{row} {column} = {raw} has {n} decimals, finer than 1 元 in 万元: "
                    "was it converted from 元 by mistake?",
                    row=row.label,
                    column=column.label,
                    raw=raw,
                    n=_decimals(raw),
                ),
                [pointer],
            )


def _decimals(raw: str) -> int:
    try:
        exponent = Decimal(nfkc(raw).replace(",", "").strip()).as_tuple().exponent
    except InvalidOperation:
        return 0
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [disclosure_stock, regulations_without_power, fee_unit]
