"""An official's day in the registry, driven through Chromium."""

import re
import shutil

import pytest

from registry.models import Enterprise
from tests.browser.conftest import ARTIFACTS
from tests.factories.accounts import PASSWORD
from tests.factories.registry import EnterpriseFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

# The live server answers from its own thread, so the data must be committed: a transactional
# database, reloaded with the regions and industries of the data migration before each test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WRONG_CHECK_CODE = "91620105MA71T4YW8R"
CORRECT_CODE = "91620105MA71T4YW8Q"
NAME = "兰州新材料科技有限公司"


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_county_official_registers_an_enterprise_that_another_city_cannot_open(
    new_page, screenshot, county_user, other_city_user
):
    EnterpriseFactory(name="兰州城关精密机械有限公司")
    page = new_page()

    page.goto("/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    screenshot(page, "login")
    sign_in(page, county_user.username)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main")).to_contain_text(county_user.full_name)
    expect(page.locator("main")).to_contain_text("县区工信部门")
    expect(page.locator("main")).to_contain_text("兰州市 城关区")
    screenshot(page, "home")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业名录").click()
    expect(page.get_by_role("heading", name="企业名录")).to_be_visible()
    expect(page.locator("#enterprise-results")).to_contain_text("共 1 家企业")
    screenshot(page, "enterprise-list")

    page.get_by_role("link", name="登记企业").click()
    expect(page.get_by_role("heading", name="登记企业")).to_be_visible()
    screenshot(page, "enterprise-form")
    page.get_by_label("统一社会信用代码").fill(WRONG_CHECK_CODE)
    page.get_by_label("企业名称").fill(NAME)
    page.get_by_label("法定代表人").fill("李娜")
    page.get_by_label("成立日期").fill("2015-03-01")
    expect(page.get_by_label("所属地区")).to_have_value(str(county_user.region_id))
    page.get_by_label("所属行业").select_option(label="C35 专用设备制造业")
    page.get_by_label("主导产品").fill("稀土永磁材料")
    page.get_by_label("细分市场").fill("稀土永磁电机转子")
    page.get_by_role("button", name="保存").click()

    uscc_field = page.locator(".field", has=page.get_by_label("统一社会信用代码"))
    expect(uscc_field.locator(".errorlist")).to_contain_text(
        "统一社会信用代码校验位错误：第18位应为 Q，实际为 R。"
    )
    expect(page.get_by_label("企业名称")).to_have_value(NAME)
    assert not Enterprise.objects.filter(name=NAME).exists()
    screenshot(page, "enterprise-form-error")

    page.get_by_label("统一社会信用代码").fill(CORRECT_CODE)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/enterprises/{CORRECT_CODE}/$"))
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("企业已登记")
    expect(page.locator(".history")).to_contain_text(county_user.full_name)
    screenshot(page, "enterprise-detail")
    detail_path = f"/enterprises/{CORRECT_CODE}/"

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业名录").click()
    expect(page.locator("#enterprise-results")).to_contain_text("共 2 家企业")
    page.get_by_label("搜索").fill("新材料")
    # htmx swaps the results in place and puts the filter in the address bar.
    expect(page).to_have_url(re.compile(r"/enterprises/\?.*search=%E6%96%B0%E6%9D%90%E6%96%99"))
    results = page.locator("#enterprise-results")
    expect(results).to_contain_text("共 1 家企业")
    expect(results.get_by_role("link", name=NAME)).to_be_visible()
    expect(results).not_to_contain_text("兰州城关精密机械有限公司")
    screenshot(page, "enterprise-list-search")

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    tianshui = new_page()
    sign_in(tianshui, other_city_user.username)
    expect(tianshui.locator("main")).to_contain_text("天水市")
    response = tianshui.goto(detail_path)
    assert response.status == 404
    expect(tianshui.get_by_role("heading", name="未找到")).to_be_visible()
    expect(tianshui.locator("body")).not_to_contain_text(NAME)
    screenshot(tianshui, "not-found-for-tianshui")


def test_sorting_and_paging_keep_the_filter(new_page, screenshot, city_user):
    EnterpriseFactory.create_batch(55, name="兰州测试制造有限公司")
    EnterpriseFactory(name="兰州另一家公司")
    page = new_page()
    sign_in(page, city_user.username)
    page.goto("/enterprises/")
    page.get_by_label("搜索").fill("测试制造")
    expect(page.locator("#enterprise-results")).to_contain_text("共 55 家企业")

    page.get_by_role("link", name="统一社会信用代码").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("统一社会信用代码")
    expect(page).to_have_url(re.compile(r"ordering=uscc"))
    codes = page.locator("#enterprise-results tbody td.mono").all_inner_texts()
    assert codes == sorted(codes) and len(codes) == 50

    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"cursor="))
    expect(page.get_by_role("navigation", name="分页")).to_contain_text("第 2 页")
    screenshot(page, "enterprise-list-page-2")
    expect(page.locator("#enterprise-results tbody tr")).to_have_count(5)
    assert "search=" in page.url and "ordering=uscc" in page.url
    # A new filter keeps the sort order chosen by the header and starts again at page 1.
    page.get_by_label("状态").select_option(label="正常")
    expect(page).to_have_url(re.compile(r"is_active=true"))
    assert "ordering=uscc" in page.url and "cursor=" not in page.url
    screenshot(page, "enterprise-list-sorted")


def test_the_filter_works_without_javascript(new_page, screenshot, county_user):
    EnterpriseFactory(name="兰州城关精密机械有限公司")
    EnterpriseFactory(name="兰州城关食品有限公司")
    page = new_page(java_script_enabled=False)
    sign_in(page, county_user.username)
    page.goto("/enterprises/")
    page.get_by_label("搜索").fill("食品")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"search=%E9%A3%9F%E5%93%81"))
    expect(page.locator("#enterprise-results")).to_contain_text("共 1 家企业")
    expect(page.locator("#enterprise-results")).to_contain_text("兰州城关食品有限公司")
    screenshot(page, "enterprise-list-no-js")


@pytest.mark.parametrize(
    "path", ["/", "/enterprises/", "/enterprises/new/"], ids=["home", "list", "form"]
)
def test_pages_fit_a_tablet_without_sideways_scrolling(new_page, screenshot, city_user, path):
    EnterpriseFactory(name="兰州城关精密机械有限公司")
    page = new_page(viewport={"width": 820, "height": 1180})
    sign_in(page, city_user.username)
    page.goto(path)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot(page, f"tablet-{path.strip('/').replace('/', '-') or 'home'}")


def test_a_certified_firms_page_tells_its_story_first(new_page, screenshot, county_user):
    from certification.choices import ApplicationStatus
    from tests.factories.applications import ApplicationFactory
    from tests.factories.certificates import CertificateFactory
    from tests.factories.certification import VerifiedAnnualReportFactory
    from tests.factories.pool import PoolEntryFactory
    from tests.factories.subsidies import EntitlementFactory

    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    PoolEntryFactory(enterprise=firm)
    application = ApplicationFactory(enterprise=firm, status=ApplicationStatus.CERTIFIED)
    certificate = CertificateFactory(enterprise=firm, application=application)
    EntitlementFactory(enterprise=firm)
    VerifiedAnnualReportFactory(enterprise=firm, created_by=county_user)

    page = new_page()
    sign_in(page, county_user.username)
    page.goto(f"/enterprises/{firm.uscc}/")
    story = page.locator("#certification")
    expect(story).to_contain_text(certificate.number)
    expect(story).to_contain_text("有效")
    expect(story).to_contain_text("已认定")
    expect(page.locator("#pool-entries")).to_contain_text("专精特新培育库")
    # The certificate is in view without scrolling past the registration details.
    registration = page.locator("#registration").bounding_box()
    assert story.bounding_box()["y"] < registration["y"]
    shot = screenshot(page, "firm-page")
    shutil.copy(shot, ARTIFACTS / "firm-page.png")
    page.get_by_role("link", name=certificate.number).click()
    expect(page).to_have_url(re.compile(rf"/certification/certificates/{certificate.pk}/$"))
