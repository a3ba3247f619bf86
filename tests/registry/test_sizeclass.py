"""Size classes at every boundary of the 2011 standard (RULES.md §3) and the above-scale line.

The thresholds below are copied from RULES.md §3, not from registry.sizeclass, so a wrong number
in the module's table shows here. Y employees, R operating revenue (万元), Z total assets (万元).
"""

from decimal import Decimal

import pytest

from registry.sizeclass import (
    FINANCE,
    RAILWAYS,
    classify,
    is_above_scale,
    is_industrial,
    not_classed,
    size_class,
    standard_industry,
)

# number: (a GB/T 4754 division of the industry, SME ceiling, medium floors, small floors)
STANDARD = {
    1: ("A01", {"R": 20000}, {"R": 500}, {"R": 50}),
    2: ("C35", {"Y": 1000, "R": 40000}, {"Y": 300, "R": 2000}, {"Y": 20, "R": 300}),
    3: ("E47", {"R": 80000, "Z": 80000}, {"R": 6000, "Z": 5000}, {"R": 300, "Z": 300}),
    4: ("F51", {"Y": 200, "R": 40000}, {"Y": 20, "R": 5000}, {"Y": 5, "R": 1000}),
    5: ("F52", {"Y": 300, "R": 20000}, {"Y": 50, "R": 500}, {"Y": 10, "R": 100}),
    6: ("G54", {"Y": 1000, "R": 30000}, {"Y": 300, "R": 3000}, {"Y": 20, "R": 200}),
    7: ("G59", {"Y": 200, "R": 30000}, {"Y": 100, "R": 1000}, {"Y": 20, "R": 100}),
    8: ("G60", {"Y": 1000, "R": 30000}, {"Y": 300, "R": 2000}, {"Y": 20, "R": 100}),
    9: ("H61", {"Y": 300, "R": 10000}, {"Y": 100, "R": 2000}, {"Y": 10, "R": 100}),
    10: ("H62", {"Y": 300, "R": 10000}, {"Y": 100, "R": 2000}, {"Y": 10, "R": 100}),
    11: ("I64", {"Y": 2000, "R": 100000}, {"Y": 100, "R": 1000}, {"Y": 10, "R": 100}),
    12: ("I65", {"Y": 300, "R": 10000}, {"Y": 100, "R": 1000}, {"Y": 10, "R": 50}),
    13: ("K70", {"R": 200000, "Z": 10000}, {"R": 1000, "Z": 5000}, {"R": 100, "Z": 2000}),
    # 物业管理 has no division of its own in the registry (K70 is classed as 13).
    14: (None, {"Y": 1000, "R": 5000}, {"Y": 300, "R": 1000}, {"Y": 100, "R": 500}),
    15: ("L72", {"Y": 300, "Z": 120000}, {"Y": 100, "Z": 8000}, {"Y": 10, "Z": 100}),
    16: ("M73", {"Y": 300}, {"Y": 100}, {"Y": 10}),
}


def figures(values):
    """Keyword arguments with only the given metrics; the others missing."""
    return {
        "employees": values.get("Y"),
        "revenue": values.get("R"),
        "assets": values.get("Z"),
    }


def cases():
    """(industry, figures, expected class, what the case checks) at every boundary."""
    for number, (_code, ceiling, medium, small) in STANDARD.items():
        yield number, small, "small", "at the small floors"
        yield number, medium, "medium", "at the medium floors"
        yield number, ceiling, "large", "at every ceiling"
        for metric in small:
            below = {**small, metric: small[metric] - 1}
            yield number, below, "micro", f"{metric} just below the small floor"
        for metric in medium:
            below = {**medium, metric: medium[metric] - 1}
            yield number, below, "small", f"{metric} just below the medium floor"
        for metric in ceiling:
            below = {**ceiling, metric: ceiling[metric] - 1}
            yield number, below, "medium", f"{metric} just below the ceiling"


@pytest.mark.parametrize(
    ("industry", "values", "expected", "case"),
    list(cases()),
    ids=[f"{n}-{case}" for n, _, _, case in cases()],
)
def test_every_industry_boundary_of_the_2011_standard(industry, values, expected, case):
    assert classify(industry, **figures(values)) == expected


@pytest.mark.parametrize("industry", [n for n, row in STANDARD.items() if row[0]])
def test_the_division_classes_as_its_industry_of_the_standard(industry):
    code, ceiling, _medium, _small = STANDARD[industry]

    assert standard_industry(code) == industry
    assert size_class(code, **figures(ceiling)) == "large"


@pytest.mark.parametrize(
    ("code", "industry"),
    [("A05", 1), ("B06", 2), ("C13", 2), ("D44", 2), ("E48", 3), ("G54", 6), ("G58", 6),
     ("I63", 11), ("L71", 15), ("N77", 16), ("S94", 16)],
)
def test_sections_and_divisions_map_to_the_standards_industries(code, industry):
    assert standard_industry(code) == industry


def test_a_figure_the_rule_needs_missing_gives_no_class():
    assert size_class("C35", employees=None, revenue=Decimal("5000"), assets=None) is None
    assert size_class("E47", employees=500, revenue=Decimal("9000"), assets=None) is None


def test_figures_the_rule_does_not_use_may_be_missing():
    assert size_class("A01", employees=None, revenue=Decimal("600"), assets=None) == "medium"
    assert size_class("M73", employees=150, revenue=None, assets=None) == "medium"


def test_revenue_as_decimal_with_cents_just_below_a_floor_stays_below():
    assert size_class("C35", employees=300, revenue=Decimal("1999.99"), assets=None) == "small"


@pytest.mark.parametrize(
    ("code", "revenue", "above"),
    [
        ("C35", Decimal("2000.00"), True),
        ("C35", Decimal("1999.99"), False),
        ("B06", Decimal("2000"), True),
        ("D44", Decimal("25000"), True),
        ("C35", None, False),
        # Only industry counts as 规上: wholesale and software firms never do.
        ("F51", Decimal("50000"), False),
        ("I65", Decimal("50000"), False),
    ],
)
def test_above_scale_is_industrial_main_business_revenue_of_2000_wan_yuan(code, revenue, above):
    assert is_above_scale(code, revenue) is above


def test_only_mining_manufacturing_and_utilities_are_industrial():
    assert [c for c in ("A01", "B09", "C39", "D45", "E47", "I65") if is_industrial(c)] == [
        "B09", "C39", "D45",
    ]


# Railways and finance: the 2011 standard does not class them; the neighbours keep their class.
LARGE_ANYWHERE = {"employees": 100000, "revenue": Decimal("10000000"), "assets": Decimal("1e7")}


@pytest.mark.parametrize(
    ("code", "reason"),
    [("G53", RAILWAYS), ("J66", FINANCE), ("J67", FINANCE), ("J68", FINANCE), ("J69", FINANCE)],
)
def test_railways_and_finance_get_no_class_and_a_reason_with_a_code(code, reason):
    assert standard_industry(code) is None
    assert size_class(code, **LARGE_ANYWHERE) is None
    assert not_classed(code) is reason
    assert reason.code in ("size_railway_not_covered", "size_financial_standard")
    assert str(reason.message)


@pytest.mark.parametrize(("code", "industry"), [("G54", 6), ("I65", 12), ("K70", 13)])
def test_the_neighbours_of_railways_and_finance_keep_their_class(code, industry):
    assert not_classed(code) is None
    assert standard_industry(code) == industry
    assert size_class(code, **LARGE_ANYWHERE) == "large"


def test_not_classed_codes_differ_for_railways_and_finance():
    assert RAILWAYS.code == "size_railway_not_covered"
    assert FINANCE.code == "size_financial_standard"
