"""The landing page per role: funnel, targets, trend, what waits, scoped."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.choices import Role
from certification.choices import ApplicationStatus
from registry.choices import PeriodKind, PoolKind, PoolTier, ReportStatus, TargetMetric
from registry.models import Target
from registry.services import pool_entry_admit, target_set
from reports.choices import ReportKind
from reports.services.reports import report_generate
from reports.specs import last_complete_period
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, TargetFactory
from tests.factories.registry import EnterpriseFactory, region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]

YEAR = timezone.localdate().year


@pytest.fixture
def lanzhou_and_tianshui(county_user, province_user):
    mine = EnterpriseFactory(name="兰州城关精密机械有限公司")
    far = EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502"))
    for firm in (mine, far):
        pool_entry_admit(
            actor=province_user, enterprise=firm, pool=PoolKind.ZJTX, tier=PoolTier.PROVINCE,
            admission_year=YEAR, admission_reason="细分市场领先",
        )
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.MONTH, year=YEAR, period=1,
            status=ReportStatus.VERIFIED, operating_revenue=100, taxes=5, employees=10,
        )
    CertificateFactory(enterprise=mine, issued_on=timezone.localdate().replace(month=1, day=2))
    target_set(actor=province_user, year=YEAR, region=region("620100"), metric="certified",
               value=4)
    return mine, far


def test_county_dashboard_counts_only_its_county(client, county_user, lanzhou_and_tianshui):
    client.force_login(county_user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    context = page.context
    assert context["funnel"] == {"pool": 1, "certified": 1, "little_giant": 0}
    assert [row["operating_revenue"] for row in context["trend"]] == [100]
    assert "vendor/plotly.min.js" in page.text and "cdn" not in page.text.lower()
    assert 'data-chart="chart-funnel"' in page.text
    # The same numbers as a table, for screen readers.
    assert 'data-figure="pool">1<' in page.text


def test_province_dashboard_shows_targets_of_its_prefectures(client, province_user,
                                                            lanzhou_and_tianshui):
    client.force_login(province_user)
    context = client.get(reverse("home")).context
    assert context["funnel"]["pool"] == 2
    [row] = context["targets"]
    assert (row["region"], row["target"], row["actual"], row["percent"]) == ("兰州市", 4, 1, 25.0)
    assert context["trend_chart"]["data"][0]["name"] == "营业收入（万元）"


def test_experts_see_what_waits_but_no_region_figures(client, expert_user):
    client.force_login(expert_user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "funnel" not in page.context
    assert 'id="waiting"' in page.text


def test_the_dashboard_and_the_kpi_report_agree_on_the_share_of_a_target(
    client, province_user
):
    firm = EnterpriseFactory()
    CertificateFactory(enterprise=firm, issued_on=datetime.date(YEAR, 1, 2))
    TargetFactory(year=YEAR, region=region("620100"), metric=TargetMetric.CERTIFIED, value=3)
    client.force_login(province_user)
    [row] = client.get(reverse("home")).context["targets"]
    quarter = last_complete_period(ReportKind.QUARTERLY_KPI)
    if quarter.year == YEAR:
        [target] = report_generate(
            kind=ReportKind.QUARTERLY_KPI, year=YEAR, period=quarter.number,
            region_id=region("620100").pk,
        ).data["targets"]
        assert target["percent"] == "33.33"
    # Rounded as the report rounds: two decimals, half up, exact.
    assert row["percent"] == Decimal("33.33") and isinstance(row["percent"], Decimal)


def test_net_new_above_scale_firms_show_as_pending_on_the_dashboard(client, province_user):
    TargetFactory(year=YEAR, region=region("620100"), metric=TargetMetric.NET_NEW_ABOVE_SCALE,
                  value=5)
    client.force_login(province_user)
    with translation.override("en"):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    [row] = page.context["targets"]
    assert (row["actual"], row["percent"], row["bar"]) == (None, None, 0)
    assert ">None<" not in page.text


CODES = ("620102", "620103", "620502")


def _grow(count):
    """``count`` firms, one per county (cycling), each in the pool, certified, filing, and
    waiting with an application; targets of every metric for their county and city."""
    for index in range(count):
        county = region(CODES[index % len(CODES)])
        firm = EnterpriseFactory(region=county)
        PoolEntryFactory(enterprise=firm)
        CertificateFactory(enterprise=firm, issued_on=datetime.date(YEAR, 1, 2))
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.MONTH, year=YEAR, period=1,
            status=ReportStatus.VERIFIED, operating_revenue=100, taxes=5, employees=10,
        )
        ApplicationFactory(enterprise=firm, status=ApplicationStatus.SUBMITTED)
        for target_region in (county, county.parent):
            for metric in TargetMetric.values:
                Target.objects.get_or_create(
                    year=YEAR, region=target_region, metric=metric,
                    defaults={"value": 10, "set_by": _setter()},
                )


def _setter():
    return UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))


@pytest.mark.parametrize(
    "fixture", ["county_user", "city_user", "province_user", "expert_user"]
)
def test_the_dashboard_costs_the_same_queries_for_one_or_many_firms(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    _grow(1)
    client.get(reverse("home"))  # warm the caches (content types, translations)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        counts = [
            q["sql"] for q in captured
            if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "certification_application"')
        ]
        # The waiting count is counted once, by the navigation; the dashboard takes its
        # count with the rows it lists.
        assert len(counts) <= 1
        return len(captured)

    few = queries()
    _grow(6)
    assert queries() == few
