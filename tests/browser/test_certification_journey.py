"""The certification workflow end to end, driven through Chromium: a county official files,
the city nominates, the province decides with two experts, the public sees the notice and the
certificate verifies.

Pages are located by addresses, names, ids and data attributes rather than their words, which
change when the translations are compiled; where a word is asserted, either language matches.
"""

import datetime
import io
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification.choices import ApplicationStatus, CertificateStatus
from certification.models import Application, Certificate, Notice
from certification.services.experts import expert_create
from certification.services.notices import notice_close
from registry.choices import ReportStatus
from registry.models import MonitoringReport
from tests.factories.accounts import PASSWORD
from tests.factories.applications import PDF_BYTES, open_campaign
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.registry import EnterpriseFactory, region

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

FIRM = "兰州城关精密机械有限公司"
# Points each expert gives the six manual items (I4, I5, I6, I9, I10, I13).
EXPERT_POINTS = {
    "wangjian": {"I4": "4", "I5": "4", "I6": "4", "I9": "12", "I10": "8", "I13": "8"},
    "liuhong": {"I4": "5", "I5": "4", "I6": "3", "I9": "11", "I10": "8", "I13": "6"},
}


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))


def status_badge(page, status):
    return page.locator(f"h1 .application-status.application-{status}")


def act(page, verb):
    page.locator(f'#application-actions button[data-verb="{verb}"]').click()


def firm_with_low_rd_spending(county_user):
    """A sound firm whose verified 2025 report carries R&D spending of 50 万元: C2 (at least
    100 万元 and 3 % of revenue) fails until the county corrects it."""
    firm = EnterpriseFactory(name=FIRM)
    VerifiedAnnualReportFactory(enterprise=firm, created_by=county_user, year=2023,
                                main_business_revenue=D("7200"))
    VerifiedAnnualReportFactory(enterprise=firm, created_by=county_user, year=2024,
                                main_business_revenue=D("8000"), rd_expense=D("500"))
    report = VerifiedAnnualReportFactory(enterprise=firm, created_by=county_user, year=2025,
                                         rd_expense=D("50"))
    return firm, report


def test_an_application_goes_from_county_filing_to_a_verified_certificate(
    new_page, screenshot, county_user, city_user, province_user
):
    firm, report = firm_with_low_rd_spending(county_user)
    campaign = open_campaign(experts_per_application=2)
    for username, name in (("wangjian", "王建"), ("liuhong", "刘红")):
        expert_create(
            actor=province_user, username=username, name=name, employer_name="兰州理工大学",
            region=region("620000"), industries=[firm.industry], password=PASSWORD,
        )

    # --- the county files, sees the pre-check fail on C2 -------------------------------------
    county = new_page()
    sign_in(county, county_user.username)
    county.goto(f"{reverse('certification:application-create')}?campaign={campaign.pk}")
    form = county.locator("#application-form")
    form.locator('input[name="enterprise"]').fill(firm.uscc)
    form.locator('textarea[name="summary"]').fill("有色金属矿山破碎设备细分市场，省内占有率第一")
    form.locator('button[name="check"]').click()
    failing = county.locator('#precheck tr[data-item="C2"]')
    expect(failing).to_have_class(re.compile(r"verdict-fail"))
    expect(failing).to_contain_text("C2「")  # the reason names the condition
    expect(failing).to_contain_text("50")  # and shows the R&D spending it used
    screenshot(county, "precheck-fails")
    form.locator('button.btn-primary[type="submit"]').click()

    application = Application.objects.get(enterprise=firm)
    detail = reverse("certification:application-detail", args=[application.pk])
    expect(county).to_have_url(re.compile(rf"{detail}$"))
    expect(status_badge(county, "draft")).to_be_visible()
    upload = county.locator('form[action$="/attachments/"]')
    upload.locator('select[name="kind"]').select_option("paper_application")
    upload.locator('input[name="file"]').set_input_files(
        {"name": "企业申报书.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    upload.locator('button[type="submit"]').click()
    expect(county.locator("#attachments")).to_contain_text("企业申报书.pdf")
    act(county, "submit")
    expect(county.locator(".messages")).to_contain_text("C2")
    expect(status_badge(county, "draft")).to_be_visible()
    screenshot(county, "submit-refused")

    # --- the county corrects the verified figure and verifies the correction -----------------
    county.goto(reverse("registry:monitoring-detail", args=[report.pk]))
    county.locator('a[href*="/monitoring/new/?period_kind=year&year=2025"]').click()
    county.locator('input[name="rd_expense"]').fill("650")
    county.locator('button[name="submit"]').click()
    expect(county).to_have_url(re.compile(r"/enterprises/monitoring/\d+/$"))
    county.locator('form[action$="/verify/"] button').click()
    correction = MonitoringReport.objects.get(corrects=report)
    assert (correction.status, correction.rd_expense) == (ReportStatus.VERIFIED, D("650"))
    screenshot(county, "correction-verified")

    # --- submitted and reviewed by the county ----------------------------------------------
    county.goto(detail)
    act(county, "submit")
    expect(status_badge(county, "submitted")).to_be_visible()
    expect(county.locator('#precheck tr[data-item="C2"]')).to_have_class(
        re.compile(r"verdict-pass")
    )
    act(county, "review")
    expect(status_badge(county, "county_reviewed")).to_be_visible()
    screenshot(county, "county-reviewed")

    # --- the city nominates ----------------------------------------------------------------
    city = new_page()
    sign_in(city, city_user.username)
    city.goto(detail)
    recommend = city.locator('details[data-verb="recommend"]')
    recommend.locator("summary").click()
    recommend.locator('textarea[name="recommend-opinion"]').fill("申报材料真实完整，同意推荐。")
    recommend.locator('button[type="submit"]').click()
    expect(status_badge(city, "city_recommended")).to_be_visible()
    expect(city.locator("#recommendation-opinion")).to_contain_text("同意推荐")

    # --- the province accepts and draws two experts ------------------------------------------
    province = new_page()
    sign_in(province, province_user.username)
    province.goto(detail)
    act(province, "accept")
    expect(status_badge(province, "province_accepted")).to_be_visible()
    province.locator('a[data-panel-action="draw"]').click()
    province.locator('form.card button[type="submit"]').click()
    expect(province.locator("li[data-drawn]")).to_have_count(2)
    expect(status_badge(province, "under_expert_review")).to_be_visible()
    screenshot(province, "experts-drawn")

    # --- each expert declares no conflict, scores and submits --------------------------------
    for username, points in EXPERT_POINTS.items():
        expert = new_page()
        sign_in(expert, username)
        # An account the province created with a password chooses its own at first sign-in.
        expect(expert).to_have_url(re.compile(r"/accounts/password/$"))
        change = expert.locator(f'form[action="{reverse("password_change")}"]')
        change.locator('input[name="old_password"]').fill(PASSWORD)
        change.locator('input[name="new_password1"]').fill("Zjtx-Expert-2026")
        change.locator('input[name="new_password2"]').fill("Zjtx-Expert-2026")
        change.locator('button[type="submit"]').click()
        expect(expert).not_to_have_url(re.compile(r"/accounts/password/$"))
        expert.goto(reverse("certification:assignment-list"))
        expert.get_by_role("link", name=FIRM).click()
        expert.locator('#declaration input[name="conflict"][value="none"]').check()
        expert.locator('#declaration button[type="submit"]').click()
        scoring = expert.locator("#scoring")
        for code, value in points.items():
            scoring.locator(f'input[name="{code}.points"]').fill(value)
            scoring.locator(f'textarea[name="{code}.evidence"]').fill(f"{code} 依据申报材料评定")
        scoring.locator('button[name="submit"]').click()
        expect(expert).to_have_url(re.compile(r"/assignments/\d+/submit/$"))
        expect(expert.locator("#sheet-total")).to_be_visible()
        expert.locator('main form[method="post"] button.btn-primary').click()
        expect(expert.locator("#sheet-status")).to_have_class(re.compile(r"sheet-submitted"))
        screenshot(expert, f"sheet-{username}")
        expert.context.close()

    # --- the province approves on the panel score --------------------------------------------
    province.goto(detail)
    province.locator('a[data-panel-action="decide"]').click()
    application.refresh_from_db()
    expect(province.locator("#panel-score")).to_have_text(str(application.panel_score))
    assert application.panel_score >= 60
    screenshot(province, "decision")
    province.locator('#approve button[type="submit"]').click()
    expect(status_badge(province, "approved")).to_be_visible()

    # --- the province publishes the notice ---------------------------------------------------
    province.goto(f"{reverse('certification:notice-create')}?campaign={campaign.pk}")
    publish = province.locator('main form.card[method="post"]')
    publish.locator(f'input[name="applications"][value="{application.pk}"]').check()
    publish.locator('input[name="title"]').fill("2026年省级专精特新中小企业拟认定名单公示")
    publish.locator('input[name="contact_person"]').fill("李明")
    publish.locator('input[name="telephone"]').fill("0931-8468123")
    publish.locator('button[type="submit"]').click()
    notice = Notice.objects.get(campaign=campaign)
    expect(province).to_have_url(re.compile(rf"/certification/notices/{notice.pk}/$"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PUBLIC_NOTICE

    # --- anyone sees the firm on the public notice page, without signing in -----------------
    public = new_page()
    public.goto(reverse("public:notice-list"))
    public.locator(f'a[href="{reverse("public:notice-detail", args=[notice.pk])}"]').click()
    expect(public.locator("table.notice-firms")).to_contain_text(FIRM)
    expect(public.locator("table.notice-firms")).to_contain_text(firm.uscc)
    expect(public.locator("#objection form")).to_be_visible()
    screenshot(public, "public-notice")

    # The notice starts today and runs five working days. The daily Celery task that closes
    # it is tested with the notices; here the service is told the day after the last one, as
    # that task would run then.
    notice_close(
        actor=province_user, notice=notice, today=notice.ends_on + datetime.timedelta(days=1)
    )

    # --- the certificate downloads as a PDF with the firm's name -----------------------------
    certificate = Certificate.objects.get(application=application)
    province.goto(detail)
    expect(status_badge(province, "certified")).to_be_visible()
    province.locator(".application-certification a", has_text=certificate.number).click()
    expect(province).to_have_url(re.compile(rf"/certificates/{certificate.pk}/$"))
    screenshot(province, "certificate")
    with province.expect_download() as download:
        province.locator(f'a[href$="/certificates/{certificate.pk}/pdf/"]').click()
    content = open(download.value.path(), "rb").read()
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert FIRM in text and certificate.number in text

    # --- and its public verification page says valid ---------------------------------------
    public.goto(reverse("public:verify", args=[certificate.number]))
    result = public.locator(".verify-result")
    expect(result).to_have_class(re.compile(r"verify-active"))
    expect(result.locator("h2")).to_contain_text(re.compile("有效|Valid"))
    expect(result).to_contain_text(FIRM)
    screenshot(public, "verification")
    assert certificate.status == CertificateStatus.ACTIVE
