"""Demo monitoring figures: idempotent, plausible, and rich enough for the pages and the pool."""

from collections import Counter

import pytest

from demo.monitoring import MONTHS, YEARS, demo_monitoring_load
from demo.registry import demo_data_load
from registry.choices import PeriodKind, ReportStatus
from registry.models import Enterprise, MonitoringReport, MonitoringReportTransition
from registry.sizeclass import ABOVE_SCALE_THRESHOLD, is_industrial

pytestmark = pytest.mark.django_db

ReportEvent = MonitoringReport.pgh_event_model


@pytest.fixture
def loaded():
    demo_data_load()
    return demo_monitoring_load()


def test_every_demo_firm_has_three_verified_years_and_this_years_months(loaded):
    firms = Enterprise.objects.count()

    assert loaded.reports_created == firms * (len(YEARS) + len(MONTHS))
    annual = MonitoringReport.objects.filter(period_kind=PeriodKind.YEAR)
    assert set(annual.values_list("status", flat=True)) == {ReportStatus.VERIFIED}
    assert sorted(set(annual.values_list("year", flat=True))) == list(YEARS)
    months = Counter(
        MonitoringReport.objects.filter(period_kind=PeriodKind.MONTH).values_list("status",
                                                                                  flat=True)
    )
    assert months[ReportStatus.VERIFIED] > months[ReportStatus.SUBMITTED] > 0
    assert months[ReportStatus.DRAFT] > 0 and months[ReportStatus.RETURNED] > 0


def test_a_second_run_writes_nothing(loaded):
    before = (
        MonitoringReport.objects.count(),
        MonitoringReportTransition.objects.count(),
        ReportEvent.objects.count(),
        Enterprise.pgh_event_model.objects.count(),
    )

    again = demo_monitoring_load()

    assert again.unchanged
    assert before == (
        MonitoringReport.objects.count(),
        MonitoringReportTransition.objects.count(),
        ReportEvent.objects.count(),
        Enterprise.pgh_event_model.objects.count(),
    )


def test_every_status_is_explained_by_its_transition_rows(loaded):
    returned = MonitoringReport.objects.filter(status=ReportStatus.RETURNED).first()
    verified = MonitoringReport.objects.filter(status=ReportStatus.VERIFIED).first()

    assert list(verified.transitions.values_list("to_status", flat=True)) == [
        "draft", "submitted", "verified",
    ]
    assert returned.transitions.last().reason


def test_size_class_and_above_scale_are_derived_for_every_firm(loaded):
    assert not Enterprise.objects.filter(figures_year__isnull=True).exists()
    assert set(Enterprise.objects.values_list("figures_year", flat=True)) == {YEARS[-1]}
    assert {"micro", "small", "medium"} <= set(Enterprise.objects.values_list("size_class",
                                                                              flat=True))


def test_some_industrial_firms_cross_the_above_scale_line_each_way(loaded):
    revenue = {
        (r.enterprise_id, r.year): r.main_business_revenue
        for r in MonitoringReport.objects.filter(period_kind=PeriodKind.YEAR)
    }
    industrial = [e for e in Enterprise.objects.select_related("industry")
                  if is_industrial(e.industry.code)]
    up = down = near = 0
    for firm in industrial:
        first, last = revenue[(firm.pk, YEARS[0])], revenue[(firm.pk, YEARS[-1])]
        up += first < ABOVE_SCALE_THRESHOLD <= last
        down += last < ABOVE_SCALE_THRESHOLD <= first
        near += abs(last - ABOVE_SCALE_THRESHOLD) <= ABOVE_SCALE_THRESHOLD / 10
    assert up >= 5 and down >= 5 and near >= 10


def test_some_reports_carry_deliberate_flags(loaded):
    rules = Counter(
        flag["rule"]
        for flags in MonitoringReport.objects.exclude(flags=[]).values_list("flags", flat=True)
        for flag in flags
    )

    assert rules["yoy_revenue"] > 0
    assert rules["revenue_without_employees"] > 0
    assert rules["main_above_operating"] > 0


def test_the_demo_county_has_reports_waiting_for_verification(loaded):
    waiting = MonitoringReport.objects.filter(
        status=ReportStatus.SUBMITTED, enterprise__region__code="620102"
    )

    assert waiting.exists()
