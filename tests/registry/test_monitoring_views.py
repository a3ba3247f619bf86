"""Browser pages of monitoring reports: who reaches them, what they show, what they write."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from registry.choices import PeriodKind, ReportStatus
from registry.models import MonitoringReport
from registry.services.monitoring import monitoring_report_save, monitoring_report_verify
from tests.factories.monitoring import MonitoringReportFactory, figures
from tests.factories.registry import EnterpriseFactory, region

LIST_URL = reverse("registry:monitoring-list")
QUEUE_URL = reverse("registry:monitoring-queue")


def detail_url(report):
    return reverse("registry:monitoring-detail", args=[report.pk])


def create_url(enterprise):
    return reverse("registry:monitoring-create", args=[enterprise.uscc])


def action_url(report, action):
    return reverse(f"registry:monitoring-{action}", args=[report.pk])


def enterprise_url(enterprise):
    return reverse("registry:enterprise-detail", args=[enterprise.uscc])


def listed(response):
    """Ids of the reports a list or queue page links to, in order."""
    return [int(pk) for pk in re.findall(r'data-report="(\d+)"', response.text)]


def form_data(**overrides):
    data = {"period_kind": "year", "year": "2024", "period": "0"}
    data.update({k: "" if v is None else str(v) for k, v in figures().items()})
    data.update({"uses_digital_rd_tools": "true", "uses_cloud": "true", "uses_ecommerce": "false"})
    data.update(overrides)
    return data


# --- who reaches which page ------------------------------------------------------------------

PAGES = {
    "list": ("get", lambda r: LIST_URL),
    "queue": ("get", lambda r: QUEUE_URL),
    "detail": ("get", detail_url),
    "create": ("get", lambda r: create_url(r.enterprise)),
    "edit": ("get", lambda r: action_url(r, "edit")),
    "submit": ("post", lambda r: action_url(r, "submit")),
    "verify": ("post", lambda r: action_url(r, "verify")),
    "return": ("post", lambda r: action_url(r, "return")),
}


@pytest.fixture
def report(enterprise):
    return MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.SUBMITTED)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, report, page):
    method, url = PAGES[page]

    response = getattr(client, method)(url(report))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    ("page", "user_fixture"),
    [
        ("list", "expert_user"),
        ("queue", "province_user"),
        ("queue", "api_user"),
        ("create", "province_user"),
        ("create", "api_user"),
        ("edit", "province_user"),
        ("submit", "api_user"),
        ("verify", "province_user"),
        ("verify", "city_user"),
        ("return", "api_user"),
        ("return", "city_user"),
    ],
)
def test_roles_without_the_right_get_the_403_page(client, report, request, page, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    method, url = PAGES[page]

    response = getattr(client, method)(url(report), {"reason": "x"} if method == "post" else {})

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("page", ["detail", "create", "edit", "submit", "verify", "return"])
@pytest.mark.parametrize("user_fixture", ["other_city_user", "other_county_user"])
def test_another_regions_report_is_not_found(client, report, request, page, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    method, url = PAGES[page]

    response = getattr(client, method)(url(report), {"reason": "x"} if method == "post" else {})

    assert response.status_code == 404
    assert report.enterprise.name not in response.text


@pytest.mark.parametrize("page", ["list", "queue", "detail", "create"])
def test_county_staff_reach_every_page(client, county_user, report, page):
    client.force_login(county_user)
    method, url = PAGES[page]

    assert getattr(client, method)(url(report)).status_code == 200


def test_navigation_offers_reports_to_readers_and_the_queue_to_verifiers(
    client, county_user, province_user
):
    client.force_login(county_user)
    page = client.get(reverse("home")).text
    assert LIST_URL in page and QUEUE_URL in page

    client.force_login(province_user)
    page = client.get(reverse("home")).text
    assert LIST_URL in page and QUEUE_URL not in page


# --- list ------------------------------------------------------------------------------------


def test_city_staff_list_only_their_citys_reports(client, city_user, enterprise):
    mine = MonitoringReportFactory(enterprise=enterprise)
    qilihe = MonitoringReportFactory(enterprise=EnterpriseFactory(region=region("620103")))
    tianshui = MonitoringReportFactory(enterprise=EnterpriseFactory(region=region("620502")))
    client.force_login(city_user)

    response = client.get(LIST_URL)

    assert sorted(listed(response)) == sorted([mine.pk, qilihe.pk])
    assert tianshui.enterprise.name not in response.text


def test_list_filters_by_status_period_and_flags(client, county_user, enterprise):
    flagged = MonitoringReportFactory(
        enterprise=enterprise, status=ReportStatus.SUBMITTED,
        flags=[{"rule": "rd_above_revenue", "message": "x", "figures": {}}],
    )
    month = MonitoringReportFactory(enterprise=enterprise, period_kind=PeriodKind.MONTH,
                                    year=2025, period=2)
    client.force_login(county_user)

    assert listed(client.get(LIST_URL, {"status": "submitted"})) == [flagged.pk]
    assert listed(client.get(LIST_URL, {"flagged": "true"})) == [flagged.pk]
    assert listed(client.get(LIST_URL, {"period_kind": "month", "period": 2})) == [month.pk]
    assert listed(client.get(LIST_URL, {"rule": "rd_above_revenue"})) == [flagged.pk]


def test_list_htmx_requests_get_only_the_results(client, county_user, report):
    client.force_login(county_user)

    partial = client.get(LIST_URL, {"status": "submitted"}, headers={"HX-Request": "true"})

    assert "<html" not in partial.text
    assert listed(partial) == [report.pk]
    assert "HX-Request" in partial["Vary"]


@pytest.mark.parametrize("rows", [5, 50])
def test_list_page_makes_the_same_queries_for_5_or_50_rows(
    client, city_user, county_user, django_assert_num_queries, rows
):
    for i in range(rows):
        enterprise = EnterpriseFactory(region=region("620102" if i % 2 else "620103"))
        MonitoringReportFactory(enterprise=enterprise, created_by=county_user)
    client.force_login(city_user)

    # session, user, user's region, the menu's task count, filter regions, count, rows
    with django_assert_num_queries(7):
        response = client.get(LIST_URL)

    assert len(listed(response)) == rows


# --- verification queue ----------------------------------------------------------------------


def test_the_queue_holds_the_countys_submitted_reports_with_their_flags(
    client, county_user, enterprise
):
    waiting = MonitoringReportFactory(
        enterprise=enterprise, status=ReportStatus.SUBMITTED,
        flags=[{"rule": "rd_above_revenue", "message": "",
                 "figures": {"rd_expense": "2500.00", "operating_revenue": "2400.00"}}],
    )
    MonitoringReportFactory(enterprise=enterprise, year=2023, status=ReportStatus.DRAFT)
    MonitoringReportFactory(
        enterprise=EnterpriseFactory(region=region("620103")), status=ReportStatus.SUBMITTED
    )
    client.force_login(county_user)

    response = client.get(QUEUE_URL)

    assert listed(response) == [waiting.pk]
    assert "研发费用（2,500.00万元）高于营业收入（2,400.00万元）。" in response.text
    assert action_url(waiting, "verify") in response.text
    assert action_url(waiting, "return") in response.text


def test_city_staff_of_a_city_with_counties_have_an_empty_queue(client, city_user, report):
    client.force_login(city_user)

    assert listed(client.get(QUEUE_URL)) == []


@pytest.mark.parametrize("rows", [5, 30])
def test_queue_makes_the_same_queries_for_5_or_30_rows(
    client, county_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        MonitoringReportFactory(status=ReportStatus.SUBMITTED, created_by=county_user)
    client.force_login(county_user)

    # session, user, user's region, the menu's task count, count, rows
    with django_assert_num_queries(6):
        response = client.get(QUEUE_URL)

    assert len(listed(response)) == rows


def test_verifying_from_the_queue_returns_to_the_queue(client, county_user, report):
    client.force_login(county_user)

    response = client.post(action_url(report, "verify"), {"next": QUEUE_URL})

    assert response.status_code == 302 and response.url == QUEUE_URL
    report.refresh_from_db()
    assert (report.status, report.verified_by) == (ReportStatus.VERIFIED, county_user)
    assert listed(client.get(QUEUE_URL)) == []


def test_returning_from_the_queue_records_the_reason(client, county_user, report):
    client.force_login(county_user)

    client.post(action_url(report, "return"), {"next": QUEUE_URL, "reason": "请补充研发人员"})

    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.transitions.get().reason == "请补充研发人员"


def test_returning_without_a_reason_shows_the_error(client, county_user, report):
    client.force_login(county_user)

    response = client.post(action_url(report, "return"), {"reason": ""})

    assert response.status_code == 400
    assert "reason" in response.context["return_form"].errors
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_forbidden_move_is_shown_as_a_message(client, county_user, enterprise):
    draft = MonitoringReportFactory(enterprise=enterprise)
    client.force_login(county_user)

    response = client.post(action_url(draft, "verify"), follow=True)

    assert "不允许此状态变更" in response.text
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_a_next_address_on_another_site_is_ignored(client, county_user, report):
    client.force_login(county_user)

    response = client.post(action_url(report, "verify"), {"next": "https://example.com/"})

    assert response.url == detail_url(report)


# --- entry form ------------------------------------------------------------------------------


def test_the_form_labels_every_figure_with_its_unit(client, county_user, enterprise):
    client.force_login(county_user)

    page = client.get(create_url(enterprise)).text

    for label in ("营业收入（万元）", "从业人员（人）", "用地面积（亩）", "综合能耗（吨标准煤）",
                  "关键工序数控化率（%）"):
        assert label in page


def test_filing_from_the_form_saves_a_draft(client, county_user, enterprise):
    client.force_login(county_user)

    response = client.post(create_url(enterprise), form_data())

    report = MonitoringReport.objects.get()
    assert response.status_code == 302 and response.url == detail_url(report)
    assert report.status == ReportStatus.DRAFT
    assert report.operating_revenue == Decimal("2400.00")
    assert (report.uses_cloud, report.uses_ecommerce) == (True, False)


def test_save_and_submit_submits(client, county_user, enterprise):
    client.force_login(county_user)

    client.post(create_url(enterprise), {**form_data(), "submit": "1"})

    assert MonitoringReport.objects.get().status == ReportStatus.SUBMITTED


def test_refused_figures_are_shown_on_their_fields(client, county_user, enterprise):
    client.force_login(county_user)

    response = client.post(
        create_url(enterprise), form_data(operating_revenue="-5", period_kind="month", period=13)
    )

    errors = response.context["form"].errors
    assert "不能为负数" in errors["operating_revenue"][0]
    assert "月份应为1至12" in errors["period"][0]
    assert not MonitoringReport.objects.exists()


def test_the_service_names_a_figure_the_form_could_not_judge(client, county_user, enterprise):
    client.force_login(county_user)

    response = client.post(create_url(enterprise), form_data(year="2099"))

    assert "尚未开始" in response.context["form"].errors["period"][0]


def test_a_correction_form_starts_from_the_verified_figures(client, county_user, enterprise):
    result = monitoring_report_save(
        actor=county_user, enterprise=enterprise, period_kind="year", year=2024, period=0,
        figures=figures(), submit=True,
    )
    verified = monitoring_report_verify(actor=county_user, report=result.report)
    client.force_login(county_user)

    detail = client.get(detail_url(verified)).text
    form = client.get(create_url(enterprise), {"period_kind": "year", "year": 2024, "period": 0})

    assert create_url(enterprise) in detail
    assert form.context["form"]["operating_revenue"].value() == Decimal("2400.00")
    client.post(create_url(enterprise), form_data(taxes="90"))
    correction = MonitoringReport.objects.get(revision=1)
    assert (correction.corrects, correction.status) == (verified, ReportStatus.DRAFT)


def test_editing_a_draft_changes_its_figures(client, county_user, enterprise):
    draft = MonitoringReportFactory(enterprise=enterprise)
    client.force_login(county_user)
    data = {k: v for k, v in form_data(taxes="50").items() if k not in ("period_kind", "year",
                                                                         "period")}

    client.post(action_url(draft, "edit"), data)

    draft.refresh_from_db()
    assert draft.taxes == Decimal("50.00")


def test_a_verified_report_is_not_edited_in_place(client, county_user, enterprise):
    verified = MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.VERIFIED)
    client.force_login(county_user)

    response = client.get(action_url(verified, "edit"))

    assert response.status_code == 302 and response.url == detail_url(verified)


# --- the enterprise page's monitoring section ------------------------------------------------


@pytest.fixture
def history(county_user, enterprise):
    """Verified annual reports for 2023–2025 and three months of 2026 of the enterprise."""
    for year, revenue in ((2023, "1800"), (2024, "2100"), (2025, "2600")):
        result = monitoring_report_save(
            actor=county_user, enterprise=enterprise, period_kind="year", year=year, period=0,
            figures=figures(operating_revenue=Decimal(revenue),
                            main_business_revenue=Decimal(revenue) - 100),
            submit=True,
        )
        monitoring_report_verify(actor=county_user, report=result.report)
    for month in (1, 2, 3):
        monitoring_report_save(
            actor=county_user, enterprise=enterprise, period_kind="month", year=2026,
            period=month, figures={"operating_revenue": Decimal("180.5"), "employees": 321},
        )


def chart(page, name):
    found = re.search(rf'<script id="{name}-\d+" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_enterprise_page_shows_annual_and_monthly_figures_with_units(
    client, county_user, enterprise, history
):
    client.force_login(county_user)

    page = client.get(enterprise_url(enterprise)).text

    for header in ("营业收入（万元）", "从业人员（人）", "用地面积（亩）", "综合能耗（吨标准煤）",
                   "关键工序数控化率（%）"):
        assert f">{header}</th>" in page
    for cell in ("1,800.00", "2,100.00", "2,600.00", "180.50"):
        assert f">{cell}</td>" in page
    assert "2026年3月" in page


def test_the_chart_is_labelled_in_chinese_and_plots_the_tables_numbers(
    client, county_user, enterprise, history
):
    client.force_login(county_user)

    page = client.get(enterprise_url(enterprise)).text
    figure = chart(page, "annual")

    layout = figure["layout"]
    assert layout["xaxis"]["title"]["text"] == "年度"
    assert layout["yaxis"]["title"]["text"] == "金额（万元）"
    assert layout["yaxis2"]["title"]["text"] == "从业人员（人）"
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert set(traces) == {
        "营业收入（万元）", "实缴税金（万元）", "研发费用（万元）", "从业人员（人）",
    }
    assert traces["营业收入（万元）"]["x"] == ["2023", "2024", "2025"]
    assert traces["营业收入（万元）"]["y"] == [1800.0, 2100.0, 2600.0]
    for value in traces["研发费用（万元）"]["y"]:
        assert f">{value:,.2f}</td>" in page
    assert chart(page, "monthly")["data"][0]["y"] == [180.5, 180.5, 180.5]


def test_plotly_is_served_from_the_pinned_package_and_no_cdn(
    client, county_user, enterprise, history
):
    client.force_login(county_user)

    page = client.get(enterprise_url(enterprise)).text

    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/vendor/plotly.min.js" in scripts and "/static/js/charts.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)
    found = finders.find("vendor/plotly.min.js")
    assert found.endswith("plotly/package_data/plotly.min.js")
    assert finders.find("vendor/widgetbundle.js") is None


def test_the_enterprise_page_shows_the_derived_size_class_and_its_history(
    client, county_user, enterprise, history
):
    client.force_login(county_user)

    response = client.get(enterprise_url(enterprise))

    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.is_above_scale, enterprise.figures_year) == (
        "medium", True, 2025,
    )
    section = response.text.split('id="monitoring"')[1]
    assert "2025" in section
    # Derived three times (2023 below scale, 2024 and 2025 above): 2024 and 2025 differ in year.
    assert section.count('<td class="nowrap">') >= 3


def test_an_enterprise_without_reports_says_so(client, county_user, enterprise):
    client.force_login(county_user)

    page = client.get(enterprise_url(enterprise)).text

    assert 'id="monitoring"' in page
    assert "plotly.min.js" not in page


def test_the_lists_name_their_figure_columns_in_the_pages_language(
    client, county_user, enterprise
):
    MonitoringReportFactory(enterprise=enterprise, status=ReportStatus.SUBMITTED)
    client.force_login(county_user)

    for url in (reverse("registry:monitoring-list"), QUEUE_URL):
        english = client.get(url, headers={"Accept-Language": "en"}).text
        chinese = client.get(url, headers={"Accept-Language": "zh-hans"}).text
        assert "Operating revenue (10k yuan)" in english and "营业收入（万元）" not in english
        assert "营业收入（万元）" in chinese
