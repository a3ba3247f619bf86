"""The demo's history of the 2018 plan's years: every target of the plan shows progress."""

import datetime

import pytest

from demo.monitoring import demo_monitoring_load
from demo.plans import demo_plans_load
from demo.registry import demo_data_load
from registry.models import MonitoringReport, MonitoringReportTransition, PlanFigure
from registry.selectors.plans import plan_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo_data_load()
    demo_monitoring_load()
    return demo_plans_load()


def test_the_plans_targets_show_progress_from_the_demo(loaded):
    rows = {r.target.metric: r for r in plan_progress(within="620000",
                                                      on=datetime.date(2026, 12, 1))}

    assert loaded.reports and loaded.pool_entries and loaded.certificates
    for metric in ("above_scale_firms", "new_above_scale", "pool_firms", "certified",
                   "little_giants", "value_added_share", "rd_above_scale", "rd_srdi",
                   "digital_rd_tools", "cnc_ratio"):
        assert rows[metric].actual, metric
    assert rows["value_added_share"].figure.entered_by.username == "province"
    # Every plan-year report is explained by its transition rows, as the other demo reports.
    plan_years = MonitoringReport.objects.filter(year__lte=2020)
    assert MonitoringReportTransition.objects.filter(report__in=plan_years).count() == (
        3 * plan_years.count()
    )


def test_a_second_run_writes_nothing(loaded):
    before = (MonitoringReport.objects.count(), PlanFigure.objects.count())

    assert demo_plans_load().unchanged
    assert before == (MonitoringReport.objects.count(), PlanFigure.objects.count())
