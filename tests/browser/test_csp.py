"""The Content-Security-Policy refuses nothing the site itself does, in Chromium.

The key pages are opened as the officials who use them, and each is shown working (the map and
charts drawn, Plotly's charts on an enterprise page, the score sheet, Swagger UI listing the
operations) with no ``securitypolicyviolation`` event and no "Refused to …" console message:
the policy is strict (no inline script or style) and nothing on these pages needs more. The
HTML of every page is checked for inline code by tests/test_headers.py; this test catches what
only a browser does, such as a library injecting a <style> element or running eval.

Saves test-artifacts/csp/: a screenshot of each page under the policy.
"""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from certification.services.experts import experts_draw
from registry.choices import PeriodKind, ReportStatus
from registry.services.monitoring import monitoring_report_save, monitoring_report_verify
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_score_sheet_journey import filed_application
from tests.factories.accounts import PASSWORD
from tests.factories.experts import ExpertFactory
from tests.factories.monitoring import MonitoringReportFactory, figures
from tests.factories.registry import EnterpriseFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any of the page's own scripts run (Playwright's init scripts are not
# subject to the page's policy), so every refusal on the page is recorded.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || "?"}:${event.lineNumber}: ${event.sample || ""}`
  );
});
"""
# Swagger UI waits for the whole schema, Plotly for its 4.8 MB bundle: on a loaded machine
# that is more than expect's 5 s.
SLOW = 60_000
REFUSED = re.compile(r"Refused to|Content Security Policy", re.IGNORECASE)


class Watched:
    """A browser page whose policy refusals are collected, page by page."""

    def __init__(self, page, screenshot):
        self.page = page
        self.refused = []
        self.screenshot = screenshot
        page.set_default_timeout(SLOW)
        page.context.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if REFUSED.search(message.text):
            self.refused.append(f"{self.page.url}: console: {message.text}")

    def check(self, name):
        """Record the refusals of the page now shown, and take its screenshot."""
        self.page.wait_for_load_state("load")
        # A moment for scripts that run after load (htmx's requests, Plotly's resizing).
        self.page.wait_for_timeout(300)
        for violation in self.page.evaluate("() => window.__violations || []"):
            self.refused.append(f"{self.page.url}: {violation}")
        self.screenshot(self.page, name)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_the_key_pages_work_under_the_policy_without_a_refusal(
    new_page, screenshot, county_user, province_user
):
    today = timezone.localdate()
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    for year, revenue in ((today.year - 3, "1800"), (today.year - 2, "2100")):
        report = monitoring_report_save(
            actor=county_user, enterprise=firm, period_kind="year", year=year, period=0,
            figures=figures(operating_revenue=Decimal(revenue),
                            main_business_revenue=Decimal(revenue) - 50),
            submit=True,
        ).report
        monitoring_report_verify(actor=county_user, report=report)
    for month in range(1, today.month + 1):
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.MONTH, year=today.year, period=month,
            status=ReportStatus.VERIFIED, operating_revenue=1700 + 10 * month, taxes=50,
            employees=10,
        )
    application = filed_application(county_user)
    for _ in range(3):
        ExpertFactory()
    sheet = experts_draw(actor=province_user, application=application, seed="csp")
    assignment = sheet.assignments.order_by("id").first()

    # The province's dashboard: the map and charts, the target bars.
    province = Watched(new_page(), screenshot)
    sign_in(province.page, province_user.username)
    expect(province.page.locator("#summary svg.svg-chart")).to_be_visible(timeout=SLOW)
    province.check("dashboard")
    # A list filtered through htmx: the swap brings no inline code of its own.
    province.page.goto("/enterprises/")
    province.page.locator("form [name=search]").first.fill("城关")
    expect(province.page.locator("table")).to_contain_text("兰州城关精密机械有限公司", timeout=SLOW)
    province.check("enterprise-list")
    # The API docs: Swagger UI drawn from the sidecar, with the operations listed.
    province.page.goto("/api/docs/")
    expect(province.page.locator(".opblock").first).to_be_visible(timeout=SLOW)
    province.check("api-docs")

    # An enterprise page: Plotly's charts from the locally served bundle.
    county = Watched(new_page(), screenshot)
    sign_in(county.page, county_user.username)
    county.page.goto(f"/enterprises/{firm.uscc}/")
    expect(county.page.locator("#monitoring .chart .main-svg").first).to_be_visible(timeout=SLOW)
    county.check("enterprise")

    # The expert's score sheet, after the declaration.
    expert = Watched(new_page(), screenshot)
    sign_in(expert.page, assignment.expert.user.username)
    expert.page.goto(f"/certification/assignments/{assignment.pk}/")
    expert.page.get_by_label("本人与该申报企业不存在利益冲突").check()
    expert.page.locator("#declaration button[type=submit]").click()
    expect(expert.page.locator("#score-sheet")).to_be_visible()
    expert.check("score-sheet")

    # The public pages and the sign-in page.
    public = Watched(new_page(), screenshot)
    public.page.goto("/notices/")
    public.check("public-notices")
    public.page.goto("/accounts/login/")
    public.check("sign-in")

    refused = province.refused + county.refused + expert.refused + public.refused
    (ARTIFACTS / "csp-refusals.txt").write_text("\n".join(refused) + "\n", encoding="utf-8")
    assert refused == [], "\n".join(refused)
