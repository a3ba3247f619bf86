"""A provincial reviewer opens the dashboard and downloads the latest monthly report, in
Chromium. Elements are found by ids and data attributes rather than words."""

import re

import openpyxl
import pytest
from django.utils import timezone

from registry.choices import PeriodKind, PoolKind, PoolTier, ReportStatus
from registry.models import PoolEntry
from registry.services import pool_entry_admit, target_set
from reports.choices import ReportKind
from reports.services.reports import report_generate
from reports.specs import last_complete_period
from tests.factories.accounts import PASSWORD
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.registry import EnterpriseFactory, region

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provincial_reviewer_sees_charts_and_downloads_the_monthly_report(
    new_page, screenshot, province_user, tmp_path
):
    today = timezone.localdate()
    last = last_complete_period(ReportKind.MONTHLY, today)
    firms = [
        EnterpriseFactory(name="兰州城关精密机械有限公司"),
        EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502")),
    ]
    for index, firm in enumerate(firms):
        pool_entry_admit(
            actor=province_user, enterprise=firm, pool=PoolKind.ZJTX, tier=PoolTier.PROVINCE,
            admission_year=last.year, admission_reason="细分市场领先",
        )
        for month in range(1, today.month + 1):
            MonitoringReportFactory(
                enterprise=firm, period_kind=PeriodKind.MONTH, year=today.year, period=month,
                status=ReportStatus.VERIFIED, operating_revenue=100 + 10 * month + index,
                taxes=5, employees=10,
            )
    # Admitted when the reported month began: the report counts the pool at the month's end.
    PoolEntry.objects.filter(enterprise__in=firms).update(admitted_at=last.start_at)
    target_set(actor=province_user, year=today.year, region=region("620100"),
               metric="pool_province", value=2)
    report = report_generate(kind=ReportKind.MONTHLY, year=last.year, period=last.number,
                             region_id=region("620000").pk)

    page = new_page()
    page.goto("/")
    page.get_by_label("用户名").fill(province_user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    expect(page.locator("#funnel")).to_be_visible()

    # Plotly drew each chart as SVG with the data: funnel bars, target bars, trend lines.
    expect(page.locator("#funnel .main-svg").first).to_be_visible()
    expect(page.locator("#funnel g.funnellayer g.point")).to_have_count(3)
    expect(page.locator("#targets g.barlayer g.point")).to_have_count(1)
    expect(page.locator("#trend g.scatterlayer g.trace")).to_have_count(2)
    expect(page.locator("#trend g.scatterlayer g.trace").first.locator("path.point")).to_have_count(
        today.month
    )
    # Chinese labels in the drawn chart, and the table beside it.
    expect(page.locator("#trend .chart")).to_contain_text("营业收入（万元）")
    expect(page.locator('#funnel [data-figure="pool"]')).to_have_text("2")
    screenshot(page, "dashboard")

    with page.expect_download() as info:
        page.locator('[data-download="monthly"]').click()
    download = info.value
    assert re.search(r"\.xlsx$", download.suggested_filename)
    path = tmp_path / "report.xlsx"
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["封面", "指标"]
    assert book["封面"]["A1"].value == report.title_zh
    values = [row[2] for row in book["指标"].iter_rows(min_row=2, values_only=True)]
    # Pool sizes come first: 专精特新 county, city, province tiers, total; then 规下转规上.
    assert values[:4] == [0, 0, 2, 2]
    revenue = report.data["economy"]["operating_revenue"]
    if last.year == today.year:
        assert revenue == f"{200 + 20 * last.number + 1:.2f}"
    assert revenue in values
