"""The landing page per role: funnel, targets, trend, what waits, scoped."""

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.choices import PeriodKind, PoolKind, PoolTier, ReportStatus
from registry.services import pool_entry_admit, target_set
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

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
