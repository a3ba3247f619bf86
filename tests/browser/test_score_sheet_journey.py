"""An expert scores from the score sheet, driven through Chromium in Chinese: opens the sheet
from the menu, declares no conflict, reads each criterion's tiers and the figures used, opens
the county's evidence, scores the manual items beside what the county declared, and submits.

Saves test-artifacts/score-sheet.png: the filled-in sheet as the expert sees it before saving.
"""

import re
from decimal import Decimal as D

import pytest

from certification.choices import ApplicationStatus, AssignmentStatus, AttachmentKind
from certification.models import ExpertAssignment, RuleSet
from certification.services.evaluations import evaluation_run
from certification.services.experts import experts_draw
from tests.browser.conftest import ARTIFACTS
from tests.factories.accounts import PASSWORD
from tests.factories.applications import ApplicationFactory, AttachmentFactory, CampaignFactory
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.experts import ExpertFactory
from tests.factories.registry import EnterpriseFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECLARED = {
    "I4": {"points": 3, "evidence": "列入省装备制造产业链配套企业名单（附件2）"},
    "I5": {"value": 2, "evidence": "中小企业数字化水平评测报告：二级"},
    "I6": {"value": 2, "evidence": "ISO 9001 证书；自主商标注册证"},
    "I9.1": {"points": 6, "evidence": "主导产品为兰州市重点发展的装备制造（矿山机械）"},
    "I9.2": {"points": 3, "evidence": "主要原料为金昌有色金属"},
    "I9.3": {"points": 4, "evidence": "高锰钢衬板铸造工艺发明专利（附件3）"},
    "I10": {"points": 6, "evidence": "发明专利证书 ZL2021 1 0234567.8"},
    "I13": {"points": 8, "evidence": "省级企业技术中心认定文件"},
    "D1": {"met": False, "evidence": "近三年无科技奖励"},
    "D4": {"met": False, "evidence": "未参加创客中国大赛"},
    "V4": {"met": False, "evidence": "信用中国查询截图"},
    "V5": {"met": False, "evidence": "税务部门无违法记录证明"},
}
# What the expert gives each manual item, with what the points rest on.
SCORES = {
    "I4": ("3", "配套名单属实"),
    "I5": ("3", "评测报告二级"),
    "I6": ("5", "两项：ISO 9001、自主品牌"),
    "I9.1": ("6", "装备制造，属兰州市重点产业"),
    "I9.2": ("3", "利用本地有色金属资源"),
    "I9.3": ("4", "工艺有发明专利"),
    "I10": ("6", "Ⅰ类知识产权1项"),
    "I13": ("8", "省级企业技术中心"),
}


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))


def filed_application(county_user):
    """A 兰州 firm's application under the Gansu rule set, accepted by the province, with the
    evaluation stored at submission, the county's manual entries and two evidence files."""
    firm = EnterpriseFactory(name="兰州高原矿山机械有限公司", niche_market="矿山破碎设备耐磨衬板",
                             main_products="高锰钢破碎机衬板")
    for year, revenue, rd in ((2023, "7200", "450"), (2024, "8000", "500"), (2025, "9000", "412")):
        VerifiedAnnualReportFactory(enterprise=firm, created_by=county_user, year=year,
                                    main_business_revenue=D(revenue), rd_expense=D(rd))
    gansu = RuleSet.objects.get(code="gansu-2026-zjtx")
    evaluation = evaluation_run(actor=county_user, enterprise=firm, ruleset=gansu,
                                manual_inputs=DECLARED, year=2025)
    application = ApplicationFactory(
        campaign=CampaignFactory(ruleset=gansu, title="2026年省级专精特新中小企业认定第1批"),
        enterprise=firm, status=ApplicationStatus.PROVINCE_ACCEPTED, manual_inputs=DECLARED,
        evaluation=evaluation, created_by=county_user,
        summary="矿山破碎设备耐磨衬板细分领域，主导产品高锰钢破碎机衬板。",
    )
    AttachmentFactory(application=application, original_name="企业申报书.pdf")
    AttachmentFactory(application=application, kind=AttachmentKind.IP,
                      original_name="发明专利证书.pdf", sha256="2" * 64)
    return application


def test_an_expert_scores_from_the_sheet_and_submits(
    new_page, screenshot, county_user, province_user
):
    application = filed_application(county_user)
    for _ in range(3):
        ExpertFactory()
    draw = experts_draw(actor=province_user, application=application, seed="sheet")
    sheet = draw.assignments.order_by("id").first()

    page = new_page()
    sign_in(page, sheet.expert.user.username)
    page.locator("nav").get_by_role("link", name="评分表").click()
    page.locator(f'[data-sheet="{sheet.pk}"] a').first.click()
    page.get_by_label("本人与该申报企业不存在利益冲突").check()
    page.locator("#declaration button[type=submit]").click()

    document = page.locator("#score-sheet")
    expect(document).to_contain_text("专精特新中小企业认定标准（甘肃省2026年版）")
    # The tiers of an automatic indicator, with the one reached marked, and its figures.
    i7 = page.locator('tr[data-item="I7"]')
    expect(i7).to_contain_text("10.0%及以上")
    expect(i7).to_contain_text("10 分")
    expect(i7.locator(".tiers li.marked")).to_have_count(1)
    expect(i7).to_contain_text("上年度净利润率")
    expect(i7).to_contain_text("计分")
    expect(page.locator('tr[data-item="I11"]')).to_contain_text("万元")
    expect(page.locator('tr[data-item="C2"]')).to_contain_text("符合")
    # The local indicators with their tiers, and what the county declared beside them.
    i92 = page.locator('tr[data-item="I9.2"]')
    expect(i92).to_contain_text("利用特色资源，弘扬传统技艺和地域文化")
    expect(i92).to_contain_text("利用本地特色资源，并传承传统技艺或地域文化")
    expect(i92).to_contain_text("主要原料为金昌有色金属")
    expect(i92.locator(".tiers li.marked")).to_contain_text("县区申报档次")
    # The evidence opens from beside the item.
    link = page.locator('tr[data-item="I10"] .evidence-links a', has_text="发明专利证书.pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")

    for code, (points, evidence) in SCORES.items():
        page.locator(f'[name="{code}.points"]').fill(points)
        page.locator(f'[name="{code}.evidence"]').fill(evidence)
    page.get_by_label("总体意见").fill("材料齐全，特色化指标依据充分。")
    page.screenshot(path=str(ARTIFACTS / "score-sheet.png"), full_page=True)
    screenshot(page, "score-sheet-filled")

    page.locator("button[name=submit]").click()
    expect(page).to_have_url(re.compile(rf"/assignments/{sheet.pk}/submit/$"))
    total = page.locator("#sheet-total").inner_text()
    screenshot(page, "confirm")
    page.get_by_role("button", name="确认提交").click()

    sheet = ExpertAssignment.objects.get(pk=sheet.pk)
    assert sheet.status == AssignmentStatus.SUBMITTED
    assert str(sheet.total) == total
    assert sheet.scores["I9.2"] == {"points": "3.0", "evidence": "利用本地有色金属资源"}
    expect(page.locator('tr[data-item="I9.3"] .awarded')).to_have_text("4.0")
    screenshot(page, "submitted")

    # The same sheet in English: the rules' English wording, verdicts and units.
    page.locator('.lang-switch button[value="en"]').click()
    expect(document).to_contain_text(
        "Specialised and innovative SME recognition standard, Gansu edition (2026)"
    )
    expect(page.locator('tr[data-item="I9.2"]')).to_contain_text(
        "Uses local resources and carries on traditional crafts or regional culture"
    )
    expect(page.locator('tr[data-item="I7"]')).to_contain_text("10.0% or more")
    expect(page.locator('tr[data-item="C2"]')).to_contain_text("Met")
    page.screenshot(path=str(ARTIFACTS / "score-sheet-en.png"), full_page=True)
