"""Data-quality rules: each fires on the figures it is about and stays quiet otherwise."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from registry.choices import PeriodKind
from registry.figures import FIGURE_NAMES
from registry.quality import RULES, flag_message, report_flags


def report(period_kind=PeriodKind.YEAR, period=0, **figures):
    values = dict.fromkeys(FIGURE_NAMES)
    values.update(
        operating_revenue=Decimal("2400"),
        main_business_revenue=Decimal("2300"),
        employees=120,
        rd_staff=18,
        rd_expense=Decimal("110"),
    )
    values.update(figures)
    return SimpleNamespace(period_kind=period_kind, year=2025, period=period, **values)


def months(*revenues):
    return [
        report(PeriodKind.MONTH, month, operating_revenue=Decimal(value))
        for month, value in enumerate(revenues, start=1)
    ]


def rules(flags):
    return [flag["rule"] for flag in flags]


def test_consistent_figures_raise_no_flag():
    assert report_flags(report(), previous=report(operating_revenue=Decimal("2000"))) == []


# Year-on-year change of operating revenue beyond ±50 %.


@pytest.mark.parametrize(("before", "now"), [("1000", "1501"), ("1000", "499"), ("2000", "4400")])
def test_revenue_change_beyond_half_is_flagged_naming_both_years(before, now):
    previous = report(operating_revenue=Decimal(before), main_business_revenue=None)

    [flag] = report_flags(
        report(operating_revenue=Decimal(now), main_business_revenue=None), previous=previous
    )

    assert flag["rule"] == "yoy_revenue"
    assert flag["figures"]["previous_operating_revenue"] == before
    for language in ("zh-hans", "en"):
        with translation.override(language):
            message = flag_message(flag)
        assert f"{Decimal(now):,.2f}" in message
        assert f"{Decimal(before):,.2f}" in message
    assert "营业收入同比" in flag["message"]
    with translation.override("en"):
        assert "year on year" in flag_message(flag)


@pytest.mark.parametrize(("before", "now"), [("1000", "1500"), ("1000", "500"), ("0", "900")])
def test_revenue_change_within_half_or_from_nothing_is_not_flagged(before, now):
    previous = report(operating_revenue=Decimal(before))

    flags = report_flags(report(operating_revenue=Decimal(now), main_business_revenue=None),
                         previous=previous)

    assert "yoy_revenue" not in rules(flags)


def test_no_year_on_year_flag_without_last_years_report():
    assert report_flags(report(operating_revenue=Decimal("99999"))) == []


# R&D expense above operating revenue.


def test_rd_expense_above_revenue_is_flagged():
    [flag] = report_flags(report(rd_expense=Decimal("2500")))

    assert flag["rule"] == "rd_above_revenue"
    assert "研发费用（2,500.00万元）高于营业收入（2,400.00万元）" in flag["message"]
    assert flag["figures"] == {"rd_expense": "2500", "operating_revenue": "2400"}


def test_rd_expense_equal_to_revenue_is_not_flagged():
    assert report_flags(report(rd_expense=Decimal("2400"))) == []


# Revenue with zero or missing employees.


@pytest.mark.parametrize(("employees", "words"), [(0, "从业人员为0"), (None, "从业人员为空")])
def test_revenue_without_employees_is_flagged(employees, words):
    flags = report_flags(report(employees=employees, rd_staff=None))

    assert rules(flags) == ["revenue_without_employees"]
    assert words in flags[0]["message"]


def test_no_revenue_and_no_employees_is_not_flagged():
    flags = report_flags(report(employees=0, rd_staff=None, operating_revenue=Decimal(0),
                                main_business_revenue=None, rd_expense=None))

    assert flags == []


# Main-business revenue above operating revenue.


def test_main_business_above_operating_revenue_is_flagged():
    flags = report_flags(report(main_business_revenue=Decimal("2400.01")))

    assert rules(flags) == ["main_above_operating"]
    assert "主营业务收入（2,400.01万元）高于营业收入（2,400.00万元）" in flags[0]["message"]


def test_main_business_equal_to_operating_revenue_is_not_flagged():
    assert report_flags(report(main_business_revenue=Decimal("2400"))) == []


# Twelve months that do not add up to the year.


def test_months_not_adding_up_to_the_year_are_flagged():
    flags = report_flags(report(), months=months(*["150"] * 12))

    assert rules(flags) == ["months_add_up"]
    assert "12个月营业收入合计1,800.00万元" in flags[0]["message"]
    assert flags[0]["figures"]["months_operating_revenue"] == "1800"


@pytest.mark.parametrize(
    ("annual", "monthly", "flagged"),
    [
        ("2400", ["200"] * 12, False),  # exact
        ("2400", ["200"] * 11 + ["223.99"], False),  # 23.99 off: within 1 % (24)
        ("2400", ["200"] * 11 + ["224.01"], True),  # 24.01 off: beyond 1 %
        ("60", ["5"] * 11 + ["5.99"], False),  # 0.99 off: within 1 万元
        ("60", ["5"] * 11 + ["6.01"], True),  # 1.01 off: beyond 1 万元 (1 % is 0.6)
    ],
)
def test_months_tolerance_is_the_larger_of_one_wan_yuan_and_one_percent(annual, monthly,
                                                                         flagged):
    flags = report_flags(
        report(operating_revenue=Decimal(annual), main_business_revenue=None, rd_expense=None),
        months=months(*monthly),
    )

    assert ("months_add_up" in rules(flags)) is flagged


def test_months_are_judged_only_when_all_twelve_are_there():
    flags = report_flags(report(), months=months(*["1"] * 11))

    assert flags == []


def test_months_are_not_compared_with_a_monthly_report():
    flags = report_flags(report(PeriodKind.MONTH, 12), months=months(*["1"] * 12))

    assert flags == []


# R&D staff above employees.


def test_more_rd_staff_than_employees_is_flagged():
    assert rules(report_flags(report(rd_staff=121))) == ["rd_staff_above_employees"]


def test_rd_staff_equal_to_employees_is_not_flagged():
    assert report_flags(report(rd_staff=120)) == []


def test_every_rule_has_a_code_a_title_in_both_languages_and_a_check():
    codes = [rule.code for rule in RULES]

    assert len(set(codes)) == len(codes) == 6
    assert all(rule.title and callable(rule.check) for rule in RULES)


def test_several_rules_fire_together_in_a_fixed_order():
    flags = report_flags(
        report(rd_expense=Decimal("5000"), main_business_revenue=Decimal("2500"), rd_staff=500)
    )

    assert rules(flags) == ["rd_above_revenue", "main_above_operating", "rd_staff_above_employees"]
