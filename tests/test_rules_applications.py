"""T301-T303, the identities of table 三, on models built by the kit."""

from __future__ import annotations

import modelkit
import pytest

#: the messages are asserted in English; their Chinese: tests/test_i18n.py
LANGUAGE = "en"

A = "/tables/applications"
# the seed's table 三: 5 applications by 自然人, 2 予以公开 and 3 部分公开, none carried
SEED_LIKE = {"granted": {"natural_person": 2}, "partially_granted": {"natural_person": 3}}
RULES = ("T301", "T302", "T303")


def seed_like(template: str = "2021") -> dict:
    return modelkit.build(template, applications=SEED_LIKE)


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("rule_id", RULES)
def test_clean_model_passes(template: str, rule_id: str) -> None:
    figures = {
        "granted": {"natural_person": 7, "commercial": 2},
        "denied/state_secret": {"legal_service": 1},
        "unavailable/not_held": {"natural_person": 3},
        "carried_over": {"natural_person": 2},
        "carried_forward": {"other_org": 4},
    }
    assert modelkit.run(rule_id, modelkit.build(template, applications=figures)).passed == [rule_id]


def test_changed_handled_total_breaks_the_printed_identity() -> None:
    data = modelkit.set_cell(seed_like(), f"{A}/handled_total/natural_person", 4)
    [finding] = modelkit.run("T301", data).findings
    assert finding.level == "error"
    assert finding.message == "一+二 = 5+0 = 5 but （七）总计+四 = 4+0 = 4 (自然人)"
    # the changed total also breaks its outcome sum and its row: it is named first
    assert finding.pointers[0] == f"{A}/handled_total/natural_person"
    assert set(finding.pointers) == {
        f"{A}/{r}/natural_person" for r in ("new_received", "carried_over", "handled_total", "carried_forward")
    }
    assert finding.location["line"] == modelkit.line_of(data, f"{A}/handled_total/natural_person")


def test_changed_total_column_cell_fires_all_three_at_it() -> None:
    cell = f"{A}/handled_total/total"
    data = modelkit.set_cell(seed_like(), cell, 4)
    for rule_id in RULES:
        [finding] = modelkit.run(rule_id, data).findings
        assert finding.pointers[0] == cell, rule_id
    assert modelkit.run("T303", data).findings[0].message == (
        "总计 = 4 but 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他 = 5+0+0+0+0+0 = 5 (（七）总计)"
    )


def test_outcome_cell_breaks_outcome_sum_and_row_not_the_printed_identity() -> None:
    cell = f"{A}/denied/state_secret/natural_person"
    data = modelkit.set_cell(seed_like(), cell, 1)
    assert modelkit.run("T301", data).passed == ["T301"]
    [outcome] = modelkit.run("T302", data).findings
    assert outcome.message == "（七）总计 = 5 but （一）+（二）+（三）+（四）+（五）+（六） = 2+3+1+0+0+0 = 6 (自然人)"
    assert outcome.pointers[0] == cell  # in two failed identities; （七）总计 in one
    assert len(outcome.pointers) == 1 + 2 + 8 + 3 + 5 + 3
    [row] = modelkit.run("T303", data).findings
    assert row.pointers[0] == cell
    assert row.message.endswith("= 1+0+0+0+0+0 = 1 (（三）不予公开 1.属于国家秘密)")
    assert row.message.startswith("总计 = 0 but ")


def test_2019_other_is_one_row() -> None:
    cell = f"{A}/other/commercial"
    data = modelkit.set_cell(seed_like("2019"), cell, 2)
    [finding] = modelkit.run("T302", data).findings
    assert (
        finding.message == "（七）总计 = 0 but （一）+（二）+（三）+（四）+（五）+（六） = 0+0+0+0+0+2 = 2 (商业企业)"
    )
    assert finding.pointers[0] == cell
    assert len(finding.pointers) == 1 + 2 + 8 + 3 + 5 + 1


def test_changed_total_of_a_row_points_at_it() -> None:
    cell = f"{A}/granted/total"
    data = modelkit.set_cell(seed_like(), cell, 3)
    [finding] = modelkit.run("T303", data).findings
    assert finding.pointers[0] == cell
    assert finding.message == (
        "总计 = 3 but 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他 = 2+0+0+0+0+0 = 2 (（一）予以公开)"
    )
    assert modelkit.run("T301", data).passed == ["T301"]


def test_blank_operand_leaves_its_column_unchecked() -> None:
    data = modelkit.set_cell(seed_like(), f"{A}/carried_over/natural_person", None, raw="/")
    data = modelkit.set_cell(data, f"{A}/handled_total/natural_person", 9)  # wrong, but 二 is unknown
    assert modelkit.run("T301", data).passed == ["T301"]
    assert [f.message for f in modelkit.run("T303", data).findings] == [
        "总计 = 5 but 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他 = 9+0+0+0+0+0 = 9 (（七）总计)"
    ]


def test_nothing_checkable_skips_with_reason() -> None:
    data = seed_like()
    for pointer, _ in list(modelkit.Report(data).cells("/tables/applications/new_received")):
        data = modelkit.set_cell(data, pointer, None, raw="")
    reason = modelkit.run("T301", data).skipped["T301"]
    assert "blank or missing" in reason and "7" in reason
    del data["tables"]["applications"]
    for rule_id in RULES:
        assert "table 三" in modelkit.run(rule_id, data).skipped[rule_id]
