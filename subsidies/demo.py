"""Demo subsidy data: a budget with city blocks, awards in every state and one paid batch.

Certification's demo data has no certificates, so the certificates behind the awards are
written here, numbered through certification's own sequence table; the awards then come from
the same service the certificate events call. Two certificates are revoked for a falsified
application after payment, as certification's revocation would, and the clawback service is
called as its event would call it. Runs once: with the demo batch present nothing is written.
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
from certification.choices import CertificateLevel, CertificateStatus, RevocationReason
from certification.models import Certificate, CertificateSequence
from registry.choices import RegionLevel
from registry.models import Enterprise, Region
from subsidies import services
from subsidies.choices import BatchVerb, FundingSource
from subsidies.models import Budget, PaymentBatch

YEAR = 2025
BATCH_TITLE = "2025年第一批专精特新认定奖励（演示）"
BLOCK = Decimal("3000000.00")


@dataclass
class DemoSubsidyResult:
    entitlements: int
    unchanged: bool


def _second_officer():
    officer, _ = get_user_model().objects.get_or_create(
        username="finance2",
        defaults={"role": Role.FINANCE_OFFICER, "region": Region.objects.get(code="620000"),
                  "full_name": "省工信厅资金管理处 孙倩",
                  "password": make_password(settings.DEMO_PASSWORD)},
    )
    return officer


def _certificate(enterprise, level, issued_on):
    sequence, _ = CertificateSequence.objects.select_for_update().get_or_create(
        year=issued_on.year, level=level
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = "甘专精特新" if level == CertificateLevel.PROVINCIAL else "小巨人"
    return Certificate.objects.create(
        number=f"{prefix}{issued_on.year}{sequence.last:04d}", year=issued_on.year,
        serial=sequence.last, level=level, enterprise=enterprise, ruleset_code="demo",
        issued_on=issued_on, valid_until=issued_on.replace(year=issued_on.year + 3),
    )


@transaction.atomic
def demo_subsidies_load():
    """Load the demo subsidies once; needs the demo finance officer and enterprises."""
    users = get_user_model().objects
    maker = users.filter(username="finance").first()
    province = users.filter(username="province").first()
    if maker is None or province is None or PaymentBatch.objects.filter(
        title=BATCH_TITLE
    ).exists():
        return DemoSubsidyResult(0, unchanged=True)
    firms = list(
        Enterprise.objects.filter(region__path__startswith="620000/620100/", is_active=True)
        .exclude(certificates__isnull=False).order_by("uscc")[:8]
    )
    if len(firms) < 8:
        return DemoSubsidyResult(0, unchanged=True)
    approver = _second_officer()
    budget = Budget.objects.filter(year=YEAR, funding_source=FundingSource.PROVINCIAL).first()
    if budget is None:
        budget = services.budget_create(
            actor=maker, year=YEAR, funding_source=FundingSource.PROVINCIAL,
            amount=Decimal("50000000.00"), document="甘财企〔2025〕12号（演示）",
        )
        for city in Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code"):
            services.allocation_set(actor=maker, budget=budget, city=city, amount=BLOCK)
    issued = datetime.date(YEAR, 4, 21)
    certificates = [_certificate(firm, CertificateLevel.PROVINCIAL, issued) for firm in firms[:7]]
    certificates.append(_certificate(firms[7], CertificateLevel.NATIONAL, issued))
    awards = [services.entitlement_from_certificate(certificate_id=c.pk)[0]
              for c in certificates]
    # awards[0] stays pending; [1] approved; [2] cancelled; [3:6] paid, of which [4] and [5]
    # are then clawed back and [5] recovered; [6] approved and in a draft batch; [7] approved.
    for award in awards[1:2] + awards[3:8]:
        services.entitlement_approve(actor=maker, entitlement=award, budget=budget)
    services.entitlement_cancel(actor=maker, entitlement=awards[2],
                                reason="企业书面放弃奖励（演示）")
    batch = services.batch_create(actor=maker, title=BATCH_TITLE)
    services.batch_add_entitlements(actor=maker, batch=batch, entitlements=awards[3:6])
    services.batch_transition(actor=maker, batch=batch, verb=BatchVerb.SUBMIT)
    services.batch_transition(actor=approver, batch=batch, verb=BatchVerb.APPROVE)
    services.batch_transition(
        actor=maker, batch=batch, verb=BatchVerb.PAY, bank_reference="ICBC-DEMO-20250630-001",
        paid_on=datetime.date(YEAR, 6, 30),
    )
    for certificate in certificates[4:6]:
        Certificate.objects.filter(pk=certificate.pk).update(
            status=CertificateStatus.REVOKED, revocation_reason=RevocationReason.FALSIFIED,
            revocation_note="演示：申报材料弄虚作假", revoked_by=province,
            revoked_at=timezone.now(),
        )
        services.entitlements_clawback(
            certificate_id=certificate.pk, reason=RevocationReason.FALSIFIED
        )
    awards[5].refresh_from_db()
    services.entitlement_record_recovery(
        actor=maker, entitlement=awards[5], amount=awards[5].recovery_amount,
        reference="缴款书 DEMO-0001",
    )
    draft = services.batch_create(actor=maker, title="2025年第二批（演示草稿）")
    services.batch_add_entitlements(actor=maker, batch=draft, entitlements=[awards[6]])
    return DemoSubsidyResult(len(awards), unchanged=False)
