"""The engine's rules beyond single bands: basic conditions, direct routes, vetoes, group minimums,
undecided figures and the reasons it gives. Money is in 万元 (1 million yuan = 100 万元)."""

import dataclasses
import datetime
import json
from decimal import Decimal as D

import pytest
from django.utils import translation

from certification import rubric
from tests.factories.certification import facts

YEAR = 2025

# Manual entries that, with the sound default figures (44 automatic points), give 79 points.
ZJTX_ENTERED = {
    "I4": 3, "I5": {"value": 2}, "I6": {"value": 2}, "I9": 10, "I10": 6, "I13": 8,
    "D1": False, "D4": False, "V4": False, "V5": False,
}
ZJTX_NOTHING_SCORED = {**ZJTX_ENTERED, "I4": 0, "I5": {"value": 1}, "I6": {"value": 0},
                       "I9": 0, "I10": 0, "I13": 0}


def evaluate(rules, **options):
    return rubric.evaluate(rules, facts(**options))


def verdict(rules, code, **options):
    return evaluate(rules, **options).item(code).verdict


# --- A whole evaluation ---------------------------------------------------------------------


def test_a_sound_firm_with_every_manual_item_entered_passes_with_its_score(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_ENTERED)

    assert result.outcome == "passed"
    assert result.total_points == 79
    assert [g["points"] for g in result.groups] == [23, 19, 10, 27]
    assert result.missing == []
    assert result.reasons[-1]["zh"] == "全部条件均已满足，评价得分 79 分"
    assert result.reasons[-1]["en"] == "All conditions are met; score 79"


def test_each_item_shows_the_figures_behind_its_verdict(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_ENTERED)

    c2 = result.item("C2").as_json()
    assert c2["verdict"] == "pass"
    assert c2["figures"] == {
        "rd_expense": "650", "operating_revenue": "10000", "rd_expense_share": "0.065"
    }
    i2 = result.item("I2").as_json()
    assert i2["points"] == "10"
    assert i2["band"] == "10%及以上"
    assert i2["figures"]["main_business_revenue_2023"] == "7200"
    assert i2["figures"]["growth_2024"] == "0.111111"
    assert i2["figures"]["main_business_revenue_avg_growth"] == "0.118056"


def test_the_stored_forms_are_json_with_amounts_as_strings(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_ENTERED)

    summary = json.loads(json.dumps(result.summary_json()))
    items = json.loads(json.dumps(result.items_json()))
    assert summary["total_points"] == "79"
    assert summary["score"] == {
        "total_points": "79", "open_points": "0", "pass_mark": "60", "passed": True
    }
    assert [item["code"] for item in items][:4] == ["C1", "C2", "C3", "C4"]


# --- 专精特新 basic conditions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("founded_on", "niche_market", "expected"),
    [
        (datetime.date(2024, 1, 1), "矿山破碎设备", "fail"),  # one day short of 2 years
        (datetime.date(2023, 12, 31), "矿山破碎设备", "pass"),
        (datetime.date(2012, 5, 18), "", "unknown"),  # no niche market recorded
    ],
)
def test_c1_needs_two_years_in_a_recorded_niche_market(zjtx, founded_on, niche_market, expected):
    assert verdict(zjtx, "C1", founded_on=founded_on, niche_market=niche_market) == expected


@pytest.mark.parametrize(
    ("rd_expense", "revenue", "expected"),
    [
        (D("100"), D("1000"), "pass"),  # 1 million yuan, 10 %
        (D("99.99"), D("1000"), "fail"),  # just under 1 million yuan
        (D("150"), D("5000"), "pass"),  # exactly 3 %
        (D("149.99"), D("5000"), "fail"),  # just under 3 %
        (D("100"), D("3333.33"), "pass"),  # both edges at once: 3.0000 %
        (D("100"), D("3333.34"), "fail"),  # 2.99999 %
    ],
)
def test_c2_needs_rd_of_one_million_yuan_and_three_percent(zjtx, rd_expense, revenue, expected):
    assert verdict(zjtx, "C2", rd_expense=rd_expense, operating_revenue=revenue) == expected


@pytest.mark.parametrize(
    ("revenue", "declared", "expected"),
    [
        (D("1000"), None, "pass"),  # 10 million yuan; financing not needed
        (D("999.99"), None, "unknown"),  # below: financing must be declared
        (D("999.99"), {"equity_financing_2y": 2000}, "pass"),  # 20 million yuan
        (D("999.99"), {"equity_financing_2y": D("1999.99")}, "fail"),
        (D("999.99"), {"equity_financing_2y": 0}, "fail"),
    ],
)
def test_c3_needs_ten_million_revenue_or_twenty_million_financing(
    zjtx, revenue, declared, expected
):
    assert verdict(zjtx, "C3", operating_revenue=revenue, declared=declared) == expected


def test_a_failed_basic_condition_fails_the_firm_whatever_its_score(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_ENTERED, rd_expense=D("99"))

    assert result.item("C4").verdict == "pass"
    assert result.outcome == "failed"
    assert {
        "item": "C2",
        "zh": "C2「上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%」：不满足",
        "en": "C2 (Prior-year R&D expense at least 1 million yuan and at least 3% of"
              " operating revenue): not met",
    } in result.reasons
    assert result.missing == []


# --- Score test and direct routes -------------------------------------------------------------


def test_a_score_below_sixty_fails_c4_when_no_direct_route_is_met(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_NOTHING_SCORED, declared={"equity_financing_2y": 0})

    assert result.total_points == 44
    assert result.item("C4").verdict == "fail"
    assert result.outcome == "failed"
    assert "评价得分 44 分，及格线 60 分" in result.reasons[0]["zh"]
    assert "score 44, pass mark 60" in result.reasons[0]["en"]


@pytest.mark.parametrize(
    ("declared", "expected"), [(6000, "passed"), (D("5999.99"), "failed")]
)
def test_d3_sixty_million_financing_stands_in_for_the_score(zjtx, declared, expected):
    result = evaluate(
        zjtx, inputs=ZJTX_NOTHING_SCORED, declared={"equity_financing_2y": declared}
    )
    assert result.outcome == expected
    if expected == "passed":
        assert result.item("C4").waived_by == ["D3"]
        assert result.direct_routes_met == ["D3"]
        assert any("经直通条件 D3 满足" in reason["zh"] for reason in result.reasons)


@pytest.mark.parametrize(
    ("earlier_rd", "expected"), [(D("800"), "pass"), (D("799.98"), "fail")]
)
def test_d2_average_rd_of_ten_million_yuan_over_two_years(zjtx, earlier_rd, expected):
    reports = {YEAR - 1: {"rd_expense": earlier_rd}, YEAR: {"rd_expense": D("1200")}}
    assert verdict(zjtx, "D2", reports=reports) == expected


def test_a_manual_direct_route_met_stands_in_for_the_score(zjtx):
    inputs = {**ZJTX_NOTHING_SCORED, "D4": True}
    result = evaluate(zjtx, inputs=inputs, declared={"equity_financing_2y": 0})

    assert result.outcome == "passed"
    assert result.item("C4").waived_by == ["D4"]


def test_a_low_score_waits_for_direct_routes_not_yet_assessed(zjtx):
    inputs = {code: v for code, v in ZJTX_NOTHING_SCORED.items() if code not in ("D1", "D4")}
    result = evaluate(zjtx, inputs=inputs)

    assert result.outcome == "incomplete"
    assert result.item("C4").verdict == "unknown"
    assert result.item("C4").pending == ["D1", "D3", "D4"]
    assert [m["item"] for m in result.missing] == ["C4", "D1", "D3", "D4"]
    assert result.missing[2]["figures"] == [
        {"figure": "equity_financing_2y", "year": None, "problem": "undeclared"}
    ]
    assert "待判定直通条件 D1、D3、D4" in result.reasons[-1]["zh"]


def test_a_score_that_cannot_reach_sixty_fails_before_manual_items_are_entered(zjtx):
    # Automatic indicators at zero leave at most 50 manual points: 0 + 50 < 60.
    inputs = {"D1": False, "D4": False, "V4": False, "V5": False}
    result = evaluate(
        zjtx,
        inputs=inputs,
        declared={"equity_financing_2y": 0},
        main_business_revenue=D("5000"),  # 50 %, and negative growth
        net_profit=D("0"),
        total_liabilities=D("11000"),
        rd_expense=D("300"),
        operating_revenue=D("10000"),
        rd_staff=0,
        founded_on=datetime.date(YEAR - 2, 1, 1),
    )

    assert result.item("I11").points == 6  # 3–4 M yuan
    assert result.score["total_points"] == 7  # I3 has 1 point for 2 full years
    assert result.score["passed"] is False
    assert result.outcome == "failed"


def test_a_score_already_above_the_pass_mark_needs_no_further_manual_items(innovative):
    # The sound figures earn 60 automatic points and every group minimum.
    result = evaluate(innovative, inputs={"V4": False, "V5": False})

    assert result.item("I1").verdict == "unknown"
    assert result.score["passed"] is True
    assert result.outcome == "passed"


# --- 创新型中小企业 group minimums and direct routes ----------------------------------------------

# Figures that earn the given points on the automatic innovative indicators (mid-band values).
RD_SHARE = {20: D("0.06"), 15: D("0.04"), 10: D("0.025"), 5: D("0.015"), 0: D("0.005")}
GROWTH = {20: D("0.2"), 15: D("0.12"), 10: D("0.07"), 5: D("0.02"), 0: D("-0.05")}
DEBT = {10: D("0.4"), 5: D("0.6"), 0: D("0.8")}
MAIN_SHARE = {20: D("0.8"), 15: D("0.65"), 10: D("0.57"), 5: D("0.52"), 0: D("0.4")}


def innovative_facts(i1, i2, i3, i4, i5, i6, **options):
    main = D("10000") * (1 + GROWTH[i3])
    revenue = main / MAIN_SHARE[i6]
    no_incidents = {"safety_incidents": 0, "quality_incidents": 0, "environmental_incidents": 0}
    return facts(
        reports={
            YEAR - 2: no_incidents,
            YEAR - 1: {**no_incidents, "main_business_revenue": D("10000")},
            YEAR: {
                **no_incidents,
                "main_business_revenue": main,
                "operating_revenue": revenue,
                "rd_expense": revenue * RD_SHARE[i2],
                "total_assets": D("10000"),
                "total_liabilities": D("10000") * DEBT[i4],
            },
        },
        inputs={"I1": i1, "I5": i5, "D1": False, "D2": False, "D3": False,
                "V4": False, "V5": False},
        **options,
    )


NO_FINANCING = {"equity_financing_3y": 0}


@pytest.mark.parametrize(
    ("points", "expected", "short_group"),
    [
        ((5, 15, 20, 10, 10, 20), "passed", None),  # 创新能力 exactly 20
        ((0, 15, 20, 10, 10, 20), "failed", "创新能力 15 分，低于最低 20 分"),
        ((20, 20, 10, 5, 10, 20), "passed", None),  # 成长性 exactly 15
        ((20, 20, 5, 5, 10, 20), "failed", "成长性 10 分，低于最低 15 分"),
        ((20, 20, 20, 10, 5, 10), "passed", None),  # 专业化 exactly 15
        ((20, 20, 20, 10, 5, 5), "failed", "专业化 10 分，低于最低 15 分"),
    ],
)
def test_innovative_group_minimums(innovative, points, expected, short_group):
    result = rubric.evaluate(innovative, innovative_facts(*points, declared=NO_FINANCING))

    assert result.total_points >= 60
    assert [r.points for r in result.items if r.item.kind == "scored"] == list(points)
    assert result.outcome == expected
    if short_group:
        assert short_group in result.reasons[0]["zh"]


@pytest.mark.parametrize(
    ("points", "expected"),
    [((10, 10, 15, 5, 5, 15), "passed"), ((5, 15, 10, 5, 5, 15), "failed")],
)
def test_innovative_total_of_sixty_with_every_minimum(innovative, points, expected):
    result = rubric.evaluate(innovative, innovative_facts(*points, declared=NO_FINANCING))
    assert result.total_points == (60 if expected == "passed" else 55)
    assert result.outcome == expected


@pytest.mark.parametrize(("financing", "expected"), [(500, "passed"), (D("499.99"), "failed")])
def test_innovative_d4_five_million_financing_passes_a_low_score(innovative, financing, expected):
    the_facts = innovative_facts(0, 0, 0, 0, 5, 0, declared={"equity_financing_3y": financing})
    assert rubric.evaluate(innovative, the_facts).outcome == expected


# --- Vetoes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "code"),
    [("safety_incidents", "V1"), ("quality_incidents", "V2"), ("environmental_incidents", "V3")],
)
def test_an_incident_in_the_last_three_years_vetoes_the_firm(zjtx, figure, code):
    the_facts = facts(inputs=ZJTX_ENTERED)
    the_facts.reports[YEAR - 2][figure] = 1
    result = rubric.evaluate(zjtx, the_facts)

    assert result.vetoes_hit == [code]
    assert result.outcome == "failed"
    assert result.reasons[0]["item"] == code
    assert result.reasons[0]["zh"].startswith(f"否决项 {code}")


def test_an_incident_four_years_ago_is_not_read(zjtx):
    the_facts = facts(inputs=ZJTX_ENTERED)
    the_facts.reports[YEAR - 3] = {"safety_incidents": 1}
    assert rubric.evaluate(zjtx, the_facts).outcome == "passed"


def test_a_veto_decides_even_when_much_is_still_missing(zjtx):
    result = evaluate(zjtx, inputs={"V4": True})

    assert result.vetoes_hit == ["V4"]
    assert result.outcome == "failed"
    assert result.missing == []


def test_a_veto_not_yet_checked_leaves_the_outcome_incomplete(zjtx):
    inputs = {code: v for code, v in ZJTX_ENTERED.items() if code != "V5"}
    result = evaluate(zjtx, inputs=inputs)

    assert result.outcome == "incomplete"
    assert result.missing == [{"item": "V5", "figures": [], "needs_input": True, "pending": []}]
    assert result.reasons == [{
        "item": "V5",
        "zh": "V5「近三年存在偷税漏税或其他重大违法违规行为」：待定，待人工填报（附证明材料）",
        "en": "V5 (Tax evasion or another major violation of law in the last 3 years):"
              " undecided, awaiting a manual entry with evidence",
    }]


# --- Missing figures ------------------------------------------------------------------------


def test_a_missing_figure_leaves_its_indicator_undecided_never_zero(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_ENTERED, net_profit=None)
    i7 = result.item("I7")

    assert i7.verdict == "unknown"
    assert i7.points is None
    assert i7.gaps == [{"figure": "net_profit", "year": YEAR, "problem": "missing"}]
    # 71 known points already reach 60, so the firm passes without I7's 8.
    assert result.total_points == 71
    assert result.outcome == "passed"


def test_missing_figures_that_matter_make_the_outcome_incomplete_and_say_which(zjtx):
    the_facts = facts(inputs=ZJTX_NOTHING_SCORED, declared={"equity_financing_2y": 0})
    del the_facts.reports[YEAR - 2]
    the_facts.reports[YEAR].pop("rd_expense")
    result = rubric.evaluate(zjtx, the_facts)

    assert result.outcome == "incomplete"
    missing = {m["item"]: m["figures"] for m in result.missing}
    assert missing["C2"] == [{"figure": "rd_expense", "year": YEAR, "problem": "missing"}]
    # The score fails even at I2's and I11's best (24 + 20 < 60), so they are not waited for;
    # D2 is, as the average R&D needs this year's figure.
    assert result.score["passed"] is False
    assert "I2" not in missing
    assert missing["D2"] == [{"figure": "rd_expense", "year": YEAR, "problem": "missing"}]
    assert missing["V1"] == [{"figure": "safety_incidents", "year": YEAR - 2, "problem": "missing"}]
    c2_reason = next(r for r in result.reasons if r["item"] == "C2")
    assert c2_reason["zh"].endswith("待定，缺少2025年研发费用")
    assert c2_reason["en"].endswith("undecided, missing R&D expense 2025")


def test_a_zero_denominator_is_undecided_and_named(zjtx):
    result = evaluate(zjtx, inputs=ZJTX_ENTERED, operating_revenue=D("0"))

    assert result.item("C2").gaps == [
        {"figure": "operating_revenue", "year": YEAR, "problem": "zero"}
    ]
    assert result.item("C3").verdict == "unknown"  # 0 < 1000: financing would decide
    assert "2025年营业收入为零" in next(r["zh"] for r in result.reasons if r["item"] == "C2")


def test_without_any_verified_report_only_the_automatic_items_are_undecided(zjtx):
    result = rubric.evaluate(zjtx, facts(reports={}, inputs=ZJTX_ENTERED))

    undecided = [r.item.code for r in result.items if r.verdict == "unknown"]
    assert undecided == ["C2", "C3", "C4", "D2", "D3", "I1", "I2", "I7", "I8", "I11", "I12",
                         "V1", "V2", "V3"]
    assert result.outcome == "incomplete"


# --- 小巨人 ----------------------------------------------------------------------------------

LITTLE_GIANT_MET = {code: True for code in ("C1", "C5", "C6", "C8", "C9", "C11", "C12", "C13",
                                            "C14")}
LITTLE_GIANT_ENTERED = {**LITTLE_GIANT_MET, "D1": False, "D2": False, "V4": False, "V5": False}


def test_a_little_giant_meeting_every_group_passes(little_giant):
    result = evaluate(little_giant, inputs=LITTLE_GIANT_ENTERED)

    assert result.outcome == "passed"
    assert result.total_points == 0
    assert result.reasons == [
        {"item": "", "zh": "全部条件均已满足", "en": "All conditions are met"}
    ]


@pytest.mark.parametrize(("liabilities", "expected"), [(D("7000"), "pass"), (D("7001"), "fail")])
def test_little_giant_debt_ratio_at_most_seventy_percent(little_giant, liabilities, expected):
    the_verdict = verdict(
        little_giant, "C7", total_assets=D("10000"), total_liabilities=liabilities
    )
    assert the_verdict == expected


@pytest.mark.parametrize(
    ("revenue", "rd", "earlier_rd", "declared", "staff", "expected"),
    [
        (D("10000"), D("300"), D("300"), None, 24, "pass"),  # ≥ 100 M yuan: 3 % both years
        (D("10000"), D("300"), D("299.99"), None, 24, "fail"),  # 2.9999 % the year before
        (D("9999.99"), D("600"), D("600"), None, 24, "pass"),  # 50–100 M: 6 % both years
        (D("5000"), D("300"), D("299.99"), None, 24, "fail"),
        (D("4999.99"), D("1500"), D("1500"), {"equity_financing_2y": 8000}, 75, "pass"),
        (D("4999.99"), D("1500"), D("1499.99"), {"equity_financing_2y": 8000}, 75, "fail"),
        (D("4999.99"), D("1500"), D("1500"), {"equity_financing_2y": 8000}, 74, "fail"),
        (D("4999.99"), D("1500"), D("1500"), None, 75, "unknown"),  # financing not declared
    ],
)
def test_little_giant_rd_intensity_by_revenue_size(
    little_giant, revenue, rd, earlier_rd, declared, staff, expected
):
    reports = {
        YEAR - 1: {"operating_revenue": D("10000") if revenue >= 5000 else revenue,
                   "rd_expense": earlier_rd},
        YEAR: {"operating_revenue": revenue, "rd_expense": rd, "rd_staff": staff,
               "employees": 150},
    }
    # With no direct route met, the condition stands on its own.
    the_verdict = verdict(
        little_giant, "C10", reports=reports, declared=declared,
        inputs={"D1": False, "D2": False},
    )
    assert the_verdict == expected


def test_a_little_giant_direct_route_stands_in_for_the_innovation_group(little_giant):
    inputs = {**LITTLE_GIANT_ENTERED, "C11": False, "C12": False, "D2": True}
    result = evaluate(little_giant, inputs=inputs, rd_expense=D("100"))

    assert result.outcome == "passed"
    for code in ("C10", "C11", "C12"):
        assert result.item(code).waived_by == ["D2"]
    assert result.item("C8").waived_by == []


def test_a_little_giant_innovation_group_waits_for_its_direct_routes(little_giant):
    inputs = {**LITTLE_GIANT_ENTERED, "C11": False}
    del inputs["D1"]
    result = evaluate(little_giant, inputs=inputs)

    assert result.outcome == "incomplete"
    assert result.item("C11").verdict == "unknown"
    assert result.item("C11").pending == ["D1"]


def test_a_little_giant_failing_another_group_is_not_rescued_by_the_direct_routes(little_giant):
    inputs = {**LITTLE_GIANT_ENTERED, "C8": False, "D1": True}
    result = evaluate(little_giant, inputs=inputs)

    assert result.item("C8").verdict == "fail"
    assert result.outcome == "failed"


# --- Manual inputs and declared figures ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"I7": {"points": 10, "evidence": "年报"}}, "automatic_item"),
        ({"X9": {"met": True, "evidence": "证书"}}, "unknown_item"),
        ({"V4": {"met": False}}, "evidence_required"),
        ({"V4": {"met": False, "evidence": "  "}}, "evidence_required"),
        ({"V4": {"met": "no", "evidence": "信用中国截图"}}, "met_required"),
        ({"I9": {"points": 5, "value": 5, "evidence": "评分表"}}, "points_or_value"),
        ({"I9": {"points": "many", "evidence": "评分表"}}, "not_a_number"),
        ({"I4": {"value": 1, "evidence": "说明"}}, "points_required"),
        ({"I5": "3"}, "not_an_object"),
    ],
)
def test_manual_inputs_that_do_not_fit_the_rule_set_are_refused(zjtx, raw, code):
    with pytest.raises(rubric.InvalidInput) as caught:
        rubric.parse_inputs(zjtx, raw)
    assert list(caught.value.codes.values()) == [code]
    assert next(iter(caught.value.errors.values()))


def test_manual_inputs_keep_their_evidence(zjtx):
    parsed = rubric.parse_inputs(
        zjtx, {"I13": {"points": "8", "evidence": " 省级企业技术中心认定文件 "}}
    )
    assert parsed["I13"] == rubric.ManualInput(evidence="省级企业技术中心认定文件", points=D("8"))
    assert parsed["I13"].as_json() == {"evidence": "省级企业技术中心认定文件", "points": "8"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"loans": {"value": 1, "evidence": "合同"}}, "unknown_figure"),
        ({"equity_financing_2y": {"value": -1, "evidence": "合同"}}, "negative"),
        ({"equity_financing_2y": {"value": 100}}, "evidence_required"),
        ({"equity_financing_2y": {"value": True, "evidence": "合同"}}, "not_a_number"),
    ],
)
def test_declared_figures_are_checked(raw, code):
    with pytest.raises(rubric.InvalidInput) as caught:
        rubric.parse_declared(raw)
    assert list(caught.value.codes.values()) == [code]


# --- The seeded rule data ---------------------------------------------------------------------


def test_the_seeded_rule_sets_are_well_formed(zjtx, innovative, little_giant):
    for rules in (zjtx, innovative, little_giant):
        assert rubric.rules_errors(rules) == []


def test_the_zjtx_standard_has_four_conditions_four_routes_thirteen_indicators(zjtx):
    codes = {}
    for item in zjtx.items:
        codes.setdefault(item.kind, []).append(item.code)
    assert codes == {
        "basic_condition": ["C1", "C2", "C3", "C4"],
        "direct_route": ["D1", "D2", "D3", "D4"],
        "scored": [f"I{n}" for n in range(1, 14)],
        "veto": ["V1", "V2", "V3", "V4", "V5"],
    }
    assert zjtx.pass_mark == 60
    i9 = next(item for item in zjtx.items if item.code == "I9")
    assert (i9.mode, i9.group, i9.max_points) == ("manual", "特色化", 15)


def test_the_little_giant_conditions_cover_all_six_groups(little_giant):
    groups = {item.group for item in little_giant.items if item.kind == "basic_condition"}
    assert groups >= {"专", "精", "特", "新", "链", "品"}
    assert {i.waives for i in little_giant.items if i.kind == "direct_route"} == {"新"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bands": ({"min": 0.5, "points": 9, "label": "x"},)}, "points between 0 and 5"),
        ({"bands": ({"min": 0.7, "max": 0.6, "points": 1},)}, "min not below max"),
        ({"metric": "profit_per_head"}, "Unknown metric"),
        ({"criteria": {"metric": "rd_expense", "op": ">", "value": 1}}, "no criteria"),
    ],
)
def test_item_errors_name_what_is_wrong(zjtx, change, message):
    i1 = next(item for item in zjtx.items if item.code == "I1")
    with translation.override("en"):
        errors = rubric.item_errors(dataclasses.replace(i1, **change))
    assert any(message in error for error in errors), errors


def test_a_direct_route_must_waive_a_group_of_basic_conditions(zjtx):
    items = tuple(
        dataclasses.replace(item, waives="elsewhere") if item.code == "D2" else item
        for item in zjtx.items
    )
    with translation.override("en"):
        errors = rubric.rules_errors(dataclasses.replace(zjtx, items=items))
    assert errors == ["D2: Waives elsewhere, which has no basic conditions."]
