"""M: the report model itself."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.rule import Rule, RuleContext


@rule(
    "M001",
    "report-schema",
    "error",
    "The parsed report conforms to the JSON Schema of its template.",
    """
    Every report is read into one JSON model and validated against the JSON Schema of the
    template its tables show (schemas/template-2021.schema.json, template-2019.schema.json).
    A violation means a row or table is missing, a value has the wrong type, or a key is unknown:
    the other rules may then miss what they would otherwise check.
    """,
    "nianbao report model (nianbao.report/1)",
)
def report_schema(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    if report.template is None:
        raise Skip("no template could be recognised from the tables, so there is no schema to validate against")
    from nianbao.validate import validate

    for v in validate(report.data):
        yield Finding(f"{v.pointer or '/'}: {v.message}", [v.pointer])


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [report_schema]
