"""T301-T303: the identities of table 三 (收到和处理政府信息公开申请情况).

The identities come from :mod:`nianbao.rules._identities` (derived from the template description,
shared with T310): kind "column" is T301, "outcome" T302, "row" T303. Every identity of the table is
evaluated once (:func:`identities`); a failed one becomes a finding of its rule. Pointer order: a
cell that sits in more failed identities of the table is more likely the wrong one (a single typo
breaks its row and its column), so each finding lists its cells by that count, most failures first;
ties keep the printed order with the derived cell (（七）总计 / 总计) first, since totals are typed by
hand after the figures they sum.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from nianbao import Finding, Report, Skip, derived, hookimpl, rule
from nianbao.i18n import _
from nianbao.rule import Rule, RuleContext
from nianbao.rules import _identities as ids
from nianbao.rules._readings import unsure_reading
from nianbao.template import describe

#: the rule that checks each kind of identity
RULES = {"column": "T301", "outcome": "T302", "row": "T303"}


def _holds(identity: ids.Identity, values: Mapping[str, Any]) -> bool:
    # sides rounded so that 0.1+0.2 style float noise never breaks an identity of whole counts
    return round(sum(values[p] for p in identity.lhs), 6) == round(sum(values[p] for p in identity.rhs), 6)


@derived  # T301, T302, T303 and T310 share one evaluation per report
def identities(report: Report) -> tuple[dict[str, Any], list[ids.Identity], Counter[str], dict[str, str]]:
    """The table's cell values, every checkable identity, how many of each rule were not checkable
    (an operand blank or missing), and each row's label as T303 prints it (a grouped row with its
    group's label in full). Raises Skip when the table is absent or unrecognised."""
    shape = report.table_template(ids.TABLE)
    if ids.TABLE not in report.tables or shape not in ("2021", "2019"):
        raise Skip(_("table 三 (收到和处理政府信息公开申请情况) was not found in the report"))
    evaluated = ids.evaluated(report)
    assert evaluated is not None
    values, residuals = evaluated
    found: list[ids.Identity] = []
    unknown: Counter[str] = Counter()
    for identity in ids.applications(shape):
        if residuals[identity] is None:
            unknown[RULES[identity.kind]] += 1
        else:
            found.append(identity)
    return values, found, unknown, _scopes(shape)


@cache
def _scopes(shape: str) -> dict[str, str]:
    # the same for every report of the template (callers only read it)
    rows = describe(shape).tables[ids.TABLE].rows
    return {ids.row_label(r): f"{r.group} {r.label}" if r.group else r.label for r in rows}


@derived  # T301, T302 and T303 rank their cells by the same failures
def _failed(report: Report) -> list[ids.Identity]:
    values, found = identities(report)[:2]
    evaluated = ids.evaluated(report)
    assert evaluated is not None
    residuals = evaluated[1]
    # of whole counts the residual is an int: the identity holds when it is 0 (as _holds says)
    return [i for i in found if not (residuals[i] == 0 if type(residuals[i]) is int else _holds(i, values))]


def _findings(report: Report, rule_id: str) -> Iterator[Finding]:
    values, found, unknown, scopes = identities(report)
    mine = [i for i in found if RULES[i.kind] == rule_id]
    if not mine:
        raise Skip(
            _(
                "no {rule} identity of table 三 could be checked: {n} had a blank or missing cell (T002)",
                rule=rule_id,
                n=unknown[rule_id],
            )
        )
    failed = _failed(report)
    suspicion = Counter(p for i in failed for p in i.pointers)
    for identity in mine:
        if identity not in failed:
            continue
        # derived cell first (lhs for T302/T303; rhs （七）总计 for T301), then by failures
        if identity.kind == "column":
            pointers = [*identity.rhs[:1], *identity.lhs, *identity.rhs[1:]]
        else:
            pointers = list(identity.pointers)
        pointers.sort(key=lambda p: -suspicion[p])
        scope = scopes[identity.scope] if identity.kind == "row" else identity.scope
        yield _finding(report, identity.explain(values, scope), pointers)


def _finding(report: Report, failure: str, pointers: list[str]) -> Finding:
    """The failure as an error; as a warning naming them when a cell of it was read by OCR
    without certainty (it fails in what was read, which may not be what is printed)."""
    doubt = unsure_reading(report, pointers)
    if doubt is None:
        return Finding(failure, pointers)
    return Finding(_("{failure}; {doubt}", failure=failure, doubt=doubt), pointers, level="warning")


@rule(
    "T301",
    "applications-column-identity",
    "error",
    "Table 三, per column: 一 + 二 = （七）总计 + 四.",
    """
    The form prints this identity under table 三: "第一项加第二项之和，等于第三项加第四项之和".
    Applications received this year (一) plus those carried over (二) are either handled this
    year (三（七）总计) or carried forward (四). Checked for every applicant column; a column with
    a blank operand is not checked (T002 reports the blank). Correct the figure that was typed
    wrong; the first pointer is the cell that breaks the most identities of the table. On a
    scanned table, a failure with a cell that OCR read without certainty (O101) is a warning that
    names it: the figure may be misread rather than misprinted.
    """,
    "国办公开办函〔2021〕30号 表三 勾稽关系",
)
def column_identity(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    yield from _findings(report, "T301")


@rule(
    "T302",
    "applications-outcome-sum",
    "error",
    "Table 三, per column: （七）总计 = （一）+（二）+Σ（三）+Σ（四）+Σ（五）+Σ（六）.",
    """
    Each application is counted under exactly one outcome, so （七）总计 is the sum of （一）予以公开,
    （二）部分公开 and every sub-row of （三）不予公开, （四）无法提供, （五）不予处理 and （六）其他处理
    (three sub-rows in the 2021 template, one row in 2019). The message shows each group's sum.
    A column with a blank operand is not checked (T002 reports it).
    """,
    "国办公开办函〔2021〕30号 表三 (各项办理结果之和为总计)",
)
def outcome_sum(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    yield from _findings(report, "T302")


@rule(
    "T303",
    "applications-row-total",
    "error",
    "Table 三, per row: 总计 = 自然人 + the five 法人或其他组织 columns.",
    """
    The 总计 column adds up the applicants: 自然人 and the five kinds of 法人或其他组织 (商业企业,
    科研机构, 社会公益组织, 法律服务机构, 其他). Checked for every row with figures; a row with a
    blank cell is not checked (T002 reports it).
    """,
    "国办公开办函〔2021〕30号 表三 (申请人情况 总计)",
)
def row_total(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    yield from _findings(report, "T303")


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [column_identity, outcome_sum, row_total]
