"""A county officer files a financing need, the province puts it to a matching event and
records a granted loan, and the firm's page shows it; a bank reads the shared need. Driven
through Chromium; pages are located by addresses, names and ids rather than their words."""

import re

import pytest
from django.utils import timezone

from accounts.choices import Role
from financing.models import FinancingNeed, MatchingEvent
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.financing import institution
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
    page.context.clear_cookies()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_a_need_is_filed_matched_granted_and_shown_on_the_firm_page(
    new_page, screenshot, county_user, province_user
):
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    banker = UserFactory(username="bank1", role=Role.INSTITUTION_STAFF, region=None)
    bank = institution(staff=[banker])
    page = new_page()

    # The county officer files the need from the firm's page.
    sign_in(page, county_user.username)
    page.goto(f"/enterprises/{firm.uscc}/")
    page.locator("#file-need").click()
    page.locator('select[name="kind"]').select_option("loan")
    page.locator('input[name="amount"]').fill("800")
    page.locator('input[name="term_months"]').fill("36")
    page.locator('input[name="purpose"]').fill("新建数控加工生产线")
    page.locator('input[name="collateral"]').fill("厂房及土地使用权")
    page.locator('input[name="agreed_to_share"]').check()
    screenshot(page, "need-form")
    page.locator('#financing-form button[type="submit"]').click()
    need = FinancingNeed.objects.get()
    expect(page).to_have_url(re.compile(rf"/financing/needs/{need.pk}/$"))
    expect(page.locator("#need-status")).to_have_text(re.compile("已登记|Filed"))
    screenshot(page, "need-detail-filed")
    page.goto("/financing/needs/import/")
    screenshot(page, "need-import")

    # The province organises the event, invites the bank and puts the need to it.
    sign_in(page, province_user.username)
    page.locator("#nav-financing").click()
    screenshot(page, "need-list-province")
    page.goto("/financing/events/new/")
    page.locator('input[name="title"]').fill("甘肃省专精特新中小企业银企对接会")
    page.locator('input[name="held_on"]').fill(timezone.localdate().isoformat())
    page.locator(f'input[name="institutions"][value="{bank.pk}"]').check()
    page.locator('#financing-form button[type="submit"]').click()
    event = MatchingEvent.objects.get()
    expect(page).to_have_url(re.compile(rf"/financing/events/{event.pk}/$"))
    page.locator(f'#put-needs input[name="needs"][value="{need.pk}"]').check()
    page.locator('#put-needs button[type="submit"]').click()
    outcome = event.outcomes.get()

    # The bank reports contact, then the loan it granted.
    page.locator(f"#outcome-{outcome.pk}-contact-open").click()
    contact = page.locator(f"#outcome-{outcome.pk}-contact")
    contact.locator("select").select_option(str(bank.pk))
    contact.locator('button[type="submit"]').click()
    page.locator(f"#outcome-{outcome.pk}-grant-open").click()
    grant = page.locator(f"#outcome-{outcome.pk}-grant")
    grant.locator('input[name$="granted_amount"]').fill("800")
    grant.locator('input[name$="-rate"]').fill("3.45")
    screenshot(page, "event-grant-form")
    grant.locator('button[type="submit"]').click()
    expect(page.locator(f'article[data-outcome="{outcome.pk}"] .badge')).to_have_text(
        re.compile("已获批|Granted")
    )
    screenshot(page, "event-detail-granted")
    need.refresh_from_db()
    assert need.status == "met"

    # The firm's page shows the need met and the loan.
    page.goto(f"/enterprises/{firm.uscc}/")
    section = page.locator("#financing-needs")
    expect(section).to_contain_text("3.45")
    expect(section).to_contain_text("中国工商银行")
    screenshot(page, "enterprise-financing")

    page.goto("/financing/report/")
    expect(page.locator("#by-institution")).to_contain_text("中国工商银行")
    screenshot(page, "report")

    # The province keeps the credit-cultivation list and its star ratings.
    page.goto("/financing/credit/admit/")
    page.locator('input[name="enterprise"]').fill(firm.uscc)
    page.locator('#financing-form button[type="submit"]').click()
    page.goto("/financing/credit/rate/")
    page.locator('input[name="enterprise"]').fill(firm.uscc)
    page.locator('input[name="year"]').fill(str(timezone.localdate().year - 1))
    page.locator('select[name="stars"]').select_option("4")
    page.locator('input[name="rating_body"]').fill("甘肃省中小企业信用评价中心")
    page.locator('#financing-form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/financing/credit/$"))
    expect(page.locator("table")).to_contain_text("★★★★")
    screenshot(page, "credit-list")

    # The bank reads the shared need, and nothing of the registry.
    sign_in(page, banker.username)
    page.locator("#nav-financing").click()
    expect(page.locator(f'tr[data-need="{need.pk}"]')).to_contain_text(firm.name)
    screenshot(page, "need-list-bank")
