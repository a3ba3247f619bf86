"""Demo subsidy data: budgets with city blocks, awards in every state and one paid batch.

The awards are the ones certification's demo certificates earned: certification's demo runs
first, and each certificate's ``certificate_issued`` event creates the award of its level.
Two more certificates, recognised before the platform, are entered here through
certification's own service, to be revoked:

- the awards of the 2024 round and of the certificates recognised before the platform are
  paid in the 2025 batch, from the 2025 budget; the 2024 firm that has since moved out of the
  province has its award cancelled instead;
- the two extra certificates are then revoked by the province for a falsified application:
  the revocation event turns their paid awards into recoveries due, and one is recovered;
- this year's awards, from this year's budget: one approved and in a draft batch, the
  national little-giant award approved, the other provincial award still pending;
- every firm with an award and every city's finance bureau (city rewards) has a receiving
  account recorded by ``finance`` and confirmed by ``finance2``, so batches can be paid; the
  firm of the pending award has a change of account awaiting ``finance``'s confirmation.

Each step commits on its own, so the events of certificates issued and revoked fire as they
do in production before the next step reads the awards. Runs once: with the paid batch
present nothing is written.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from certification.choices import CertificateLevel, RevocationReason, RuleSetKind
from certification.models import Certificate
from certification.selectors import ruleset_current
from certification.services.certificates import add_years, certificate_issue, certificate_revoke
from demo.certification import CURRENT_TITLE, PAST_TITLE
from registry.choices import RegionLevel
from registry.models import Enterprise, Region
from subsidies import services
from subsidies.choices import EntitlementStatus, FundingSource
from subsidies.models import Budget, Entitlement, PaymentBatch, ReceivingAccount

BATCH_TITLE = "2025年第一批专精特新认定奖励（演示）"
PAID_YEAR = 2025
PAID_ON = datetime.date(2025, 6, 30)
BUDGET = Decimal("50000000.00")
BLOCK = Decimal("3000000.00")
# 白银: certification's demo takes its firms from 兰州 and 天水.
EXTRA_REGION = "620000/620400/"
# Banks of the demo accounts, by the city's code (2nd–4th digits of a firm's region).
DEMO_BANKS = {
    "620100": "中国工商银行兰州城关支行",
    "620500": "甘肃银行天水分行营业部",
    "620400": "中国建设银行白银分行营业部",
}
OTHER_BANK = "中国农业银行甘肃省分行营业部"
ACCOUNT_FORM_NOTE = "企业提交加盖公章的收款账户信息表（演示）"
CITY_ACCOUNT_NOTE = "市州财政局提供的奖补资金专户（演示）"
FALSIFIED_NOTE = "专项核查发现企业申报材料中研发费用和主导产品收入弄虚作假（演示）。"


@dataclass
class DemoSubsidyResult:
    entitlements: int
    unchanged: bool


def demo_subsidies_load():
    """Load the demo subsidies once; needs the demo finance officer, the provincial reviewer
    and certification's demo certificates. Returns what was loaded.

    Not one transaction: the awards come from the events that certificates announce on
    commit, so each step commits before the next reads them (see ``_catch_up_events``).
    """
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=("finance", "province"))
    }
    unchanged = DemoSubsidyResult(0, unchanged=True)
    if len(users) < 2 or PaymentBatch.objects.filter(title=BATCH_TITLE).exists():
        return unchanged
    extra_firms = list(
        Enterprise.objects.filter(
            created_by__isnull=True, is_active=True, region__path__startswith=EXTRA_REGION
        ).order_by("uscc")[:2]
    )
    certificates = _certification_demo(exclude=extra_firms)
    if certificates is None or len(extra_firms) < 2:
        return unchanged
    maker, province = users["finance"], users["province"]
    certificates["clawed_back"] = _issue_before_the_platform(province, extra_firms)
    _catch_up_events()
    awards = _awards(certificates)
    _receiving_accounts(maker, awards)
    _budgets_and_batches(maker, awards)
    _revoke_for_falsification(province, certificates["clawed_back"])
    _catch_up_events()
    _recover(maker, awards["clawed_back"][1])
    return DemoSubsidyResult(sum(len(group) for group in awards.values()), unchanged=False)


def _catch_up_events():
    """Stand in for the certificate events when they cannot have fired yet.

    Run by ``load_demo``, each step here (and certification's demo before) commits, and the
    events announced on commit have created and clawed back the awards by the time the next
    step reads them. Inside an outer transaction (a test's, or a caller's atomic block),
    on_commit holds every event until that one commits: the nightly reconcile's service,
    which re-derives what the events produce, runs in their place. It is idempotent, as the
    receivers are, so the held events change nothing when they finally fire.
    """
    if transaction.get_connection().in_atomic_block:
        services.entitlements_reconcile()


def _certification_demo(*, exclude):
    """Certification's demo certificates by their part here, or None when it has not run."""
    provincial = Certificate.objects.filter(level=CertificateLevel.PROVINCIAL).order_by("number")
    past = list(provincial.filter(application__campaign__title=PAST_TITLE))
    relocated = [c for c in past if c.revocation_reason == RevocationReason.RELOCATED]
    current = list(provincial.filter(application__campaign__title=CURRENT_TITLE))
    # The two of the 2023 round, entered as issued (one expired, one renewed).
    legacy = list(provincial.filter(application__isnull=True).exclude(enterprise__in=exclude))
    national = list(Certificate.objects.filter(level=CertificateLevel.NATIONAL)[:1])
    if len(past) < 2 or len(relocated) != 1 or len(current) < 2 or not national:
        return None
    return {
        "paid": [c for c in past if c not in relocated] + legacy,
        "cancelled": relocated,
        "approved": current[:1] + national,
        "pending": current[1:2],
    }


@transaction.atomic
def _issue_before_the_platform(province, firms):
    """Two more certificates recognised before the platform, entered as issued like
    certification's 2023 ones and still valid; a firm that holds one already keeps it."""
    ruleset = ruleset_current(RuleSetKind.ZJTX)
    issued_on = add_years(timezone.localdate(), -3) + datetime.timedelta(days=30)
    certificates = []
    for firm in firms:
        certificate = Certificate.objects.filter(
            enterprise=firm, level=CertificateLevel.PROVINCIAL
        ).first() or certificate_issue(
            actor=province, enterprise=firm, level=CertificateLevel.PROVINCIAL,
            issued_on=issued_on, ruleset_code=ruleset.code,
        )
        certificates.append(certificate)
    return certificates


def _awards(certificates):
    """The award each certificate earned, grouped as the certificates are."""
    ids = [c.pk for group in certificates.values() for c in group]
    by_certificate = {
        award.certificate_id: award
        for award in Entitlement.objects.filter(certificate_id__in=ids)
    }
    return {
        part: [by_certificate[c.pk] for c in group] for part, group in certificates.items()
    }


def _second_officer():
    officer, _ = get_user_model().objects.get_or_create(
        username="finance2",
        defaults={"role": Role.FINANCE_OFFICER, "region": Region.objects.get(code="620000"),
                  "full_name": "省工信厅资金管理处 孙倩",
                  "password": make_password(settings.DEMO_PASSWORD)},
    )
    return officer


def _budget(maker, year, document):
    """The provincial budget of ``year`` with a block for every city, opened if new."""
    budget = Budget.objects.filter(year=year, funding_source=FundingSource.PROVINCIAL).first()
    if budget is not None:
        return budget
    budget = services.budget_create(
        actor=maker, year=year, funding_source=FundingSource.PROVINCIAL, amount=BUDGET,
        document=document,
    )
    for city in Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code"):
        services.allocation_set(actor=maker, budget=budget, city=city, amount=BLOCK)
    return budget


def _demo_number(seed: str) -> str:
    """A 19-digit account number made from ``seed`` (a credit code or a region code)."""
    digits = "".join(str(ord(c) % 10) for c in seed)
    return ("62" + digits + "0" * 19)[:19]


@transaction.atomic
def _receiving_accounts(maker, awards):
    """Confirmed accounts for the firms of the awards and for every city's finance bureau,
    recorded by ``maker`` and confirmed by the second officer (four eyes), as in production;
    then a change of account of the pending award's firm recorded by the second officer,
    waiting in ``maker``'s 我的待办."""
    approver = _second_officer()
    firms = {award.enterprise for group in awards.values() for award in group
             if award.enterprise_id is not None}
    for firm in sorted(firms, key=lambda f: f.uscc):
        if ReceivingAccount.objects.filter(enterprise=firm).exists():
            continue
        account = services.account_record(
            actor=maker, enterprise=firm, account_name=firm.name,
            bank_name=DEMO_BANKS.get(firm.region.code[:4] + "00", OTHER_BANK),
            account_number=_demo_number(firm.uscc), reason=ACCOUNT_FORM_NOTE,
        )
        services.account_confirm(actor=approver, account=account, reason="已与盖章原件核对（演示）")
    for city in Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code"):
        if ReceivingAccount.objects.filter(city=city).exists():
            continue
        account = services.account_record(
            actor=maker, city=city, account_name=f"{city.name}财政局",
            bank_name=f"中国人民银行{city.name}中心支行国库",
            account_number=_demo_number(city.code), reason=CITY_ACCOUNT_NOTE,
        )
        services.account_confirm(
            actor=approver, account=account, reason="已与财政局函件核对（演示）"
        )
    for award in awards["pending"][:1]:
        firm = award.enterprise
        services.account_record(
            actor=approver, enterprise=firm, account_name=firm.name, bank_name=OTHER_BANK,
            account_number=_demo_number(firm.uscc[::-1]),
            reason="企业来函变更基本存款账户（演示）",
        )


@transaction.atomic
def _budgets_and_batches(maker, awards):
    """Approve, cancel and pay as the finance officers would: the earlier awards from the
    2025 budget, this year's from this year's (an approval takes a budget of the year before
    the award's or later)."""
    approver = _second_officer()
    this_year = timezone.localdate().year
    earlier = _budget(maker, PAID_YEAR, f"甘财企〔{PAID_YEAR}〕12号（演示）")
    current = _budget(maker, this_year, f"甘财企〔{this_year}〕8号（演示）")
    paid = awards["paid"] + awards["clawed_back"]
    for award in paid:
        services.entitlement_approve(actor=maker, entitlement=award, budget=earlier)
    for award in awards["cancelled"]:
        services.entitlement_cancel(
            actor=maker, entitlement=award,
            reason="企业已迁出甘肃省，认定已撤销，不再拨付省级奖励（演示）。",
        )
    batch = services.batch_create(actor=maker, title=BATCH_TITLE)
    services.batch_add_entitlements(actor=maker, batch=batch, entitlements=paid)
    services.batch_submit(actor=maker, batch=batch)
    services.batch_approve(actor=approver, batch=batch)
    services.batch_pay(
        actor=maker, batch=batch, bank_reference="ICBC-DEMO-20250630-001", paid_on=PAID_ON
    )
    for award in awards["approved"]:
        services.entitlement_approve(actor=maker, entitlement=award, budget=current)
    draft = services.batch_create(
        actor=maker, title=f"{this_year}年第一批专精特新认定奖励（演示草稿）"
    )
    services.batch_add_entitlements(
        actor=maker, batch=draft, entitlements=awards["approved"][:1]
    )
    # Another batch the maker has submitted waits for the second officer's approval.
    submitted = services.batch_create(
        actor=maker, title=f"{this_year}年第二批专精特新认定奖励（演示，待审批）"
    )
    services.batch_add_entitlements(
        actor=maker, batch=submitted, entitlements=awards["approved"][1:3]
    )
    services.batch_submit(actor=maker, batch=submitted)


@transaction.atomic
def _revoke_for_falsification(province, certificates):
    """Revoke through certification's service; its event claws the paid awards back."""
    for certificate in certificates:
        certificate_revoke(
            actor=province, certificate=certificate, reason=RevocationReason.FALSIFIED,
            note=FALSIFIED_NOTE,
        )


@transaction.atomic
def _recover(maker, award):
    """The firm has paid one recovery back in full."""
    award.refresh_from_db()
    if award.status != EntitlementStatus.RECOVERY_DUE:
        return
    services.entitlement_record_recovery(
        actor=maker, entitlement=award, amount=award.recovery_amount,
        reference="缴款书 DEMO-0001",
    )
