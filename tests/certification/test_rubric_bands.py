"""Every band edge of the seeded indicators: the value just below, at and just above each edge.

Expected points are copied from RULES §1.2 (innovative SME) and §1.3 (专精特新), not from the
seed, with the lower bound of each bracket inclusive (``lo <= v < hi``). Money is in 万元.
"""

import datetime
from decimal import Decimal as D

import pytest

from certification import rubric
from tests.factories.certification import facts

RATIO_STEP = D("0.0001")  # 0.01 percentage points
YEAR = 2025


def around(table, step):
    """(edge, points below the edge, points at it) → (value, points) just below, at, above."""
    cases = []
    for edge, below, at in table:
        edge = D(str(edge))
        cases += [(edge - step, below), (edge, at), (edge + step, at)]
    return cases


def points(rules, code, the_facts):
    result = rubric.evaluate(rules, the_facts).item(code)
    assert result.verdict == "scored", result
    return result.points


def share(numerator, denominator, value, base=D("10000")):
    """Facts whose ``numerator / denominator`` equals ``value`` exactly."""
    return facts(**{numerator: value * base, denominator: base})


def avg_growth(value):
    # Growth of 0 then 2·value: their mean is value.
    base = D("10000")
    return facts(reports={
        YEAR - 2: {"main_business_revenue": base},
        YEAR - 1: {"main_business_revenue": base},
        YEAR: {"main_business_revenue": base * (1 + 2 * value)},
    })


def growth(value):
    base = D("10000")
    return facts(reports={
        YEAR - 1: {"main_business_revenue": base},
        YEAR: {"main_business_revenue": base * (1 + value)},
    })


# --- 专精特新: the 13 indicators ------------------------------------------------------------

ZJTX_I1_MAIN_BUSINESS_SHARE = around([(0.60, 0, 1), (0.70, 1, 3), (0.80, 3, 5)], RATIO_STEP)
ZJTX_I2_AVG_GROWTH = around(
    [(0, 0, 2), (0.04, 2, 4), (0.06, 4, 6), (0.08, 6, 8), (0.10, 8, 10)], RATIO_STEP
)
ZJTX_I7_NET_MARGIN = around(
    [(0.02, 0, 2), (0.04, 2, 4), (0.06, 4, 6), (0.08, 6, 8), (0.10, 8, 10)], RATIO_STEP
)
ZJTX_I8_DEBT_RATIO = around([(0.50, 5, 3), (0.60, 3, 1), (0.70, 1, 0)], RATIO_STEP)
ZJTX_I11_RD_AMOUNT = around(
    [(100, 0, 2), (200, 2, 4), (300, 4, 6), (400, 6, 8), (500, 8, 10)], D("0.01")
)
ZJTX_I11_RD_SHARE = around(
    [(0.03, 0, 2), (0.04, 2, 4), (0.06, 4, 6), (0.08, 6, 8), (0.10, 8, 10)], RATIO_STEP
)
ZJTX_I12_RD_STAFF_SHARE = around([(0.05, 0, 1), (0.10, 1, 3), (0.20, 3, 5)], RATIO_STEP)


@pytest.mark.parametrize(("value", "expected"), ZJTX_I1_MAIN_BUSINESS_SHARE)
def test_zjtx_i1_main_business_share(zjtx, value, expected):
    the_facts = share("main_business_revenue", "operating_revenue", value)
    assert points(zjtx, "I1", the_facts) == expected


@pytest.mark.parametrize(("value", "expected"), ZJTX_I2_AVG_GROWTH)
def test_zjtx_i2_average_main_business_growth(zjtx, value, expected):
    assert points(zjtx, "I2", avg_growth(value)) == expected


def niche_cases(table):
    """Founding dates one day short of, exactly at and one day past each edge in full years,
    counted at 31 December of the figures year."""
    cases = []
    for years, below, at in table:
        cases += [
            (datetime.date(YEAR - years + 1, 1, 1), below),
            (datetime.date(YEAR - years, 12, 31), at),
            (datetime.date(YEAR - years, 12, 30), at),
        ]
    return cases


ZJTX_I3_YEARS_IN_NICHE = niche_cases([(2, 0, 1), (4, 1, 2), (6, 2, 3), (8, 3, 4), (10, 4, 5)])


@pytest.mark.parametrize(("founded_on", "expected"), ZJTX_I3_YEARS_IN_NICHE)
def test_zjtx_i3_one_point_per_full_two_years_in_the_niche(zjtx, founded_on, expected):
    assert points(zjtx, "I3", facts(founded_on=founded_on)) == expected


@pytest.mark.parametrize(("given", "expected"), [(5, 5), (3, 3), (0, 0)])
def test_zjtx_i4_field_of_main_product_takes_the_listed_options(zjtx, given, expected):
    assert points(zjtx, "I4", facts(inputs={"I4": given})) == expected


@pytest.mark.parametrize(("level", "expected"), [(1, 0), (2, 3), (3, 5), (4, 5)])
def test_zjtx_i5_digitalisation_level(zjtx, level, expected):
    assert points(zjtx, "I5", facts(inputs={"I5": {"value": level}})) == expected


@pytest.mark.parametrize(("held", "expected"), [(0, 0), (1, 3), (2, 5), (3, 5), (4, 5)])
def test_zjtx_i6_quality_management_three_per_item_capped_at_five(zjtx, held, expected):
    assert points(zjtx, "I6", facts(inputs={"I6": {"value": held}})) == expected


@pytest.mark.parametrize(("value", "expected"), ZJTX_I7_NET_MARGIN)
def test_zjtx_i7_net_profit_margin(zjtx, value, expected):
    assert points(zjtx, "I7", share("net_profit", "operating_revenue", value)) == expected


@pytest.mark.parametrize(("value", "expected"), ZJTX_I8_DEBT_RATIO)
def test_zjtx_i8_asset_liability_ratio(zjtx, value, expected):
    assert points(zjtx, "I8", share("total_liabilities", "total_assets", value)) == expected


@pytest.mark.parametrize("given", [D("0"), D("7.5"), D("15")])
def test_zjtx_i9_local_indicators_take_any_points_up_to_fifteen(zjtx, given):
    assert points(zjtx, "I9", facts(inputs={"I9": given})) == given


@pytest.mark.parametrize("given", [D("15.5"), D("-1"), D("7.25")])
def test_zjtx_i9_local_indicators_refuse_points_outside_the_range(zjtx, given):
    with pytest.raises(rubric.InvalidInput) as caught:
        rubric.parse_inputs(zjtx, {"I9": {"points": given, "evidence": "专家评分表"}})
    assert set(caught.value.errors) == {"I9"}


@pytest.mark.parametrize(("given", "expected"), [(10, 10), (8, 8), (6, 6), (2, 2), (0, 0)])
def test_zjtx_i10_intellectual_property(zjtx, given, expected):
    assert points(zjtx, "I10", facts(inputs={"I10": given})) == expected


@pytest.mark.parametrize(("amount", "expected"), ZJTX_I11_RD_AMOUNT)
def test_zjtx_i11_rd_amount_when_the_share_is_low(zjtx, amount, expected):
    # Revenue of 10 亿元 keeps the share below 3 %, so only the amount scores.
    the_facts = facts(rd_expense=amount, operating_revenue=D("100000"))
    assert points(zjtx, "I11", the_facts) == expected


@pytest.mark.parametrize(("value", "expected"), ZJTX_I11_RD_SHARE)
def test_zjtx_i11_rd_share_when_the_amount_is_low(zjtx, value, expected):
    # Revenue of 900 万元 keeps the amount below 100 万元, so only the share scores.
    the_facts = share("rd_expense", "operating_revenue", value, base=D("900"))
    assert points(zjtx, "I11", the_facts) == expected


@pytest.mark.parametrize(
    ("amount", "revenue", "expected"),
    [
        (D("450"), D("3000"), 10),  # 4–5 M → 8, but 15 % → 10
        (D("450"), D("9000"), 8),  # 5 % → 4, but 4–5 M → 8
        (D("250"), D("3500"), 6),  # 2–3 M → 4, 7.1 % → 6
    ],
)
def test_zjtx_i11_takes_the_higher_of_amount_and_share(zjtx, amount, revenue, expected):
    the_facts = facts(rd_expense=amount, operating_revenue=revenue)
    assert points(zjtx, "I11", the_facts) == expected


def test_zjtx_i11_is_decided_by_the_amount_alone_when_it_already_earns_full_points(zjtx):
    result = rubric.evaluate(zjtx, facts(rd_expense=D("520"), operating_revenue=None))
    assert result.item("I11").points == 10


def test_zjtx_i11_is_undecided_when_the_share_could_still_raise_it(zjtx):
    result = rubric.evaluate(zjtx, facts(rd_expense=D("320"), operating_revenue=None))
    assert result.item("I11").verdict == "unknown"
    assert result.item("I11").points is None


@pytest.mark.parametrize(("value", "expected"), ZJTX_I12_RD_STAFF_SHARE)
def test_zjtx_i12_rd_staff_share(zjtx, value, expected):
    # Per 10,000 employees one step is one person.
    the_facts = facts(rd_staff=int(value * 10000), employees=10000)
    assert points(zjtx, "I12", the_facts) == expected


@pytest.mark.parametrize(("given", "expected"), [(10, 10), (8, 8), (4, 4), (2, 2), (0, 0)])
def test_zjtx_i13_level_of_rd_institution(zjtx, given, expected):
    assert points(zjtx, "I13", facts(inputs={"I13": given})) == expected


@pytest.mark.parametrize(("code", "given"), [("I4", 4), ("I10", 7), ("I13", 6), ("I13", 11)])
def test_manual_options_refuse_points_that_are_not_an_option(zjtx, code, given):
    with pytest.raises(rubric.InvalidInput) as caught:
        rubric.parse_inputs(zjtx, {code: {"points": given, "evidence": "证书"}})
    assert caught.value.codes[code] == "not_a_tier"


def test_the_thirteen_indicators_add_up_to_one_hundred_in_four_groups(zjtx):
    indicators = [item for item in zjtx.items if item.kind == "scored"]
    assert [item.code for item in indicators] == [f"I{n}" for n in range(1, 14)]
    groups = {}
    for item in indicators:
        groups[item.group] = groups.get(item.group, 0) + item.max_points
    assert groups == {"专业化": 25, "精细化": 25, "特色化": 15, "创新能力": 35}


# --- 创新型中小企业: the 6 indicators ---------------------------------------------------------

INNOVATIVE_I2_RD_SHARE = around(
    [(0.01, 0, 5), (0.02, 5, 10), (0.03, 10, 15), (0.05, 15, 20)], RATIO_STEP
)
INNOVATIVE_I3_GROWTH = around(
    [(0, 0, 5), (0.05, 5, 10), (0.10, 10, 15), (0.15, 15, 20)], RATIO_STEP
)
INNOVATIVE_I4_DEBT_RATIO = around([(0.55, 10, 5), (0.75, 5, 0)], RATIO_STEP)
INNOVATIVE_I6_MAIN_BUSINESS_SHARE = around(
    [(0.50, 0, 5), (0.55, 5, 10), (0.60, 10, 15), (0.70, 15, 20)], RATIO_STEP
)


@pytest.mark.parametrize(("given", "expected"), [(20, 20), (15, 15), (10, 10), (5, 5), (0, 0)])
def test_innovative_i1_intellectual_property(innovative, given, expected):
    assert points(innovative, "I1", facts(inputs={"I1": given})) == expected


@pytest.mark.parametrize(("value", "expected"), INNOVATIVE_I2_RD_SHARE)
def test_innovative_i2_rd_share(innovative, value, expected):
    assert points(innovative, "I2", share("rd_expense", "operating_revenue", value)) == expected


@pytest.mark.parametrize(("value", "expected"), INNOVATIVE_I3_GROWTH)
def test_innovative_i3_main_business_growth(innovative, value, expected):
    assert points(innovative, "I3", growth(value)) == expected


@pytest.mark.parametrize(("value", "expected"), INNOVATIVE_I4_DEBT_RATIO)
def test_innovative_i4_asset_liability_ratio(innovative, value, expected):
    the_facts = share("total_liabilities", "total_assets", value)
    assert points(innovative, "I4", the_facts) == expected


@pytest.mark.parametrize(("given", "expected"), [(10, 10), (5, 5)])
def test_innovative_i5_field_of_main_product(innovative, given, expected):
    assert points(innovative, "I5", facts(inputs={"I5": given})) == expected


@pytest.mark.parametrize(("value", "expected"), INNOVATIVE_I6_MAIN_BUSINESS_SHARE)
def test_innovative_i6_main_business_share(innovative, value, expected):
    the_facts = share("main_business_revenue", "operating_revenue", value)
    assert points(innovative, "I6", the_facts) == expected


def test_the_six_innovative_indicators_add_up_to_one_hundred_in_three_groups(innovative):
    groups = {}
    for item in innovative.items:
        if item.kind == "scored":
            groups[item.group] = groups.get(item.group, 0) + item.max_points
    assert groups == {"创新能力": 40, "成长性": 30, "专业化": 30}
