"""M: the report model itself."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao import Finding, Report, hookimpl, rule
from nianbao.i18n import _
from nianbao.rule import Rule, RuleContext


@rule(
    "M001",
    "report-schema",
    "error",
    "The parsed report conforms to the JSON Schema of its template.",
    """
    Every report is read into one JSON model and validated against the JSON Schema of the
    template its tables show (schemas/template-2021.schema.json, template-2019.schema.json).
    A violation means a row or table is missing, a value has the wrong type, a key is unknown or
    a figure is beyond any a report prints. The rules are written for models that conform, so a
    report that fails this rule is checked by no other rule (M001 is their precondition): a
    model from another tool with a count that is a string, say, gets this rule's findings only.
    A model with no template is held to the common part (schemas/report.schema.json).
    """,
    "nianbao report model (nianbao.report/1)",
    gate=True,
)
def report_schema(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    from nianbao.template import printed_cell
    from nianbao.validate import validate

    for v in validate(report.data):
        where = printed_cell(report, v.pointer) if v.pointer else "/"
        yield Finding(_("{where}: {problem}", where=where, problem=v.message), [v.pointer])


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [report_schema]
