"""An example jurisdiction rule: the report names a contact telephone for disclosure requests.

A rule reads the report model (see report-model.md) and yields findings; it knows nothing of
files or formats. Use your own id prefix (here EX) so that ids never clash with nianbao's.

Messages in two languages, as nianbao's own: the text is English with named placeholders, the
Chinese is in locale/zh/LC_MESSAGES/nianbao_example_rules.po (update it with nianbao's
``python scripts/i18n.py update --package nianbao_example_rules``); ``--lang``, ``NIANBAO_LANG``
and ``lang:`` choose. A pack written in one language only needs no catalogue: write its texts in
that language (Chinese, say) and they are shown in it whatever the language of the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nianbao import Finding, Option, Report, Skip, hookimpl, rule
from nianbao.i18n import catalogue
from nianbao.model import join
from nianbao.rule import RuleContext

#: the oldest nianbao plugin API this package works with (nianbao.API_VERSION)
NIANBAO_API = 2
#: this package's messages (nianbao also finds the rule metadata below in it)
_ = catalogue(__package__)


@rule(
    id="EX101",
    name="contact-telephone",
    level="note",
    summary="The report gives a telephone number for information-disclosure requests.",
    explanation="""
    Some provinces ask every report to name the telephone number of the body's information-
    disclosure office, so that applicants know whom to call. Add it to section 一 or 六. Option
    ``min_digits`` (default 7): the fewest digits after the area code that count.
    """,
    legal_basis="example: a provincial notice on annual reports",
    # help_uri="https://example.org/nianbao-example-rules/EX101",  # your page, when you have one
    options={"min_digits": Option(int, 7, "the shortest telephone number that counts")},
    since="0.3.0",
    example="no contact telephone (联系电话) found in any section",
)
def contact_telephone(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    if not report.sections:
        raise Skip(_("the report has no sections to search"))
    digits = int(ctx.option("min_digits"))  # the configured value, else the declared default
    phone = re.compile(r"(?:电话|热线)[：:\s]*[（(]?\d{3,4}[）)\-－—]?\d{" + str(digits) + ",8}")
    if any(phone.search(s.get("text", "")) for s in report.sections):
        return
    last = len(report.sections) - 1
    message = _("no contact telephone (联系电话) found in any of the {n} sections", n=last + 1)
    yield Finding(message, [join("sections", last)])


@hookimpl
def nianbao_rules() -> list:
    return [contact_telephone]
