"""The certification pages of issue 11 parts 8 and 9 in Chromium, as the officials who use
them: the province on an application page with the opinion, panel score and decision and on a
notice's print version; the county picking a firm by type-ahead; the city on its
recommendation summary. Screenshots go to test-artifacts/."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.choices import ApplicationStatus as S
from certification.choices import Verb
from certification.models import ApplicationTransition
from certification.services.applications import application_recommend
from tests.factories.accounts import PASSWORD
from tests.factories.applications import ApplicationFactory, open_campaign
from tests.factories.certificates import CertificateFactory, NoticeFactory
from tests.factories.registry import EnterpriseFactory, region

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRM = "兰州城关精密机械有限公司"
OPINION = "主导产品有色金属矿山破碎设备省内市场占有率第一，研发投入强度高，同意推荐。"


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))


def decided_application(city_user, province_user):
    campaign = open_campaign(title="2026年省级专精特新中小企业认定第一批")
    application = ApplicationFactory(
        campaign=campaign, status=S.COUNTY_REVIEWED, enterprise=EnterpriseFactory(name=FIRM)
    )
    application_recommend(actor=city_user, application=application, opinion=OPINION)
    application.refresh_from_db()
    application.status = S.APPROVED
    application.panel_score, application.panel_spread = D("81.5"), D("7.0")
    application.decision_score = D("81.5")
    application.save()
    ApplicationTransition.objects.create(
        application=application, verb=Verb.APPROVE, from_status=S.UNDER_EXPERT_REVIEW,
        to_status=S.APPROVED, actor=province_user,
    )
    return application


def test_the_province_reads_the_opinion_and_decision_and_prints_a_notice(
    new_page, screenshot, city_user, province_user
):
    application = decided_application(city_user, province_user)
    today = timezone.localdate()
    notice = NoticeFactory(
        campaign=application.campaign, title="2026年省级专精特新中小企业拟认定名单公示",
        body="根据《甘肃省优质中小企业梯度培育管理实施细则》，经企业申报、市州推荐、专家评审，"
             "拟认定以下企业为2026年甘肃省专精特新中小企业，现予以公示。",
        starts_on=today, ends_on=today + datetime.timedelta(days=6), published_on=today,
    )
    for name, county in ((FIRM, "620102"), ("兰州七里河新材料有限公司", "620103"),
                         ("天水秦州电子科技有限公司", "620502")):
        ApplicationFactory(
            campaign=notice.campaign, status=S.PUBLIC_NOTICE, notice=notice,
            enterprise=EnterpriseFactory(name=name, region=region(county)),
        )

    province = new_page()
    sign_in(province, province_user.username)
    province.goto(reverse("certification:application-detail", args=[application.pk]))
    expect(province.locator("#recommendation-opinion")).to_contain_text(OPINION)
    expect(province.locator("#application-panel-score")).to_have_text("81.5")
    expect(province.locator("#application-decision")).to_have_attribute(
        "data-decision", "approved"
    )
    screenshot(province, "application-opinion-decision")

    province.goto(reverse("certification:notice-detail", args=[notice.pk]))
    expect(province.locator("[data-phase=running]").first).to_have_text("公示中")
    province.locator('a[data-action="print"]').click()
    document = province.locator("#notice-document")
    expect(document).to_contain_text("天水秦州电子科技有限公司")
    expect(document.locator('[data-field="issuer"]')).to_have_text("甘肃省工业和信息化厅")
    expect(document.locator('[data-field="contact"]')).to_contain_text("0931-8468123")
    screenshot(province, "notice-print-screen")
    province.emulate_media(media="print")
    expect(province.locator(".document-toolbar")).to_be_hidden()
    screenshot(province, "notice-print-media")


def test_the_county_picks_a_firm_by_typing_part_of_its_name(
    new_page, screenshot, county_user
):
    campaign = open_campaign()
    firm = EnterpriseFactory(name=FIRM)
    EnterpriseFactory(name="兰州城关精密仪表有限公司")
    outside = EnterpriseFactory(name="天水秦州精密电子有限公司", region=region("620502"))

    county = new_page()
    sign_in(county, county_user.username)
    county.goto(f"{reverse('certification:application-create')}?campaign={campaign.pk}")
    field = county.locator('input[name="enterprise"]')
    field.press_sequentially("精密", delay=50)
    options = county.locator(".firm-options [role=option]")
    expect(options).to_have_count(2)
    expect(county.locator(".firm-options")).not_to_contain_text(outside.name)
    screenshot(county, "firm-picker-options")
    options.filter(has_text=FIRM).click()
    expect(field).to_have_value(firm.uscc)
    expect(county.locator(".firm-chosen")).to_contain_text(FIRM)


def test_the_city_reads_its_recommendation_summary_and_the_status_checkboxes(
    new_page, screenshot, city_user, province_user
):
    application = decided_application(city_user, province_user)
    certificate = CertificateFactory(enterprise=EnterpriseFactory(name="兰州七里河新材料有限公司"))

    city = new_page()
    sign_in(city, city_user.username)
    city.goto(
        f"{reverse('certification:recommendation-summary')}?campaign={application.campaign.pk}"
    )
    expect(city.locator("#document")).to_contain_text(OPINION)
    expect(city.locator("#document")).to_contain_text("兰州市工业和信息化局")
    screenshot(city, "recommendation-summary")
    city.goto(reverse("certification:application-list"))
    expect(city.locator(".filter-checkboxes input[type=checkbox]")).to_have_count(len(S))
    screenshot(city, "status-checkboxes")

    province = new_page()
    sign_in(province, province_user.username)
    province.goto(reverse("certification:certificate-detail", args=[certificate.pk]))
    province.locator('a[data-action="revoke"]').click()
    expect(province.locator("#revoke-confirmation")).to_contain_text("兰州七里河新材料有限公司")
    expect(province.locator('#revoke-confirmation input[name="confirm"]')).not_to_be_checked()
    screenshot(province, "revoke-confirmation")
