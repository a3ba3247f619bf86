"""Builders for subsidy tests: certificates written directly (certification's own services are
another app's), finance officers, and budgets with city blocks."""

import datetime
import itertools
from decimal import Decimal

from accounts.choices import Role
from certification.choices import CertificateLevel, CertificateStatus, RevocationReason
from certification.models import Certificate
from subsidies import services
from subsidies.choices import FundingSource
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region

_serials = itertools.count(1)


def finance_officer(username="finance", **kwargs):
    return UserFactory(
        username=username, role=Role.FINANCE_OFFICER, region=region("620000"), **kwargs
    )


def certificate(enterprise, *, level=CertificateLevel.PROVINCIAL, year=2025, **kwargs):
    """An active certificate of ``enterprise`` issued on 1 June of ``year``."""
    serial = next(_serials)
    issued = datetime.date(year, 6, 1)
    prefix = "GS" if level == CertificateLevel.PROVINCIAL else "GJ"
    return Certificate.objects.create(
        number=f"{prefix}{year}{serial:05d}", year=year, serial=serial, level=level,
        enterprise=enterprise, ruleset_code="test", issued_on=issued,
        valid_until=issued.replace(year=year + 3), status=CertificateStatus.ACTIVE, **kwargs
    )


def budget(actor, *, year=2025, amount="10000000", blocks=None,
           funding_source=FundingSource.PROVINCIAL):
    """A budget with blocks {city code: amount}; 兰州 gets 3,000,000 unless told."""
    made = services.budget_create(
        actor=actor, year=year, funding_source=funding_source, amount=Decimal(amount)
    )
    for code, block in (blocks or {"620100": "3000000"}).items():
        services.allocation_set(actor=actor, budget=made, city=region(code), amount=Decimal(block))
    return made


def approved_awards(actor, count=1, budget_=None):
    """``count`` awards of new 城关区 firms' certificates, approved by ``actor`` (a finance
    officer) on ``budget_`` or on a new budget."""
    budget_ = budget_ or budget(actor)
    made = []
    for _ in range(count):
        entitlement = services.entitlement_from_certificate(
            certificate_id=certificate(EnterpriseFactory()).pk
        )[0]
        made.append(services.entitlement_approve(
            actor=actor, entitlement=entitlement, budget=budget_
        ))
    return made


def revoke_quietly(entitlement, reason=RevocationReason.FALSIFIED):
    """The award's certificate revoked without the event reaching the subsidy app yet."""
    Certificate.objects.filter(pk=entitlement.certificate_id).update(
        status=CertificateStatus.REVOKED, revocation_reason=reason,
        revoked_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )


def submitted_batch(actor, entitlements):
    """A batch of ``entitlements`` made and submitted by ``actor``."""
    batch = services.batch_create(actor=actor, title="批次")
    services.batch_add_entitlements(actor=actor, batch=batch, entitlements=entitlements)
    return services.batch_submit(actor=actor, batch=batch)
