"""Two finance officers confirm a firm's receiving account and pay a batch of awards into
confirmed accounts, driven through Chromium; the bank file's 合计 is the batch total.

Pages are located by addresses, names and ids rather than their words, which change when the
translations are compiled.
"""

import importlib
import re
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps
from django.db.models import Sum
from django.urls import reverse

from subsidies import services
from subsidies.models import BatchItem, PaymentBatch, ReceivingAccount
from tests.browser.conftest import ARTIFACTS
from tests.factories.accounts import PASSWORD
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import budget, certificate, confirmed_account, finance_officer

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips, or fails under REQUIRE_BROWSER=1
    expect = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def programs(reference_data):
    """The seeded programs again: a transactional test empties what migrations filled."""
    importlib.import_module("subsidies.migrations.0002_seed_programs").seed(apps, None)


def sign_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form").get_by_role("button", name="登录").click()


def test_two_officers_confirm_an_account_then_build_approve_export_and_pay_a_batch(
    new_page, screenshot, tmp_path
):
    maker, approver = finance_officer("finance"), finance_officer("finance2")
    firm = EnterpriseFactory(name="兰州城关精密机械有限公司")
    other = EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502"))
    confirmed_account(enterprise=firm, recorded_by=maker, confirmed_by=approver)
    budget_ = budget(maker, blocks={"620100": "3000000", "620500": "3000000"})
    awards = [services.entitlement_from_certificate(certificate_id=certificate(f).pk)[0]
              for f in (firm, other)]
    for award in awards:
        services.entitlement_approve(actor=maker, entitlement=award, budget=budget_)

    page = new_page()
    sign_in(page, maker.username)
    page.locator('nav.site-nav a[href="/subsidies/"]').click()
    expect(page.locator(f'tr[data-entitlement="{awards[0].pk}"]')).to_contain_text(firm.name)
    page.goto(reverse("subsidies:batch-list"))
    page.locator('#batch-create input[name="title"]').fill("2025年第一批专精特新奖励")
    page.locator('#batch-create button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/subsidies/batches/\d+/$"))
    batch_url = page.url
    # The firm without a confirmed account cannot be chosen; its row leads to recording one.
    expect(page.locator(f"#candidate-{awards[1].pk}")).to_be_disabled()
    screenshot(page, "batch-draft-without-account")
    page.locator(f"#account-state-{awards[1].pk} a").click()
    expect(page.locator('input[name="uscc"]')).to_have_value(other.uscc)
    page.locator('input[name="account_name"]').fill(other.name)
    page.locator('input[name="bank_name"]').fill("甘肃银行天水分行营业部")
    page.locator('input[name="account_number"]').fill("6228 4800 1234 5678 901")
    page.locator('textarea[name="reason"]').fill("企业提交加盖公章的收款账户信息表")
    page.locator('main form.card button[type="submit"]').click()
    expect(page.locator(".account-status")).to_have_attribute("data-status", "pending")
    # The officer who recorded it is not offered the confirmation.
    expect(page.locator("#account-confirm")).to_have_count(0)
    account = ReceivingAccount.objects.get(enterprise=other)

    second = new_page()
    sign_in(second, approver.username)
    second.goto(reverse("subsidies:account-detail", args=[account.pk]))
    second.locator('#account-confirm textarea[name="confirm-reason"]').fill("已与盖章原件核对")
    second.locator('#account-confirm button[type="submit"]').click()
    expect(second.locator(".account-status")).to_have_attribute("data-status", "confirmed")
    screenshot(second, "account-confirmed")

    page.goto(batch_url)
    for award in awards:
        page.locator(f"#candidate-{award.pk}").check()
    screenshot(page, "batch-draft")
    page.locator('#batch-add button[type="submit"]').click()
    expect(page.locator(".batch-total")).to_contain_text("600,000.00")
    page.locator('#batch-submit button[type="submit"]').click()
    expect(page.locator(".batch-status")).to_have_attribute("data-status", "submitted")
    # The maker is offered no approval of their own batch.
    expect(page.locator("#batch-approve")).to_have_count(0)
    batch = PaymentBatch.objects.get()

    second.goto(reverse("subsidies:batch-detail", args=[batch.pk]))
    second.locator('#batch-approve button[type="submit"]').click()
    expect(second.locator(".batch-status")).to_have_attribute("data-status", "approved")
    screenshot(second, "batch-approved")

    page.reload()
    preview = page.locator("#bank-preview")
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview.locator(".bank-total")).to_have_text("600,000.00")
    preview.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "bank-file.png"), full_page=True)
    screenshot(page, "bank-file")
    with page.expect_download() as download:
        page.locator("#bank-file").click()
    path = tmp_path / "bank.xlsx"
    download.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("序号", "收款账号", "收款户名", "收款开户行", "金额（元）", "用途",
                       "统一社会信用代码")
    assert {row[2] for row in rows[1:3]} == {firm.name, other.name}
    assert "6228480012345678901" in {row[1] for row in rows[1:3]}
    assert {row[6] for row in rows[1:3]} == {firm.uscc, other.uscc}
    assert rows[3][0] == "合计"
    batch_total = BatchItem.objects.filter(batch=batch).aggregate(total=Sum("amount"))["total"]
    total_cell = Decimal(str(rows[3][4])).quantize(Decimal("0.01"))
    assert total_cell == batch_total == Decimal("600000.00")
    assert sum(Decimal(str(row[4])) for row in rows[1:3]) == total_cell

    page.locator('#batch-pay input[name="pay-bank_reference"]').fill("ICBC-20260115-001")
    page.locator('#batch-pay input[name="pay-paid_on"]').fill("2026-01-15")
    page.locator('#batch-pay button[type="submit"]').click()
    expect(page.locator(".batch-status")).to_have_attribute("data-status", "paid")
    screenshot(page, "batch-paid")

    page.goto(reverse("registry:enterprise-detail", args=[firm.uscc]))
    award_row = page.locator(f'#subsidy-awards tr[data-entitlement="{awards[0].pk}"]')
    expect(award_row.locator(".status-paid")).to_have_count(1)
    screenshot(page, "firm-award")
