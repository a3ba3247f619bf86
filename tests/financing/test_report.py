"""The financing report and the monthly report's financing rows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from financing import selectors, services
from registry.models import Region
from reports import builders, layout
from reports.figures import Period
from tests.factories.certificates import CertificateFactory
from tests.factories.financing import need

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(province_user, county_user, enterprise, bank):
    filed = need(county_user, enterprise, amount=Decimal(800))
    event = services.event_create(actor=province_user, title="对接会",
                                  held_on=timezone.localdate(), institutions=[bank])
    outcome = services.event_put_needs(actor=province_user, event=event, needs=[filed])[0]
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    services.outcome_grant(actor=province_user, outcome=outcome, institution=bank,
                           granted_amount=Decimal(600), rate=Decimal("3.2"),
                           granted_on=timezone.localdate())
    return filed


def test_the_report_sums_needs_and_grants_by_region_kind_and_institution(
    province_user, county_user, tianshui_enterprise, other_city_user, granted
):
    need(other_city_user, tianshui_enterprise, kind="equity", amount=Decimal(100))
    report = selectors.financing_report(user=province_user, day=timezone.localdate())
    assert [(r.label, r.needs, r.amount, r.granted_amount) for r in report.by_region] == [
        ("兰州市", 1, Decimal(800), Decimal(600)), ("天水市", 1, Decimal(100), Decimal(0)),
    ]
    assert {r.key: r.needs for r in report.by_kind} == {"loan": 1, "equity": 1}
    assert [(r.label, r.granted_amount) for r in report.by_institution] == [
        ("中国工商银行 甘肃省分行", Decimal(600))
    ]
    city = selectors.financing_report(user=other_city_user, day=timezone.localdate())
    assert [r.label for r in city.by_region] == ["天水市"]


def test_the_srdi_share_counts_certified_firms_with_a_need_met(province_user, county_user,
                                                               enterprise, granted):
    report = selectors.financing_report(user=province_user, day=timezone.localdate())
    assert (report.srdi_firms_with_needs, report.srdi_firms_met) == (0, 0)
    CertificateFactory(enterprise=enterprise)
    report = selectors.financing_report(user=province_user, day=timezone.localdate())
    assert (report.srdi_firms_with_needs, report.srdi_firms_met) == (1, 1)
    assert report.srdi_share_met == Decimal(100)


def test_the_monthly_report_has_financing_rows(granted):
    today = timezone.localdate()
    period = Period(1, today.year, today.month)
    data = builders.monthly_data(Region.objects.get(code="620000"), period)
    assert data["financing"]["filed"] == 1
    assert data["financing"]["granted_amount"] == "600.00"
    labels = [row.label for row in layout.monthly_rows(data)]
    assert "Needs filed in the period" in labels or "本期登记融资需求" in labels
    del data["financing"]
    assert layout.monthly_rows(data)  # a report made before the financing app still reads


def test_no_month_before_the_filing_counts_it(granted):
    day = timezone.localdate() - datetime.timedelta(days=40)
    figures = selectors.financing_period_figures(
        within="620000", start=day.replace(day=1), end=day.replace(day=1) + datetime.timedelta(1)
    )
    assert (figures["filed"], figures["granted"]) == (0, 0)
