"""A county official imports monitoring figures from Excel, driven through Chromium.

The wizard's own labels are located by their ids and addresses rather than their words, which
change when the translations are compiled; errors are asserted by their codes, and the marked
workbook by the messages stored with the job.
"""

import io
import re

import pytest
from openpyxl import load_workbook

from demo.codes import make_uscc
from gansu_sme.excel.container import FORMULA
from gansu_sme.excel.writer import ERRORS_HEADER
from registry.choices import ReportStatus
from registry.imports import MONITORING_COLUMNS
from registry.models import ImportJob, MonitoringReport
from registry.services.imports import NOT_FOUND
from tests.factories.accounts import PASSWORD
from tests.factories.registry import EnterpriseFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

HEADERS = [c.header for c in MONITORING_COLUMNS]
REVENUE = HEADERS.index("营业收入（万元）") + 1
KIND = HEADERS.index("报表类型") + 1
EMPLOYEES = HEADERS.index("从业人员（人）") + 1


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def downloaded(page, locator):
    with page.expect_download() as info:
        locator.click()
    assert info.value.suggested_filename.endswith(".xlsx")
    return load_workbook(io.BytesIO(info.value.path().read_bytes()))


def as_upload(book, name):
    buffer = io.BytesIO()
    book.save(buffer)
    return {
        "name": name,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": buffer.getvalue(),
    }


def fill(sheet, firms):
    """Five annual reports of 2024, one per firm, with the figures a county keeps."""
    for row, firm in enumerate(firms, start=2):
        values = {
            "uscc": firm.uscc, "enterprise_name": firm.name, "year": 2024, "period_kind": "年报",
            "operating_revenue": 2400.5 + row, "main_business_revenue": 2300, "taxes": 96,
            "total_assets": 3600, "employees": 120 + row, "rd_staff": 18, "rd_expense": 110,
            "uses_cloud": "是",
        }
        for column, spec in enumerate(MONITORING_COLUMNS, start=1):
            sheet.cell(row=row, column=column, value=values.get(spec.key))


def test_county_official_imports_monitoring_figures_fixing_three_bad_rows(
    new_page, screenshot, county_user
):
    firms = EnterpriseFactory.create_batch(5)
    page = new_page()
    sign_in(page, county_user.username)

    page.locator("nav.site-nav a[href='/enterprises/imports/']").click()
    expect(page.locator("#import-kind-monitoring")).to_be_visible()
    expect(page.locator("#recent-imports")).to_be_visible()
    screenshot(page, "import-index")

    template = downloaded(page, page.locator("#import-kind-monitoring a[href$='/template/']"))
    sheet = template.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert "填写说明" in template.sheetnames

    fill(sheet, firms)
    sheet.cell(row=3, column=REVENUE, value=-100)  # money may not be negative
    sheet.cell(row=4, column=1, value=make_uscc("620102"))  # no such enterprise
    sheet.cell(row=6, column=EMPLOYEES, value="=100+20")  # a formula
    page.locator("#import-kind-monitoring a.btn-primary").click()
    expect(page.locator("#upload-form")).to_be_visible()
    screenshot(page, "upload")
    page.locator("#upload-form input[type=file]").set_input_files(as_upload(template, "监测.xlsx"))
    page.locator("#upload-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/enterprises/imports/jobs/\d+/$"))
    errors = page.locator("#error-table tbody tr")
    expect(errors).to_have_count(3)
    for index, (row, code) in enumerate((("3", "negative"), ("4", NOT_FOUND), ("6", FORMULA))):
        expect(errors.nth(index)).to_have_attribute("data-code", code)
        expect(errors.nth(index).locator("td").first).to_have_text(row)
    job = ImportJob.objects.get()
    assert MonitoringReport.objects.count() == 0
    screenshot(page, "validation-report")

    annotated = downloaded(page, page.locator("#annotated-download"))
    marked = annotated.worksheets[0]
    headers = [c.value for c in marked[1]]
    assert headers[-1] == ERRORS_HEADER
    notes = len(headers)
    assert marked.cell(row=2, column=notes).value is None
    for error in job.errors:
        assert error["messages"]["zh-hans"] in marked.cell(row=error["row"], column=notes).value
    for row, column in ((3, REVENUE), (4, 1), (6, EMPLOYEES)):
        assert marked.cell(row=row, column=column).fill.fgColor.rgb.endswith("FFC7CE")
    assert not marked.cell(row=2, column=REVENUE).fill.fgColor.rgb.endswith("FFC7CE")

    marked.cell(row=3, column=REVENUE, value=1800)
    marked.cell(row=4, column=1, value=firms[2].uscc)
    marked.cell(row=6, column=EMPLOYEES, value=120)
    fixed = as_upload(annotated, "监测-改.xlsx")
    page.locator("#upload-form input[type=file]").set_input_files(fixed)
    page.locator("#upload-form button[type=submit]").click()

    expect(page.locator("#confirm-import")).to_be_visible()
    expect(page.locator("#import-counts [data-outcome=created] strong")).to_have_text("5")
    assert MonitoringReport.objects.count() == 0
    screenshot(page, "ready-to-confirm")
    page.locator("#confirm-import").click()

    expect(page.locator("#import-result")).to_be_visible()
    expect(page.locator("#import-counts [data-outcome=created] strong")).to_have_text("5")
    screenshot(page, "imported")
    reports = list(MonitoringReport.objects.order_by("enterprise__uscc"))
    assert {r.enterprise_id for r in reports} == {f.pk for f in firms}
    assert {r.status for r in reports} == {ReportStatus.DRAFT}

    page.locator("nav.site-nav a[href='/enterprises/imports/']").click()
    expect(page.locator("#recent-imports tbody tr")).to_have_count(2)
    screenshot(page, "recent-imports")

    # Imported reports are drafts: the official submits each on its page, then verifies them
    # from the county's verification queue.
    for report in reports:
        page.goto(f"/enterprises/monitoring/{report.pk}/")
        page.locator(f"form[action='/enterprises/monitoring/{report.pk}/submit/'] button").click()
        expect(page.locator(f"form[action='/enterprises/monitoring/{report.pk}/submit/']")).to_have_count(0)
    page.goto("/enterprises/monitoring/queue/")
    queue = page.locator("table.queue tbody tr")
    expect(queue).to_have_count(5)
    screenshot(page, "verification-queue")
    for report in reports:
        page.locator(f"#report-{report.pk} form[action$='/verify/'] button").click()
        expect(page.locator(f"#report-{report.pk}")).to_have_count(0)
    assert set(
        MonitoringReport.objects.values_list("status", flat=True)
    ) == {ReportStatus.VERIFIED}
