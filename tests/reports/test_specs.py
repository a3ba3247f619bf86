"""Report kinds are data (``reports.specs``): periods, schedules and the annual report, which
was added as a spec."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from registry.choices import PeriodKind, PoolKind, PoolTier, ReportStatus, TargetMetric
from registry.models import PoolEntry
from reports.choices import ReportKind
from reports.models import Report
from reports.services.reports import (
    DUE_TASK,
    report_generate,
    report_schedules_install,
    reports_generate_due,
)
from reports.specs import SPECS, last_complete_period, spec_for
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, TargetFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import certificate


def test_every_kind_has_a_spec():
    assert set(SPECS) == set(ReportKind.values)
    assert {spec.periods_per_year for spec in SPECS.values()} == {12, 4, 1}


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (ReportKind.MONTHLY, datetime.date(2026, 10, 1), (2026, 9)),
        (ReportKind.MONTHLY, datetime.date(2027, 1, 15), (2026, 12)),
        (ReportKind.QUARTERLY_KPI, datetime.date(2026, 4, 1), (2026, 1)),
        (ReportKind.QUARTERLY_KPI, datetime.date(2026, 3, 31), (2025, 4)),
        (ReportKind.ANNUAL, datetime.date(2027, 4, 1), (2026, 1)),
        (ReportKind.ANNUAL, datetime.date(2026, 12, 31), (2025, 1)),
    ],
)
def test_the_last_complete_period_of_each_kind(kind, today, expected):
    period = last_complete_period(kind, today)
    assert (period.year, period.number) == expected


@pytest.mark.parametrize(
    ("kind", "number", "start", "end"),
    [
        (ReportKind.MONTHLY, 12, datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)),
        (ReportKind.QUARTERLY_KPI, 3, datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)),
        (ReportKind.ANNUAL, 1, datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_a_period_spans_its_kinds_months(kind, number, start, end):
    period = spec_for(kind).period(2026, number)
    assert (period.start, period.end) == (start, end)
    assert len(period.months) == spec_for(kind).months


@pytest.mark.django_db
def test_every_kind_is_scheduled_from_its_spec():
    for spec in SPECS.values():
        task = PeriodicTask.objects.select_related("crontab").get(name=spec.schedule_name)
        assert task.task == DUE_TASK and task.enabled
        assert json.loads(task.kwargs) == {"kind": spec.kind}
        cron = task.crontab
        assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year) == (
            spec.schedule.minute, spec.schedule.hour, spec.schedule.day_of_month,
            spec.schedule.month_of_year,
        )


@pytest.mark.django_db
def test_installing_the_schedules_again_keeps_a_timing_changed_in_the_admin():
    annual = spec_for(ReportKind.ANNUAL)
    changed = CrontabSchedule.objects.create(
        minute="0", hour="5", day_of_month="15", month_of_year="4", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.filter(name=annual.schedule_name).update(crontab=changed)
    report_schedules_install()
    report_schedules_install()
    task = PeriodicTask.objects.get(name=annual.schedule_name)
    assert task.crontab_id == changed.pk and task.task == DUE_TASK
    assert PeriodicTask.objects.filter(task=DUE_TASK).count() == len(SPECS)


@pytest.mark.django_db
def test_the_annual_schedule_enqueues_last_years_report_for_every_region(
    django_capture_on_commit_callbacks, monkeypatch
):
    from reports import tasks

    sent = []
    monkeypatch.setattr(tasks.report_generate_task, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        period = reports_generate_due(kind=ReportKind.ANNUAL, today=datetime.date(2027, 4, 1))
    assert (period.year, period.number) == (2026, 1)
    province = region("620000").pk
    assert (ReportKind.ANNUAL, 2026, 1, province) in sent
    assert {args[:3] for args in sent} == {(ReportKind.ANNUAL, 2026, 1)}


@pytest.mark.django_db
def test_an_annual_report_has_one_period_a_year():
    report_generate(kind=ReportKind.ANNUAL, year=2026, period=1, region_id=region("620102").pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind=ReportKind.ANNUAL, year=2026, period=2, region=region("620102"),
            data={}, xlsx=b"", generated_at=datetime.datetime.now(datetime.UTC),
        )


@pytest.fixture
def year_2026(db):
    """Two firms of 城关区 with verified annual reports of 2025 and 2026 (one of them only
    submitted for 2026), a pool entry admitted in 2026, a certificate and a target."""
    first, second = EnterpriseFactory(), EnterpriseFactory()
    verified_annual(first, 2025, 2000)
    verified_annual(first, 2026, 2500)
    verified_annual(second, 2025, 1000)
    MonitoringReportFactory(
        enterprise=second, period_kind=PeriodKind.YEAR, year=2026, period=0,
        status=ReportStatus.SUBMITTED, operating_revenue=Decimal("1100.00"),
    )
    entry = PoolEntryFactory(enterprise=first, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY,
                             admission_year=2026)
    # Admission time is stamped on save; set it inside the year, whenever the test runs.
    PoolEntry.objects.filter(pk=entry.pk).update(
        admitted_at=timezone.make_aware(datetime.datetime(2026, 5, 1))
    )
    certificate(first, year=2026)
    TargetFactory(year=2026, region=region("620100"), metric=TargetMetric.CERTIFIED, value=2)
    return first, second


def test_the_annual_report_counts_the_year(year_2026):
    report = report_generate(
        kind=ReportKind.ANNUAL, year=2026, period=1, region_id=region("620100").pk
    )
    data = report.data
    assert data["monitoring"]["expected"] == 2
    assert (data["monitoring"]["submitted"], data["monitoring"]["verified"]) == (2, 1)
    # The verified report of the first firm and the submitted one of the second.
    assert data["economy"]["reports"] == 2
    assert data["economy"]["operating_revenue"] == "3600.00"
    assert data["economy"]["previous_year"]["operating_revenue"] == "3000.00"
    assert data["economy"]["growth_year_on_year"]["operating_revenue"] == "20.00"
    assert data["pool"][PoolKind.ZJTX][PoolTier.COUNTY] == 1
    assert data["certificates"]["issued"] == 1
    [target] = data["targets"]
    assert (target["metric"], target["actual"], target["percent"]) == (
        TargetMetric.CERTIFIED, 1, "50.00"
    )
    # The plan's rates come from the year's own annual reports, not the year before.
    assert data["rd"]["year"] == 2026 and data["informatization"]["year"] == 2026


def test_the_annual_report_has_its_page_and_workbook(client, city_user, year_2026):
    report = report_generate(
        kind=ReportKind.ANNUAL, year=2026, period=1, region_id=region("620100").pk
    )
    assert report.period_label == "2026年"
    assert report.title_zh == "兰州市2026年年度运行监测报告"
    client.force_login(city_user)
    page = client.get(reverse("reports:report-detail", args=[report.pk]))
    assert page.status_code == 200
    assert "年度运行监测报告" in page.text and "本年度经济指标（已报送年报）" in page.text
    assert "完成率（%）/是否达标" in page.text
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:report-download", args=[report.pk])).content)
    )
    assert book["封面"]["A1"].value == "兰州市2026年年度运行监测报告"
    assert book["指标"]["F1"].value == "完成率（%）/是否达标"
    sections = {row[0] for row in book["指标"].iter_rows(min_row=2, values_only=True)}
    assert {"本年度年报报送情况", "2026年目标任务"} <= sections


def test_the_annual_report_speaks_english_too(year_2026):
    report = report_generate(
        kind=ReportKind.ANNUAL, year=2026, period=1, region_id=region("620100").pk
    )
    with translation.override("en"):
        assert report.get_kind_display() == "Annual monitoring report"
        assert str(report.spec.result_column) == "Achieved (%) or target met"
        sections = {row[0] for row in report.rows}
    assert "Economic figures of the year (filed annual reports)" in sections
    with translation.override("zh-hans"):
        assert report.get_kind_display() == "年度运行监测报告"
