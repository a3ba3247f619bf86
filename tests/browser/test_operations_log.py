"""The auditor reads the operations log in Chromium: who signed in, who failed, what was
exported, filtered by kind without a page reload; and a user forced to change a password."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories.accounts import PASSWORD

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEW_PASSWORD = "Lanzhou-Huanghe-2027"


def sign_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("form").get_by_role("button", name="登录").click()


def test_the_auditor_filters_the_operations_log(new_page, county_user, auditor_user):
    county = new_page()
    sign_in(county, county_user.username, "not-the-password")
    expect(county.locator(".alert-error")).to_be_visible()
    sign_in(county, county_user.username)
    expect(county).to_have_url(re.compile(r"/$"))
    county.goto("/enterprises/")
    with county.expect_download():
        county.locator("#enterprise-export").click()

    page = new_page()
    sign_in(page, auditor_user.username)
    expect(page.locator("#menu-last-sign-in")).to_be_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="操作日志").click()
    expect(page.get_by_role("heading", name="操作日志")).to_be_visible()
    results = page.locator("#operation-results")
    expect(results).to_contain_text("登录失败")
    expect(results).to_contain_text("导出")
    expect(results).to_contain_text("127.0.0.1")

    page.get_by_label("类型", exact=True).select_option(label="登录失败")
    expect(page).to_have_url(re.compile(r"kind=sign_in_failed"))
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text(county_user.full_name)
    page.get_by_label("类型", exact=True).select_option(value="")
    expect(results.locator("tbody tr[data-kind='export']")).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "operations-log.png"), full_page=True)


def test_a_temporary_password_is_replaced_at_first_sign_in(new_page, county_user):
    county_user.must_change_password = True
    county_user.save()
    page = new_page()
    sign_in(page, county_user.username)
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.get_by_role("alert")).to_contain_text("管理员")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(re.compile(r"/accounts/me/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/$"))
