"""The 2018 plan's targets (甘工信发〔2018〕551号 §一(二)): loaded as data, each computed from the
registry's rows or entered by hand with its source, shown on the targets page and in the KPI
report, at the boundaries of their dates."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from certification.choices import CertificateLevel
from gansu_sme.exceptions import DomainError, PermissionDenied
from registry.choices import PlanMetric, PoolEntryStatus, PoolKind
from registry.models import Industry, PlanFigure, PlanTarget
from registry.selectors.plans import figures_year, judged_on, plan_progress
from registry.services import plan_figure_enter
from reports.builders import kpi_data
from reports.figures import Period
from reports.layout import kpi_rows
from tests.factories.accounts import UserFactory
from tests.factories.applications import NationalRecommendationFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

PROVINCE = "620000"
LANZHOU = "620000/620100"
LATER = datetime.date(2026, 6, 30)


def target(metric):
    return PlanTarget.objects.get(metric=metric)


def figures(within=PROVINCE, on=LATER):
    return {row.target.metric: row.actual for row in plan_progress(within=within, on=on)}


def firm(code="620102", founded=datetime.date(2010, 1, 1), industry="C35"):
    return EnterpriseFactory(region=region(code), founded_on=founded,
                             industry=Industry.objects.get(code=industry))


def annual(enterprise, year, revenue, **figures):
    revenue = Decimal(str(revenue))
    return MonitoringReportFactory(
        enterprise=enterprise, period_kind="year", year=year, status="verified",
        main_business_revenue=revenue, operating_revenue=revenue,
        **{"employees": 100, "total_assets": revenue, **figures},
    )


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_plans_targets_are_loaded_as_data_due_in_2020():
    rows = {t.metric: (t.value, t.due_year, t.clause) for t in PlanTarget.objects.all()}

    assert rows == {
        "above_scale_firms": (Decimal("2400.00"), 2020, "一(二)1"),
        "new_above_scale": (Decimal("500.00"), 2020, "一(二)1"),
        "pool_firms": (Decimal("1000.00"), 2020, "一(二)1"),
        "certified": (Decimal("200.00"), 2020, "一(二)1"),
        "little_giants": (Decimal("10.00"), 2020, "一(二)1"),
        "recommended": (Decimal("5.00"), 2020, "一(二)1"),
        "value_added_share": (Decimal("30.00"), 2020, "一(二)1"),
        "digital_rd_tools": (Decimal("50.00"), 2020, "一(二)3"),
        "cnc_ratio": (Decimal("50.00"), 2020, "一(二)3"),
        "rd_above_scale": (Decimal("1.50"), 2020, "一(二)4"),
        "rd_srdi": (Decimal("3.00"), 2020, "一(二)4"),
        # Loaded by the financing app, which counts it.
        "credit_cultivated": (Decimal("300.00"), 2020, "一(二)6"),
    }
    [plan] = {t.plan for t in PlanTarget.objects.all()}
    assert (plan.document, plan.first_year, plan.last_year) == ("甘工信发〔2018〕551号", 2018, 2020)


@pytest.mark.parametrize(
    ("on", "year", "day"),
    [(datetime.date(2020, 12, 31), 2019, datetime.date(2020, 12, 31)),
     (datetime.date(2021, 1, 1), 2020, datetime.date(2020, 12, 31)),
     (datetime.date(2020, 6, 30), 2019, datetime.date(2020, 6, 30))],
)
def test_a_target_is_judged_at_its_due_years_end_with_that_years_annual_reports(on, year, day):
    assert (figures_year(2020, on), judged_on(2020, on)) == (year, day)


def test_above_scale_firms_and_new_firms_over_the_plan_years():
    steady = firm()
    for year in (2017, 2018, 2019, 2020):
        annual(steady, year, 3000)
    entered_2018 = firm()
    annual(entered_2018, 2017, 1999.99)
    annual(entered_2018, 2018, 2000)
    annual(entered_2018, 2020, 2500)
    founded_2020 = firm(founded=datetime.date(2020, 7, 1))
    annual(founded_2020, 2020, 2100)
    entered_2017 = firm("620502")
    annual(entered_2017, 2016, 1000)
    annual(entered_2017, 2017, 2500)
    annual(entered_2017, 2020, 1000)
    entered_2021 = firm()
    annual(entered_2021, 2020, 1000)
    annual(entered_2021, 2021, 2500)

    counted = figures()

    # In the directory for 2020: steady, entered_2018, founded_2020.
    assert counted["above_scale_firms"] == 3
    # Entries of 2018–2020: entered_2018 (2018), founded_2020 (2020); not 2017's, not 2021's.
    assert counted["new_above_scale"] == 2
    assert figures(within=LANZHOU)["new_above_scale"] == 2


def test_pool_firms_are_the_srdi_pool_firms_on_the_due_years_last_day():
    admitted = [
        PoolEntryFactory(enterprise=firm(), admission_year=2020),
        PoolEntryFactory(enterprise=firm(), admission_year=2021),
        PoolEntryFactory(enterprise=firm(), admission_year=2019,
                         status=PoolEntryStatus.GRADUATED),
        PoolEntryFactory(enterprise=firm(), admission_year=2019,
                         status=PoolEntryStatus.REMOVED),
        PoolEntryFactory(enterprise=firm(), admission_year=2020, pool=PoolKind.SCALE_UP),
    ]
    times = [(at(datetime.date(2020, 12, 31), 23), None),
             (at(datetime.date(2021, 1, 1), 0), None),
             (at(datetime.date(2019, 5, 1)), at(datetime.date(2021, 1, 1), 0)),
             (at(datetime.date(2019, 5, 1)), at(datetime.date(2020, 12, 31), 23)),
             (at(datetime.date(2020, 5, 1)), None)]
    for entry, (admitted_at, closed_at) in zip(admitted, times, strict=True):
        type(entry).objects.filter(pk=entry.pk).update(admitted_at=admitted_at,
                                                       closed_at=closed_at)

    assert figures()["pool_firms"] == 2


def test_certificates_and_recommendations_come_from_certification():
    CertificateFactory(enterprise=firm(), issued_on=datetime.date(2018, 1, 1),
                       valid_until=datetime.date(2020, 12, 31))
    CertificateFactory(enterprise=firm(), issued_on=datetime.date(2017, 12, 1),
                       valid_until=datetime.date(2020, 11, 30))
    CertificateFactory(enterprise=firm(), issued_on=datetime.date(2021, 1, 1))
    CertificateFactory(enterprise=firm(), issued_on=datetime.date(2020, 12, 31),
                       level=CertificateLevel.NATIONAL)
    NationalRecommendationFactory(year=2020)
    NationalRecommendationFactory(year=2021)

    counted = figures()

    assert (counted["certified"], counted["little_giants"], counted["recommended"]) == (1, 1, 1)


def test_rates_are_decimal_ratios_of_sums_over_above_scale_smes():
    annual(firm(), 2020, 2000, rd_expense=Decimal("20"), uses_digital_rd_tools=True,
           cnc_ratio=Decimal("40"))
    annual(firm(), 2020, 6000, rd_expense=Decimal("130"), uses_digital_rd_tools=False,
           cnc_ratio=Decimal("61"))
    # Below scale, and a large firm: neither counts.
    annual(firm(), 2020, 1999.99, rd_expense=Decimal("500"), uses_digital_rd_tools=False)
    annual(firm(), 2020, 50000, employees=1200, rd_expense=Decimal("1"),
           uses_digital_rd_tools=False)

    counted = figures()

    assert counted["rd_above_scale"] == Decimal("1.88")  # 150 / 8,000
    assert counted["digital_rd_tools"] == Decimal("50.00")
    assert counted["cnc_ratio"] == Decimal("50.50")
    row = next(r for r in plan_progress(within=PROVINCE, on=LATER)
               if r.target.metric == "rd_above_scale")
    assert (row.met, row.percent) == (True, Decimal("125.3"))


def test_rd_of_srdi_firms_counts_firms_certified_at_the_years_end():
    certified, lapsed = firm(), firm()
    CertificateFactory(enterprise=certified, issued_on=datetime.date(2019, 6, 1))
    CertificateFactory(enterprise=lapsed, issued_on=datetime.date(2017, 6, 1),
                       valid_until=datetime.date(2020, 12, 30))
    annual(certified, 2020, 1000, rd_expense=Decimal("35"))
    annual(lapsed, 2020, 1000, rd_expense=Decimal("1"))

    assert figures()["rd_srdi"] == Decimal("3.50")


def test_a_hand_entered_figure_keeps_who_when_and_source(province_user):
    share = target(PlanMetric.VALUE_ADDED_SHARE)
    assert figures()["value_added_share"] is None

    plan_figure_enter(actor=province_user, target=share, value=Decimal("28.6"),
                      as_of=datetime.date(2019, 12, 31), source="2019年统计公报")
    plan_figure_enter(actor=province_user, target=share, value=Decimal("31.2"),
                      as_of=datetime.date(2020, 12, 31), source="2020年统计公报")
    plan_figure_enter(actor=province_user, target=share, value=Decimal("33"),
                      as_of=datetime.date(2021, 12, 31), source="2021年统计公报")

    row = next(r for r in plan_progress(within=LANZHOU, on=LATER)
               if r.target.metric == "value_added_share")
    assert (row.actual, row.figure.source, row.figure.entered_by) == (
        Decimal("31.2"), "2020年统计公报", province_user
    )
    assert (row.entered_by_hand, row.met, row.whole_region) == (True, True, True)
    assert PlanFigure.objects.count() == 3


@pytest.mark.parametrize(
    ("metric", "value", "source", "code"),
    [(PlanMetric.CERTIFIED, "3", "公报", "plan_figure_computed"),
     (PlanMetric.VALUE_ADDED_SHARE, "30", "  ", "plan_figure_source_required"),
     (PlanMetric.VALUE_ADDED_SHARE, "100.01", "公报", "plan_figure_range"),
     (PlanMetric.VALUE_ADDED_SHARE, "-0.01", "公报", "plan_figure_range")],
)
def test_a_hand_entered_figure_is_refused_when_computed_unsourced_or_out_of_range(
    province_user, metric, value, source, code
):
    with pytest.raises(DomainError) as refused:
        plan_figure_enter(actor=province_user, target=target(metric), value=Decimal(value),
                          as_of=datetime.date(2020, 12, 31), source=source)

    assert refused.value.code == code


def test_only_provincial_reviewers_enter_plan_figures(city_user):
    with pytest.raises(PermissionDenied):
        plan_figure_enter(actor=city_user, target=target(PlanMetric.VALUE_ADDED_SHARE),
                          value=Decimal("30"), as_of=datetime.date(2020, 12, 31), source="公报")


def test_a_city_sees_its_part_counts_without_a_share_of_the_provincial_target(city_user):
    annual(firm(), 2020, 2500, rd_expense=Decimal("50"))

    rows = {r.target.metric: r for r in plan_progress(user=city_user, on=LATER)}

    assert (rows["above_scale_firms"].actual, rows["above_scale_firms"].percent) == (1, None)
    assert rows["rd_above_scale"].met is True


def test_the_targets_page_shows_the_plan_with_its_clauses_and_sources(client, province_user):
    plan_figure_enter(actor=province_user, target=target(PlanMetric.VALUE_ADDED_SHARE),
                      value=Decimal("27.4"), as_of=datetime.date(2020, 12, 31),
                      source="2020年统计公报")
    client.force_login(province_user)

    html = client.get(reverse("registry:target-progress")).text

    assert "甘工信发〔2018〕551号" in html
    assert "规模以上工业企业数达到2400户以上" in html
    assert "2020年统计公报" in html
    assert 'id="net-new-rule"' in html
    assert reverse("registry:plan-figure-enter", args=[target("value_added_share").pk]) in html


def test_a_figure_is_entered_on_its_page(client, province_user):
    share = target(PlanMetric.VALUE_ADDED_SHARE)
    client.force_login(province_user)
    url = reverse("registry:plan-figure-enter", args=[share.pk])

    response = client.post(url, {"value": "29.5", "as_of": "2020-12-31", "source": "公报"})

    assert response.status_code == 302
    assert PlanFigure.objects.get().entered_by == province_user


def test_city_staff_cannot_open_the_figure_page(client, city_user):
    client.force_login(city_user)
    url = reverse("registry:plan-figure-enter", args=[target("value_added_share").pk])

    assert client.get(url).status_code == 403


def test_the_quarterly_kpi_report_carries_the_plans_targets(province_user):
    annual(firm(), 2020, 2500, rd_expense=Decimal("50"))
    plan_figure_enter(actor=province_user, target=target(PlanMetric.VALUE_ADDED_SHARE),
                      value=Decimal("27.4"), as_of=datetime.date(2020, 12, 31), source="公报")

    data = kpi_data(region("620000"), Period(3, 2026, 2))

    plans = {row["metric"]: row for row in data["plans"]}
    assert plans["above_scale_firms"]["actual"] == "1"
    assert plans["rd_above_scale"]["actual"] == "2.00"
    assert (plans["value_added_share"]["source"], plans["value_added_share"]["entered_by"]) == (
        "公报", str(province_user)
    )
    labels = [row.label for row in kpi_rows({**data, "year": 2026})]
    assert any("公报" in label for label in labels)


def test_users_outside_the_province_see_no_plan(db):
    expert = UserFactory(role=Role.EXPERT)

    assert plan_progress(user=expert) == []
