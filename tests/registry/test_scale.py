"""Entries into and exits from the statistics directory (入库纳统): the one rule behind every
count of new and net new above-scale firms, at each of its boundaries."""

import datetime

import pytest

from registry.choices import ReportStatus
from registry.models import Industry
from registry.selectors.scale import (
    directory_moves,
    directory_size,
    entries_per_region,
    net_new_per_region,
)
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import verified_annual
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

LANZHOU = "620000/620100"
OLD = datetime.date(2010, 1, 1)


def firm(name, founded=OLD, code="620102", industry="C35"):
    return EnterpriseFactory(name=name, region=region(code), founded_on=founded,
                             industry=Industry.objects.get(code=industry))


def moves(year=2025):
    return {m.name: m.direction for m in directory_moves(year=year, within=LANZHOU)}


def test_the_line_is_2000_inclusive_either_way():
    up = firm("升")
    verified_annual(up, 2024, "1999.99")
    verified_annual(up, 2025, "2000")
    down = firm("降")
    verified_annual(down, 2024, "2000")
    verified_annual(down, 2025, "1999.99")
    stays = firm("留")
    verified_annual(stays, 2024, "2000")
    verified_annual(stays, 2025, "2000.01")

    assert moves() == {"升": "up", "降": "down"}


def test_a_firm_founded_in_the_year_enters_it_above_the_line_and_not_below():
    verified_annual(firm("新建规上", founded=datetime.date(2025, 1, 1)), 2025, "3000")
    verified_annual(firm("新建规下", founded=datetime.date(2025, 6, 1)), 2025, "1999.99")

    [move] = directory_moves(year=2025, within=LANZHOU)

    assert (move.name, move.direction, move.revenue_before, move.founded_in_year) == (
        "新建规上", "up", None, True
    )


def test_a_firm_founded_the_year_before_without_its_report_is_not_counted():
    verified_annual(firm("去年底成立", founded=datetime.date(2024, 12, 31)), 2025, "3000")

    assert moves() == {}


def test_a_firm_without_the_years_report_is_not_counted_as_an_exit():
    gone_quiet = firm("未报")
    verified_annual(gone_quiet, 2024, "3000")
    MonitoringReportFactory(enterprise=gone_quiet, year=2025, status=ReportStatus.SUBMITTED,
                            main_business_revenue=100)

    assert moves() == {}


def test_non_industrial_firms_are_never_in_the_directory():
    shop = firm("商店", industry="F52")
    verified_annual(shop, 2024, "1000")
    verified_annual(shop, 2025, "9000")

    assert moves() == {}
    assert directory_size(year=2025, within=LANZHOU) == 0


def test_net_new_is_entries_minus_exits_per_region_and_above():
    for name, before, after, code in (("甲", 1500, 2500, "620102"), ("乙", 1500, 2500, "620103"),
                                      ("丙", 2500, 1500, "620102"), ("天水", 1000, 2500, "620502")):
        made = firm(name, code=code)
        verified_annual(made, 2024, before)
        verified_annual(made, 2025, after)
    every = directory_moves(year=2025, within="620000")

    net, entries = net_new_per_region(every), entries_per_region(every)

    assert (net["620000"], net[LANZHOU], net[LANZHOU + "/620102"]) == (2, 1, 0)
    assert (entries["620000"], entries[LANZHOU], entries[LANZHOU + "/620102"]) == (3, 2, 1)
    assert directory_size(year=2025, within=LANZHOU) == 2
