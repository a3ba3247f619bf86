"""The figures kept per region × period (``RegionFigure``) stay equal to their source.

Random filings, corrections, verifications, returns, moves and deactivations go through the
services; after each commit the kept rows must equal a recomputation from the monitoring reports
for every region, period and metric, and that recomputation must agree with the queries the
pages used to run over the reports themselves (``reports.figures.filed_reports``,
``registry.selectors.scale``).
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from accounts.choices import Role
from registry import metrics
from registry.choices import PeriodKind, ReportStatus
from registry.models import Industry, MonitoringReport, Region, RegionFigure
from registry.selectors.figures import figure_totals, figures_from_source
from registry.selectors.plans import sme_annual_reports
from registry.selectors.scale import directory_moves, directory_size, net_new_per_region
from registry.services import (
    ReportInput,
    ReportsInvalid,
    enterprise_deactivate,
    enterprise_update,
    monitoring_report_return,
    monitoring_report_verify,
    monitoring_reports_save,
)
from registry.services.figures import region_figures_reconcile, region_figures_refresh
from reports.figures import filed_reports
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory

pytestmark = pytest.mark.django_db

LANZHOU_COUNTIES = ("620102", "620103", "620104")
COUNTIES = (*LANZHOU_COUNTIES, "620502")
PERIODS = [
    *((PeriodKind.YEAR, year, 0) for year in (2023, 2024, 2025)),
    *((PeriodKind.MONTH, 2025, month) for month in (1, 2, 3)),
]
# Around the above-scale line (2,000 万元), and missing.
REVENUES = (None, Decimal("1500.00"), Decimal("1999.99"), Decimal("2000.00"),
            Decimal("2600.50"), Decimal("45000.00"))


def kept_rows():
    return {
        (f.region_id, f.period_kind, f.year, f.period, f.metric): f.value
        for f in RegionFigure.objects.all()
    }


def assert_kept_equal_to_source():
    assert kept_rows() == figures_from_source()
    assert region_figures_reconcile() == 0


def assert_source_agrees_with_report_queries():
    """Regions of each level, every period: the kept totals against the old queries."""
    totals = figure_totals(periods=PERIODS, metrics_wanted=metrics.FIGURE_METRICS,
                           within="620000")
    # The province, the cities and counties the firms are in, and a city without firms.
    codes = {"620000", "620100", "620500", "620200", *COUNTIES}
    for region in Region.objects.filter(code__in=codes):
        path = region.path

        def kept(kind, year, period, metric, path=path):
            return totals.get((path, kind, year, period, metric))

        for kind, year, period in PERIODS:
            filed = filed_reports(region, kind, year, period).aggregate(
                reports=Count("id"),
                active=Count("enterprise", distinct=True, filter=Q(enterprise__is_active=True)),
                active_verified=Count("enterprise", distinct=True, filter=Q(
                    enterprise__is_active=True, status=ReportStatus.VERIFIED)),
                operating_revenue=Sum("operating_revenue"), taxes=Sum("taxes"),
                employees=Sum("employees"),
            )
            key = (kind, year, period)
            assert (kept(*key, metrics.FILED) or 0) == filed["reports"], (path, key)
            assert (kept(*key, metrics.FILED_ACTIVE) or 0) == filed["active"], (path, key)
            assert (kept(*key, metrics.VERIFIED_ACTIVE) or 0) == filed["active_verified"]
            for name in ("operating_revenue", "taxes", "employees"):
                assert kept(*key, name) == filed[name], (path, key, name)
            verified = MonitoringReport.objects.within(path).filter(
                period_kind=kind, year=year, period=period, status=ReportStatus.VERIFIED
            ).count()
            assert (kept(*key, metrics.VERIFIED) or 0) == verified, (path, key)
            if kind == PeriodKind.YEAR:
                moves = directory_moves(year=year, within=path)
                ups = sum(1 for move in moves if move.direction == "up")
                assert (kept(*key, metrics.DIRECTORY_ENTRIES) or 0) == ups, (path, year)
                assert (kept(*key, metrics.DIRECTORY_ENTRIES) or 0) - (
                    kept(*key, metrics.DIRECTORY_EXITS) or 0
                ) == net_new_per_region(moves).get(path, 0), (path, year)
                assert (kept(*key, metrics.DIRECTORY_SIZE) or 0) == directory_size(
                    year=year, within=path
                ), (path, year)
                smes = sme_annual_reports(path, year)
                both = [r for r in smes if r["rd_expense"] is not None
                        and r["main_business_revenue"] is not None]
                assert kept(*key, metrics.SME_RD_EXPENSE) == (
                    sum(r["rd_expense"] for r in both) if both else None), (path, year)
                assert kept(*key, metrics.SME_RD_REVENUE) == (
                    sum(r["main_business_revenue"] for r in both) if both else None)
                answered = [r for r in smes if r["uses_digital_rd_tools"] is not None]
                assert (kept(*key, metrics.SME_DIGITAL_ANSWERED) or 0) == len(answered)
                assert (kept(*key, metrics.SME_DIGITAL_YES) or 0) == sum(
                    1 for r in answered if r["uses_digital_rd_tools"])
                cnc = [r["cnc_ratio"] for r in smes if r["cnc_ratio"] is not None]
                assert (kept(*key, metrics.SME_CNC_ANSWERED) or 0) == len(cnc)
                assert kept(*key, metrics.SME_CNC_SUM) == (sum(cnc) if cnc else None)


def _figures(rng):
    revenue = rng.choice(REVENUES)
    operating = None if revenue is None else revenue + rng.choice((0, 100))
    return {
        "operating_revenue": operating,
        "main_business_revenue": revenue,
        "taxes": rng.choice((None, Decimal("0.00"), Decimal("12.30"), Decimal("80.00"))),
        "employees": rng.choice((None, 0, 25, 320, 1200)),
        "rd_expense": rng.choice((None, Decimal("0.00"), Decimal("55.10"))),
        "uses_digital_rd_tools": rng.choice((None, True, False)),
        "cnc_ratio": rng.choice((None, Decimal("40.00"), Decimal("72.50"))),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_figures_equal_the_source_after_random_service_calls(
    seed, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    staff = {
        code: UserFactory(role=Role.COUNTY_STAFF, region=Region.objects.get(code=code))
        for code in COUNTIES
    }
    city = UserFactory(role=Role.CITY_STAFF, region=Region.objects.get(code="620100"))
    industries = [Industry.objects.get(code=code) for code in ("C35", "C39", "I65")]
    firms = [
        EnterpriseFactory(
            region=Region.objects.get(code=rng.choice(COUNTIES)),
            industry=rng.choice(industries),
            founded_on=datetime.date(rng.choice((2010, 2023, 2024, 2025)), 3, 1),
        )
        for _ in range(10)
    ]

    def file(firm):
        kind, year, period = rng.choice(PERIODS)
        item = ReportInput(firm, kind, year, period, _figures(rng))
        try:
            monitoring_reports_save(actor=staff[firm.region.code], items=[item], submit=True)
        except ReportsInvalid:
            pass  # awaiting verification, or nothing to file: refused, nothing changes

    def submitted():
        return list(
            MonitoringReport.objects.filter(status=ReportStatus.SUBMITTED, enterprise__in=firms)
            .select_related("enterprise__region").order_by("pk")
        )

    for _step in range(45):
        action = rng.choices(
            ("file", "verify", "return", "move", "reclass", "deactivate"),
            weights=(10, 8, 2, 1, 1, 1),
        )[0]
        firm = rng.choice(firms)
        firm.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            if action == "file" and firm.is_active:
                file(firm)
            elif action in ("verify", "return") and (pending := submitted()):
                report = rng.choice(pending)
                actor = staff[report.enterprise.region.code]
                if action == "verify":
                    monitoring_report_verify(actor=actor, report=report)
                else:
                    monitoring_report_return(actor=actor, report=report, reason="请核对")
            elif action == "move" and firm.region.code in LANZHOU_COUNTIES:
                to = Region.objects.get(code=rng.choice(LANZHOU_COUNTIES))
                enterprise_update(actor=city, enterprise=firm, region=to)
            elif action == "reclass" and firm.region.code in LANZHOU_COUNTIES:
                enterprise_update(
                    actor=city, enterprise=firm, industry=rng.choice(industries),
                    founded_on=datetime.date(rng.choice((2010, 2024, 2025)), 6, 1),
                )
            elif action == "deactivate" and rng.random() < 0.5:
                enterprise_deactivate(actor=staff[firm.region.code], enterprise=firm,
                                      reason="注销")
        assert kept_rows() == figures_from_source(), (seed, _step, action)

    assert RegionFigure.objects.exists()
    assert_kept_equal_to_source()
    assert_source_agrees_with_report_queries()


def test_reconcile_rewrites_what_differs_and_counts_it():
    firm = EnterpriseFactory()
    from tests.factories.monitoring import MonitoringReportFactory

    MonitoringReportFactory(enterprise=firm, status=ReportStatus.VERIFIED)
    MonitoringReportFactory(enterprise=firm, period_kind=PeriodKind.MONTH, year=2025,
                            period=3, status=ReportStatus.SUBMITTED)
    expected = kept_rows()
    assert expected == figures_from_source()
    # A lost refresh, a stale figure and a figure that should not be there.
    RegionFigure.objects.filter(metric=metrics.TAXES, period_kind=PeriodKind.YEAR).delete()
    RegionFigure.objects.filter(metric=metrics.FILED, period_kind=PeriodKind.MONTH).update(
        value=7
    )
    RegionFigure.objects.create(region=firm.region, period_kind=PeriodKind.YEAR, year=2019,
                                period=0, metric=metrics.FILED, value=3)

    assert region_figures_reconcile() == 3
    assert kept_rows() == expected
    assert region_figures_reconcile() == 0
    # A refresh of one region and period leaves the others alone, and is idempotent.
    assert region_figures_refresh(region_ids=[firm.region_id],
                                  periods=[(PeriodKind.YEAR, 2024, 0)]) == 0


def test_reconcile_task_runs_the_reconcile():
    from registry.tasks import region_figures_reconcile_task

    EnterpriseFactory()
    assert region_figures_reconcile_task() == 0


def test_the_pages_read_the_kept_figures_not_the_reports(client, province_user):
    """The dashboard, the targets page and a monthly report's filing and economy figures sum
    no monitoring report: the kept figures answer, in a number of queries that does not grow
    with the firms (tests/reports/test_dashboard.py checks that for the dashboard)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from registry.choices import TargetMetric
    from reports import figures
    from reports.choices import ReportKind
    from reports.specs import last_complete_period
    from tests.factories.monitoring import MonitoringReportFactory

    year = timezone.localdate().year
    period = last_complete_period(ReportKind.MONTHLY)
    for code in COUNTIES:
        firm = EnterpriseFactory(region=Region.objects.get(code=code))
        for kind, report_year, number in (
            (PeriodKind.YEAR, year - 1, 0), (PeriodKind.YEAR, year, 0),
            (PeriodKind.MONTH, period.year, period.number),
        ):
            MonitoringReportFactory(enterprise=firm, period_kind=kind, year=report_year,
                                    period=number, status=ReportStatus.VERIFIED)
    from tests.factories.pool import TargetFactory

    TargetFactory(region=Region.objects.get(code="620100"), year=year,
                  metric=TargetMetric.NET_NEW_ABOVE_SCALE)
    client.force_login(province_user)
    client.get(reverse("home"))  # warm the caches (content types, translations)

    province = Region.objects.get(code="620000")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("registry:target-progress")).status_code == 200
        economy = figures.economy(province, period)
        rates = figures.monitoring_rates(province, PeriodKind.MONTH, period.year, period.number)
    # Left to the reports: R&D intensity of certified firms, judged on certificates valid at
    # the year's end (certification's figure; a few firms, not every report).
    summing = [q["sql"] for q in captured if '"registry_monitoringreport"' in q["sql"]
               and ("SUM(" in q["sql"] or "main_business_revenue" in q["sql"])
               and '"certification_certificate"' not in q["sql"]]
    assert summing == []
    assert economy["reports"] == len(COUNTIES) == rates["submitted"] == rates["verified"]
    assert economy["operating_revenue"] == str(Decimal("2400.00") * len(COUNTIES))
