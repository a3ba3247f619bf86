"""A county official checks an enterprise's figures and works through the verification queue."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from registry.choices import ReportStatus
from registry.models import MonitoringReport
from registry.services.monitoring import monitoring_report_save, monitoring_report_verify
from tests.factories.accounts import PASSWORD
from tests.factories.monitoring import figures
from tests.factories.registry import EnterpriseFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, username):
    page.goto("/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))


def file(actor, enterprise, year, revenue, submit=True, **values):
    return monitoring_report_save(
        actor=actor, enterprise=enterprise, period_kind="year", year=year, period=0,
        figures=figures(operating_revenue=Decimal(revenue),
                        main_business_revenue=Decimal(revenue) - 50, **values),
        submit=submit,
    ).report


def test_county_official_reads_the_chart_and_verifies_and_returns_reports(
    new_page, screenshot, county_user
):
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    for year, revenue in ((2023, "1800"), (2024, "2100")):
        monitoring_report_verify(actor=county_user, report=file(county_user, firm, year, revenue))
    waiting = file(county_user, firm, 2025, "2500")
    other = EnterpriseFactory(name="兰州城关食品有限公司")
    flagged = file(county_user, other, 2025, "900", rd_expense=Decimal("1200"))
    page = new_page()
    sign_in(page, county_user.username)

    page.goto(f"/enterprises/{firm.uscc}/")
    section = page.locator("#monitoring")
    expect(section.locator("h2")).to_be_visible()
    # Plotly draws the chart from the locally served bundle, with the axes in Chinese.
    expect(section.locator(".chart .main-svg").first).to_be_visible()
    expect(section.locator(".chart").first).to_contain_text("金额（万元）")
    expect(section.locator(".chart").first).to_contain_text("年度")
    expect(section.locator("table[data-table=year]")).to_contain_text("2,100.00")
    screenshot(page, "enterprise-monitoring")

    # Located by address and form, not wording: the interface text is translated later.
    page.locator(f'nav a[href="{reverse("registry:monitoring-queue")}"]').click()
    expect(page.locator(f"#report-{flagged.pk}")).to_contain_text("研发费用")
    screenshot(page, "queue")
    page.locator(f'#report-{waiting.pk} form[action$="/verify/"] button').click()
    expect(page.locator(f"#report-{waiting.pk}")).to_have_count(0)
    row = page.locator(f"#report-{flagged.pk}")
    row.locator("input[name=reason]").fill("研发费用高于营业收入，请核实")
    row.locator("form.return-form button").click()
    expect(page.locator(".empty")).to_be_visible()
    screenshot(page, "queue-done")

    statuses = dict(MonitoringReport.objects.filter(year=2025).values_list("pk", "status"))
    assert statuses == {waiting.pk: ReportStatus.VERIFIED, flagged.pk: ReportStatus.RETURNED}
    firm.refresh_from_db()
    assert (firm.figures_year, firm.is_above_scale) == (2025, True)


def test_the_queue_is_usable_on_a_phone(new_page, screenshot, county_user):
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    waiting = file(county_user, firm, 2025, "2500")
    page = new_page(viewport={"width": 390, "height": 844})
    sign_in(page, county_user.username)
    page.goto(reverse("registry:monitoring-queue"))
    row = page.locator(f"#report-{waiting.pk}")
    # Each figure under its own label (the header, shown above the cell on a phone).
    expect(row.locator('td[data-label="营业收入（万元）"]')).to_contain_text("2,500.00")
    # Nothing wider than the phone: no sideways scrolling to reach the buttons.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    verify = row.locator('form[action$="/verify/"] button')
    box = verify.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(page, "queue-390")
    verify.click()
    expect(page.locator(f"#report-{waiting.pk}")).to_have_count(0)
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.VERIFIED
