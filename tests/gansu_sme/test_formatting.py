"""The one formatting layer: amounts, 万元 figures, percentages and dates read alike everywhere,
Chinese dates on Chinese pages and English ones on English pages."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from gansu_sme import formatting


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (300000, "300,000.00"),
        (Decimal("50000000"), "50,000,000.00"),
        (Decimal("1234.565"), "1,234.57"),  # 四舍五入, not banker's rounding
        (Decimal("0.005"), "0.01"),
        (Decimal("-1234.5"), "-1,234.50"),
        (Decimal("-0.001"), "0.00"),
        (0.1 + 0.2, "0.30"),
        ("300000.00", "300,000.00"),
        (None, ""),
        ("", ""),
    ],
)
def test_an_amount_in_yuan_has_two_decimals_and_thousands_separators(value, text):
    assert formatting.yuan(value) == text


def test_a_figure_in_wanyuan_reads_like_an_amount_and_yuan_convert_to_wanyuan():
    assert formatting.wanyuan(Decimal("34579.125")) == "34,579.13"
    assert formatting.yuan_in_wanyuan(300000) == "30.00"
    assert formatting.yuan_in_wanyuan(None) == ""


def test_a_percentage_has_one_decimal():
    assert formatting.percent(Decimal("0.045779")) == "4.6%"
    assert formatting.percent(1) == "100.0%"
    assert formatting.percent(0.00049) == "0.0%"
    assert formatting.percent_points(Decimal("45.75")) == "45.8%"
    assert formatting.percent(None) == ""


def test_counts_have_separators_and_no_decimals():
    assert formatting.number(1234567) == "1,234,567"


def test_dates_months_and_moments_are_chinese_on_chinese_pages():
    moment = timezone.make_aware(datetime.datetime(2026, 1, 5, 20, 45))
    with translation.override("zh-hans"):
        assert formatting.day(datetime.date(2026, 1, 5)) == "2026年1月5日"
        assert formatting.month(datetime.date(2026, 1, 5)) == "2026年1月"
        assert formatting.month(2026, 1) == "2026年1月"
        assert formatting.moment(moment) == "2026年1月5日 20:45"
        assert formatting.day(moment) == "2026年1月5日"


def test_dates_and_months_are_english_on_english_pages():
    with translation.override("en"):
        assert formatting.day(datetime.date(2026, 1, 5)) == "Jan. 5, 2026"
        assert formatting.month(2026, 1) == "January 2026"


def test_a_moment_is_shown_in_local_time():
    utc = datetime.datetime(2026, 1, 5, 16, 30, tzinfo=datetime.UTC)
    with translation.override("zh-hans"):
        assert formatting.moment(utc) == "2026年1月6日 00:30"


def test_empty_dates_give_an_empty_text_so_a_default_applies():
    assert formatting.day(None) == ""
    assert formatting.month(None) == ""
    assert formatting.moment(None) == ""


def test_the_figures_library_offers_each_function_as_a_filter():
    template = Template(
        "{% load figures %}{{ a|yuan }} {{ w|wanyuan }} {{ r|percent }} {{ n|number }} "
        "{{ d|day }} {{ y|month:m }} {{ none|yuan|default:'—' }}"
    )
    with translation.override("zh-hans"):
        text = template.render(Context({
            "a": Decimal("300000"), "w": Decimal("1088.5"), "r": Decimal("0.1234"), "n": 12345,
            "d": datetime.date(2026, 1, 5), "y": 2026, "m": 1, "none": None,
        }))
    assert text == "300,000.00 1,088.50 12.3% 12,345 2026年1月5日 2026年1月 —"
