"""N101–N107: what the narrative says against the tables and against itself.

Precision first: a sentence is only judged when its meaning is plain (one subject, one figure,
this year, the whole body); anything ambiguous passes. Each finding quotes the sentence and
both figures, points at the sentence first (its line is the finding's location) and then at
the table cells compared.

One module per rule; what they share is read once per report: the sentences, their clauses'
topics and figures (:func:`.topics.walked`), the table figures (:mod:`.tables`), and the phrase
lists (:mod:`.phrases`, data in ``schemas/narrative-phrases.json``).
"""

from __future__ import annotations

from nianbao import hookimpl
from nianbao.rule import Rule

from .all_done import narrative_all_done
from .average import narrative_average
from .breakdown import narrative_breakdown
from .count import narrative_count
from .documents import narrative_documents
from .percentage import narrative_percentage
from .year import narrative_year


@hookimpl
def nianbao_rules() -> list[Rule]:
    return [
        narrative_count,
        narrative_percentage,
        narrative_breakdown,
        narrative_average,
        narrative_all_done,
        narrative_year,
        narrative_documents,
    ]
