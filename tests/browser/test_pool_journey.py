"""A city official works the cultivation pool, driven through Chromium.

Pool pages are located by addresses, names and ids rather than their words, which change when
the translations are compiled.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.choices import PoolKind, PoolTier
from registry.models import PoolEntry
from registry.services import pool_entry_admit, target_set
from tests.factories.accounts import PASSWORD
from tests.factories.pool import verified_annual
from tests.factories.registry import EnterpriseFactory, region

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

THIS_YEAR = timezone.localdate().year


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_city_official_promotes_a_county_entry_to_the_city_tier(
    new_page, screenshot, county_user, city_user, province_user
):
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    entry = pool_entry_admit(
        actor=county_user, enterprise=firm, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY,
        admission_year=THIS_YEAR, admission_reason="细分市场占有率居全省前列",
        track="innovative", contact_officer="张丽",
    )
    grower = EnterpriseFactory(name="兰州七里河机电设备有限公司", region=region("620103"))
    verified_annual(grower, THIS_YEAR - 2, 1200)
    verified_annual(grower, THIS_YEAR - 1, 1500)
    pool_entry_admit(
        actor=city_user, enterprise=grower, pool=PoolKind.SCALE_UP, tier=PoolTier.COUNTY,
        admission_year=THIS_YEAR, admission_reason="主营收入逐年增长",
    )
    target_set(actor=province_user, year=THIS_YEAR, region=region("620100"),
               metric="pool_city", value=4)
    page = new_page()
    sign_in(page, city_user.username)

    page.locator('nav.site-nav a[href="/enterprises/pool/"]').click()
    expect(page).to_have_url(re.compile(r"/enterprises/pool/\?pool=zjtx&status=active$"))
    expect(page.locator(f'tr[data-entry="{entry.pk}"]')).to_contain_text(firm.name)
    screenshot(page, "pool-list")

    page.locator(".tabs a", has_text=re.compile("规下转规上|scale")).click()
    expect(page.locator("#pool-results")).to_contain_text(grower.name)
    page.locator("#pool-results").get_by_role("link", name=grower.name).click()
    expect(page.locator(".suggestion")).to_contain_text("1,500.00")
    screenshot(page, "scale-up-entry")

    page.goto(reverse("registry:pool-entry-detail", args=[entry.pk]))
    promote = page.locator('form[action$="/promote/"]')
    page.locator("details", has=promote).locator("summary").click()
    promote.locator('textarea[name="promote-reason"]').fill("市级遴选推荐，纳入市级培育库")
    screenshot(page, "promote-form")
    promote.locator('button[type="submit"]').click()

    promoted = PoolEntry.objects.get(promoted_from=entry)
    expect(page).to_have_url(re.compile(rf"/enterprises/pool/{promoted.pk}/$"))
    expect(page.locator("ol.path")).to_contain_text(str(THIS_YEAR))
    expect(page.locator("main")).to_contain_text("市级遴选推荐，纳入市级培育库")
    assert (promoted.tier, promoted.admitted_by) == (PoolTier.CITY, city_user)
    screenshot(page, "promoted-entry")

    page.goto("/enterprises/pool/?pool=zjtx&status=active")
    page.locator('.segmented a[href*="tier=city"]').click()
    expect(page.locator(f'tr[data-entry="{promoted.pk}"]')).to_be_visible()

    page.locator('nav.site-nav a[href="/enterprises/targets/"]').click()
    progress = page.locator('section[data-region="620100"] tr[data-metric="pool_city"]')
    expect(progress).to_contain_text("25.0")
    screenshot(page, "targets")


def test_county_official_admits_a_firm_from_its_page_and_logs_a_visit(
    new_page, screenshot, county_user
):
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    verified_annual(firm, THIS_YEAR - 2, 1200)
    verified_annual(firm, THIS_YEAR - 1, 1500)
    page = new_page()
    sign_in(page, county_user.username)

    page.goto(reverse("registry:enterprise-detail", args=[firm.uscc]))
    screenshot(page, "enterprise-page")
    page.locator(f'#pool-entries a[href$="/{firm.uscc}/admit/"]').click()
    expect(page.locator(".suggestion")).to_contain_text("1,500.00")
    page.locator('select[name="pool"]').select_option("scale_up")
    page.locator('textarea[name="admission_reason"]').fill("主营收入逐年增长，具备入统潜力")
    page.locator('input[name="contact_officer"]').fill("张丽")
    screenshot(page, "admit-form")
    page.locator('form.card button[type="submit"]').click()

    entry = PoolEntry.objects.get(enterprise=firm)
    expect(page).to_have_url(re.compile(rf"/enterprises/pool/{entry.pk}/$"))
    assert (entry.pool, entry.tier, entry.category) == ("scale_up", "county", "grow")

    page.locator(f'a[href$="/pool/{entry.pk}/visits/new/"]').click()
    expect(page.locator('input[name="officer"]')).to_have_value("张丽")
    page.locator('textarea[name="problems"]').fill("用地指标不足，扩产项目无法落地")
    page.locator('form.card button[type="submit"]').click()

    expect(page.locator("#visits")).to_contain_text("用地指标不足，扩产项目无法落地")
    screenshot(page, "entry-with-visit")
