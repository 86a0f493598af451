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

from nianbao import Finding, Report, Skip, hookimpl, rule
from nianbao.i18n import catalogue
from nianbao.model import join
from nianbao.rule import RuleContext

#: this package's messages (nianbao also finds the rule metadata below in it)
_ = catalogue(__package__)
PHONE = re.compile(r"(?:电话|热线)[：:\s]*[（(]?\d{3,4}[）)\-－—]?\d{7,8}")


@rule(
    "EX101",
    "contact-telephone",
    "note",
    "The report gives a telephone number for information-disclosure requests.",
    """
    Some provinces ask every report to name the telephone number of the body's information-
    disclosure office, so that applicants know whom to call. Add it to section 一 or 六.
    """,
    "example: a provincial notice on annual reports",
)
def contact_telephone(report: Report, ctx: RuleContext) -> Iterator[Finding]:
    if not report.sections:
        raise Skip(_("the report has no sections to search"))
    if any(PHONE.search(s.get("text", "")) for s in report.sections):
        return
    last = len(report.sections) - 1
    message = _("no contact telephone (联系电话) found in any of the {n} sections", n=last + 1)
    yield Finding(message, [join("sections", last)])


@hookimpl
def nianbao_rules() -> list:
    return [contact_telephone]
