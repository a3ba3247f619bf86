"""A county officer fixes a monitoring row with four bad cells in one round, through Chromium.

The officer downloads the template pre-filled with the county's firms and the period, types the
figures, and uploads it with four mistakes in one row. The report lists all four at once, each
with its row and column, so one correction and a second upload are enough. Errors are asserted
by their codes and cells; the screenshot test-artifacts/import-errors.png shows the report.
"""

import io
import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from registry.choices import ReportStatus
from registry.imports import MONITORING_COLUMNS
from registry.models import ImportJob, MonitoringReport
from tests.browser.conftest import ARTIFACTS
from tests.factories.accounts import PASSWORD
from tests.factories.registry import EnterpriseFactory, region

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

KEYS = [c.key for c in MONITORING_COLUMNS]


def column(key):
    """The 1-based column of the monitoring template's ``key``."""
    return KEYS.index(key) + 1


def letter(key):
    return get_column_letter(column(key))


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def as_upload(book, name):
    buffer = io.BytesIO()
    book.save(buffer)
    return {
        "name": name,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": buffer.getvalue(),
    }


def upload(page, book, name):
    page.locator("#upload-form input[type=file]").set_input_files(as_upload(book, name))
    page.locator("#upload-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/enterprises/imports/jobs/\d+/$"))


GOOD = {
    "operating_revenue": 2400.5, "main_business_revenue": 2300, "taxes": 96,
    "total_assets": 3600, "employees": 120, "rd_staff": 18, "rd_expense": 110, "cnc_ratio": 62.5,
}
# Four mistakes in one row: a cell the reader refuses, two the figure rules refuse, and a period
# only the period rules can judge.
BAD = {"period": 13, "operating_revenue": "两千四", "employees": -5, "cnc_ratio": 120}
EXPECTED = {
    letter("period"): "period_out_of_range",
    letter("operating_revenue"): "not_a_number",
    letter("employees"): "not_a_count",
    letter("cnc_ratio"): "not_a_percentage",
}


def test_county_officer_sees_all_four_errors_of_a_row_at_once_and_fixes_them_in_one_round(
    new_page, county_user
):
    firms = sorted(EnterpriseFactory.create_batch(2), key=lambda f: f.uscc)
    EnterpriseFactory(region=region("620103"))  # another county's firm: not in the template
    page = new_page()
    sign_in(page, county_user.username)
    page.locator("nav.site-nav a[href='/enterprises/imports/']").click()

    # The template comes with the county's firms and the period (the month just ended).
    form = page.locator("#prefilled-template")
    expect(form).to_be_visible()
    with page.expect_download() as download:
        form.locator("#prefilled-download").click()
    assert re.search(r"\d{4}年\d{1,2}月\.xlsx$", download.value.suggested_filename)
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.worksheets[0]
    listed = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=2)]
    assert listed == [(firm.uscc, firm.name) for firm in firms]
    month = sheet.cell(row=2, column=column("period")).value
    assert sheet.cell(row=2, column=column("period_kind")).value == "月报"

    for row in (2, 3):
        for key, value in GOOD.items():
            sheet.cell(row=row, column=column(key), value=value)
    for key, value in BAD.items():
        sheet.cell(row=3, column=column(key), value=value)
    page.locator("#import-kind-monitoring a.btn-primary").click()
    upload(page, book, "监测.xlsx")

    errors = page.locator("#error-table tbody tr")
    expect(errors).to_have_count(4)
    seen = {}
    for index in range(4):
        error = errors.nth(index)
        expect(error.locator("td").first).to_have_text("3")
        seen[error.get_attribute("data-column")] = error.get_attribute("data-code")
        # Row, column (letter and Chinese header, named once) and a Chinese message.
        header = MONITORING_COLUMNS[KEYS.index(next(
            k for k in KEYS if letter(k) == error.get_attribute("data-column")
        ))].header
        expect(error.locator("td").nth(1)).to_have_text(
            f"{error.get_attribute('data-column')} · {header}"
        )
    assert seen == EXPECTED
    job = ImportJob.objects.get()
    for stored in job.errors:
        expect(page.locator("#error-table")).to_contain_text(stored["messages"]["zh-hans"])
        assert re.search(r"[\u4e00-\u9fff]", stored["messages"]["zh-hans"])
    assert MonitoringReport.objects.count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#validation-report").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "import-errors.png"), full_page=True)

    # One round of corrections, then the second upload passes.
    sheet.cell(row=3, column=column("period"), value=month)
    for key in ("operating_revenue", "employees", "cnc_ratio"):
        sheet.cell(row=3, column=column(key), value=GOOD[key])
    upload(page, book, "监测-改.xlsx")

    expect(page.locator("#confirm-import")).to_be_visible()
    expect(page.locator("#import-counts [data-outcome=created] strong")).to_have_text("2")
    page.locator("#confirm-import").click()
    expect(page.locator("#import-result")).to_be_visible()
    reports = MonitoringReport.objects.order_by("enterprise__uscc")
    assert [r.enterprise_id for r in reports] == [firm.pk for firm in firms]
    assert {(r.period_kind, r.period, r.status) for r in reports} == {
        ("month", month, ReportStatus.DRAFT)
    }
