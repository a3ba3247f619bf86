"""Receiving accounts: recorded by one finance officer, confirmed by another, logged, masked
but for finance officers, and the only accounts a batch and its bank file pay into."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.choices import Role
from gansu_sme import inbox
from gansu_sme.exceptions import DomainError
from gansu_sme.models import AuditEvent
from subsidies import selectors, services
from subsidies.choices import AccountStatus, AccountVerb, ProgramKind
from subsidies.models import Program, ReceivingAccount
from subsidies.services.exports import check_bank_file
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import (
    CityRewardFactory,
    approved_awards,
    budget,
    certificate,
    confirmed_account,
    submitted_batch,
)

pytestmark = pytest.mark.django_db

NUMBER = "6222 0212 3456 7890 123"


def record(actor, enterprise, number=NUMBER, reason="企业提交盖章账户信息表"):
    return services.account_record(
        actor=actor, enterprise=enterprise, account_name=enterprise.name,
        bank_name="中国工商银行兰州城关支行", account_number=number, reason=reason,
    )


def approved_without_account(finance):
    award = services.entitlement_from_certificate(
        certificate_id=certificate(EnterpriseFactory()).pk
    )[0]
    return services.entitlement_approve(actor=finance, entitlement=award,
                                        budget=budget(finance))


def test_an_account_recorded_by_one_officer_is_confirmed_by_another_and_both_are_logged(
    finance, finance2
):
    firm = EnterpriseFactory()
    account = record(finance, firm)
    assert account.status == AccountStatus.PENDING
    assert account.account_number == "6222021234567890123"

    services.account_confirm(actor=finance2, account=account, reason="已核对原件")

    account.refresh_from_db()
    assert (account.status, account.confirmed_by) == (AccountStatus.CONFIRMED, finance2)
    steps = list(account.transitions.values_list("verb", "actor", "reason"))
    assert steps == [
        (AccountVerb.RECORD, finance.pk, "企业提交盖章账户信息表"),
        (AccountVerb.CONFIRM, finance2.pk, "已核对原件"),
    ]
    events = AuditEvent.objects.filter(pgh_obj_model="subsidies.ReceivingAccount",
                                       pgh_obj_id=str(account.pk)).order_by("pgh_id")
    assert [(e.user_id, e.reason) for e in events] == [
        (finance.pk, "企业提交盖章账户信息表"), (finance2.pk, "已核对原件"),
    ]


def test_the_officer_who_recorded_an_account_cannot_confirm_it(finance):
    account = record(finance, EnterpriseFactory())
    with pytest.raises(DomainError) as refused:
        services.account_confirm(actor=finance, account=account)
    assert refused.value.code == "account_same_officer"
    assert services.account_verbs(finance, account) == []


def test_the_database_refuses_a_confirmer_who_recorded_the_account(finance):
    account = record(finance, EnterpriseFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceivingAccount.objects.filter(pk=account.pk).update(
            status=AccountStatus.CONFIRMED, confirmed_by=finance
        )


def test_a_confirmed_change_supersedes_the_old_account_and_keeps_it(finance, finance2):
    firm = EnterpriseFactory()
    old = record(finance, firm)
    services.account_confirm(actor=finance2, account=old)
    new = record(finance2, firm, number="6228480012345678", reason="企业来函变更基本户")

    services.account_confirm(actor=finance, account=new)

    old.refresh_from_db()
    assert old.status == AccountStatus.SUPERSEDED
    assert ReceivingAccount.objects.get(enterprise=firm, status=AccountStatus.CONFIRMED) == new
    assert ReceivingAccount.objects.filter(enterprise=firm).count() == 2


def test_one_change_at_a_time_and_bad_details_are_refused_by_field(finance):
    firm = EnterpriseFactory()
    record(finance, firm)
    with pytest.raises(DomainError) as pending:
        record(finance, firm, number="6228480012345678")
    assert pending.value.code == "account_change_pending"
    with pytest.raises(DomainError) as invalid:
        services.account_record(actor=finance, enterprise=EnterpriseFactory(),
                                account_name="", bank_name="x", account_number="12AB",
                                reason="")
    assert invalid.value.code == "account_invalid"
    assert set(invalid.value.fields) == {"account_name", "account_number", "reason"}


def test_a_rejection_needs_a_reason_and_leaves_the_current_account(finance, finance2):
    firm = EnterpriseFactory()
    current = confirmed_account(enterprise=firm)
    change = record(finance, firm, number="6228480012345678")
    with pytest.raises(DomainError):
        services.account_reject(actor=finance2, account=change, reason="")
    services.account_reject(actor=finance2, account=change, reason="与盖章原件不符")
    change.refresh_from_db()
    current.refresh_from_db()
    assert (change.status, current.status) == (AccountStatus.REJECTED, AccountStatus.CONFIRMED)


def test_a_firm_without_a_confirmed_account_cannot_join_a_batch(finance):
    award = approved_without_account(finance)
    batch = services.batch_create(actor=finance, title="批次")
    with pytest.raises(DomainError) as refused:
        services.batch_add_entitlements(actor=finance, batch=batch, entitlements=[award])
    assert refused.value.code == "payee_without_account"
    assert list(refused.value.fields) == ["entitlements"]

    record(finance, award.enterprise)
    with pytest.raises(DomainError) as pending:
        services.batch_add_entitlements(actor=finance, batch=batch, entitlements=[award])
    assert pending.value.code == "payee_account_change_pending"


def test_an_item_pays_the_account_confirmed_when_added_and_a_later_change_stops_approval(
    finance, finance2
):
    [award] = approved_awards(finance)
    account = ReceivingAccount.objects.get(enterprise=award.enterprise)
    batch = submitted_batch(finance, [award])
    assert batch.items.get().account == account

    change = record(finance, award.enterprise, number="6228480012345678")
    services.account_confirm(actor=finance2, account=change)
    with pytest.raises(DomainError) as refused:
        services.batch_approve(actor=finance2, batch=batch)
    assert refused.value.code == "payee_account_changed"


def test_a_city_reward_is_paid_into_the_city_finance_bureau_account(finance, finance2):
    lanzhou = region("620100")
    reward = CityRewardFactory(city=lanzhou)
    award = services.entitlement_create(
        program=Program.objects.get(kind=ProgramKind.CITY_SCALE_UP, first_year=2021),
        year=2025, city=lanzhou, city_reward=reward, amount=Decimal("300000"),
    )[0]
    services.entitlement_approve(actor=finance, entitlement=award, budget=budget(finance))
    city_account = services.account_record(
        actor=finance, city=lanzhou, account_name="兰州市财政局",
        bank_name="中国人民银行兰州中心支行国库", account_number="1234567890123456",
        reason="市财政局函",
    )
    services.account_confirm(actor=finance2, account=city_account)
    batch = submitted_batch(finance, [award])
    assert batch.items.get().account == city_account


def test_the_bank_file_is_not_written_when_its_total_differs_by_a_cent(finance, finance2):
    awards = approved_awards(finance, 2)
    batch = submitted_batch(finance, awards)
    services.batch_approve(actor=finance2, batch=batch)
    batch = selectors.batch_get(user=finance, pk=batch.pk)
    items = list(selectors.batch_items(batch=batch))
    check_bank_file(batch, items, Decimal("600000.00"))
    batch.total = Decimal("600000.01")
    with pytest.raises(DomainError) as refused:
        check_bank_file(batch, items, Decimal("600000.00"))
    assert refused.value.code == "bank_file_total_mismatch"


@pytest.mark.parametrize(("role", "full"), [
    (Role.FINANCE_OFFICER, True), (Role.PROVINCIAL_REVIEWER, False), (Role.AUDITOR, False),
])
def test_account_numbers_are_masked_for_all_but_finance_officers(client, finance, role, full):
    account = confirmed_account(enterprise=EnterpriseFactory(), number="6222021234567890123")
    [award] = approved_awards(finance)
    batch = submitted_batch(finance, [award])
    viewer = finance if full else UserFactory(role=role, region=region("620000"))
    client.login(username=viewer.username, password=PASSWORD)

    detail = client.get(reverse("subsidies:account-detail", args=[account.pk])).text
    listing = client.get(reverse("subsidies:account-list")).text
    batch_page = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).text

    paid_into = batch.items.get().account.account_number
    assert ("6222021234567890123" in detail) is full
    assert ("6222021234567890123" in listing) is full
    assert (paid_into in batch_page) is full
    assert "**** 0123" in detail or full
    assert f"**** {paid_into[-4:]}" in batch_page or full


def test_officers_record_and_confirm_accounts_through_the_pages(client, finance, finance2):
    firm = EnterpriseFactory()
    client.login(username=finance.username, password=PASSWORD)
    response = client.post(reverse("subsidies:account-new"), {
        "uscc": firm.uscc, "account_name": firm.name, "bank_name": "甘肃银行营业部",
        "account_number": "6228480012345678", "reason": "新开户",
    })
    account = ReceivingAccount.objects.get(enterprise=firm)
    assert response.status_code == 302
    page = client.get(reverse("subsidies:account-detail", args=[account.pk])).text
    assert 'id="account-confirm"' not in page

    client.logout()
    client.login(username=finance2.username, password=PASSWORD)
    response = client.post(
        reverse("subsidies:account-transition", args=[account.pk, "confirm"]),
        {"confirm-reason": "已核对"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.CONFIRMED


def test_an_account_awaiting_confirmation_waits_for_the_other_officer_only(finance, finance2):
    account = record(finance, EnterpriseFactory())
    source = next(s for s in inbox.SOURCES if s.kind == "receiving_account")
    assert list(source.queryset(finance2)) == [account]
    assert list(source.queryset(finance)) == []


def test_the_batch_page_previews_the_bank_file_rows_with_their_total(client, finance):
    awards = approved_awards(finance, 2)
    batch = submitted_batch(finance, awards)
    client.login(username=finance.username, password=PASSWORD)

    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk])).text

    preview = page[page.index('id="bank-preview"'):]
    for header in ("收款账号", "收款户名", "收款开户行", "金额（元）", "用途", "统一社会信用代码"):
        assert header in preview
    assert "600,000.00" in preview[preview.index("<tfoot>"):]
    assert "2 笔" in preview
