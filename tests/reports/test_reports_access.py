"""Reports in the browser and the API: stored once per period and region, scoped, downloadable."""

import ast
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse, set_script_prefix

import reports as reports_package
from accounts.choices import Role
from registry.choices import PeriodKind, ReportStatus
from reports.choices import ReportKind
from reports.models import Report
from reports.services.reports import report_generate
from tests.factories.accounts import UserFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import region

pytestmark = pytest.mark.django_db

CODES = ("620000", "620100", "620102", "620103", "620500")


@pytest.fixture
def reports(db):
    return {
        code: report_generate(kind=ReportKind.MONTHLY, year=2026, period=10,
                              region_id=region(code).pk)
        for code in CODES
    }


def _listed(client):
    page = client.get(reverse("reports:report-list"))
    assert page.status_code == 200
    return {code for code in CODES if f'data-report="{Report.objects.get(region__code=code).pk}"'
            in page.text}


@pytest.mark.parametrize(
    ("fixture", "seen"),
    [
        ("county_user", {"620102"}),
        ("city_user", {"620100", "620102", "620103"}),
        ("province_user", set(CODES)),
    ],
)
def test_each_level_lists_its_own_reports_and_those_below(client, request, reports, fixture,
                                                          seen):
    client.force_login(request.getfixturevalue(fixture))
    assert _listed(client) == seen


def test_a_report_out_of_scope_is_404_in_page_download_and_api(client, as_user, county_user,
                                                                reports):
    other = reports["620103"]
    client.force_login(county_user)
    assert client.get(reverse("reports:report-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:report-download", args=[other.pk])).status_code == 404
    api = as_user(county_user)
    assert api.get(f"/api/v1/reports/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/reports/{other.pk}/download/").status_code == 404


def test_experts_have_no_report_pages(client, expert_user, reports):
    client.force_login(expert_user)
    assert client.get(reverse("reports:report-list")).status_code == 403


def test_running_a_report_again_replaces_it(reports):
    first = reports["620100"]
    again = report_generate(kind=ReportKind.MONTHLY, year=2026, period=10,
                            region_id=region("620100").pk)
    assert again.pk == first.pk
    assert Report.objects.filter(region__code="620100").count() == 1
    assert again.generated_at > first.generated_at


def test_the_workbook_has_a_cover_and_the_figures_with_formulas_escaped(client, province_user):
    MonitoringReportFactory(
        period_kind=PeriodKind.MONTH, year=2026, period=10, status=ReportStatus.DRAFT,
        flags=[{"rule": "=HYPERLINK(\"http://x\")", "message": "m", "figures": {}}],
    )
    report = report_generate(kind=ReportKind.MONTHLY, year=2026, period=10,
                             region_id=region("620000").pk)
    client.force_login(province_user)
    response = client.get(reverse("reports:report-download", args=[report.pk]))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["封面", "指标"]
    assert "甘肃省" in book["封面"]["A1"].value and "月度运行监测报告" in book["封面"]["A1"].value
    rows = {row[1]: row[2] for row in book["指标"].iter_rows(min_row=2, values_only=True)}
    # A flag of a rule the layout does not know is counted under "other rule", never by its
    # raw key (which here would be a formula).
    assert rows["标记：其他规则"] == 1
    # The workbook speaks the site's default language, Chinese.
    assert rows["有标记的报表"] == 1
    assert not any(
        cell.data_type == "f" for row in book["指标"].iter_rows() for cell in row
    )


def test_report_page_shows_the_figures(client, city_user, reports):
    client.force_login(city_user)
    page = client.get(reverse("reports:report-detail", args=[reports["620100"].pk]))
    assert page.status_code == 200
    assert "兰州市" in page.text and "2026年10月" in page.text


def test_api_lists_scoped_reports_and_downloads(as_user, city_user, reports):
    api = as_user(city_user)
    listed = api.get("/api/v1/reports/").json()["results"]
    assert {row["region"] for row in listed} == {"620100", "620102", "620103"}
    detail = api.get(f"/api/v1/reports/{reports['620100'].pk}/").json()
    assert detail["data"]["region"]["code"] == "620100"
    download = api.get(listed[0]["download"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    filtered = api.get("/api/v1/reports/", {"region": "620102"}).json()["results"]
    assert [row["region"] for row in filtered] == ["620102"]


@pytest.mark.parametrize("count", [2, 12])
def test_api_and_page_list_cost_constant_queries(as_user, client, province_user, count,
                                                django_assert_num_queries):
    for month in range(1, count + 1):
        report_generate(kind=ReportKind.MONTHLY, year=2025, period=month,
                        region_id=region("620102").pk)
    api = as_user(province_user)
    # Token and its owner, the owner's region, the page.
    with django_assert_num_queries(4):
        assert len(api.get("/api/v1/reports/").json()["results"]) == count
    client.force_login(province_user)
    # Session and user, the page's own queries and the navigation's counts: the same for 2
    # or 12 reports.
    with django_assert_num_queries(7):
        client.get(reverse("reports:report-list"))


def test_read_only_roles_read_reports(as_user, reports):
    auditor = UserFactory(role=Role.AUDITOR, region=region("620000"))
    assert len(as_user(auditor).get("/api/v1/reports/").json()["results"]) == len(CODES)


def test_a_non_numeric_id_is_404_not_a_server_error(as_user, county_user):
    api = as_user(county_user)
    assert api.post("/api/v1/notifications/abc/read/").status_code == 404
    assert api.get("/api/v1/notifications/abc/").status_code == 404
    assert api.get("/api/v1/reports/abc/").status_code == 404
    assert api.get("/api/v1/reports/abc/download/").status_code == 404


def test_the_download_link_follows_the_sites_url_prefix(as_user, county_user, reports):
    """Served below a prefix (the WSGI script name), the link must carry it: it is reversed,
    not written out."""
    api = as_user(county_user)
    set_script_prefix("/sme/")  # what the WSGI handler does for SCRIPT_NAME=/sme
    try:
        [row] = api.get("/api/v1/reports/").json()["results"]
    finally:
        set_script_prefix("/")
    assert row["download"].endswith(f"/sme/api/v1/reports/{reports['620102'].pk}/download/")


def test_reports_record_no_author(reports):
    """Reports are made by the schedule: nobody is recorded as their author."""
    assert "generated_by" not in {field.name for field in Report._meta.get_fields()}
    with pytest.raises(TypeError):
        report_generate(kind=ReportKind.MONTHLY, year=2026, period=10,
                        region_id=region("620100").pk, actor=None)


def test_reports_import_no_private_names_of_other_modules():
    """Helpers shared between modules are public: no ``from x import _name`` in reports."""
    private = []
    for path in Path(reports_package.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                private += [(path.name, a.name) for a in node.names if a.name.startswith("_")]
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and isinstance(
                node.value, ast.Name
            ) and node.value.id in {"figures", "selectors", "layout", "charts"}:
                private.append((path.name, f"{node.value.id}.{node.attr}"))
    assert private == []


def test_the_list_names_each_period_in_the_readers_language(client, county_user):
    quarterly = report_generate(
        kind=ReportKind.QUARTERLY_KPI, year=2026, period=3, region_id=region("620102").pk
    )
    client.force_login(county_user)
    english = client.get(reverse("reports:report-list"), headers={"Accept-Language": "en"})
    chinese = client.get(reverse("reports:report-list"), headers={"Accept-Language": "zh-hans"})
    assert "Q3 2026" in english.text and "季度" not in english.text
    assert "2026年第3季度" in chinese.text
    # The workbook stays a Chinese document whatever the reader's language.
    assert quarterly.period_label == "2026年第3季度"
