"""Builders for subsidy tests: certificates written directly (certification's own services are
another app's), finance officers, budgets with city blocks, approved awards and submitted
batches made through the services; and one factory per subsidy model."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import Role
from certification.choices import CertificateLevel, CertificateStatus, RevocationReason
from certification.models import Certificate
from subsidies import services
from subsidies.choices import AccountStatus, FundingSource, ProgramKind
from subsidies.models import (
    Allocation,
    BatchItem,
    Budget,
    CityReward,
    Entitlement,
    PaymentBatch,
    Program,
    ReceivingAccount,
    SupportProject,
)
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


def confirmed_account(*, enterprise=None, city=None, number=None, **kwargs):
    """A confirmed receiving account of a firm (named as the firm) or of a city's finance
    bureau, recorded and confirmed by two finance officers, written directly."""
    payee_name = enterprise.name if enterprise is not None else f"{city.name}财政局"
    recorder = kwargs.pop("recorded_by", None) or UserFactory(
        role=Role.FINANCE_OFFICER, region=region("620000"))
    confirmer = kwargs.pop("confirmed_by", None) or UserFactory(
        role=Role.FINANCE_OFFICER, region=region("620000"))
    return ReceivingAccount.objects.create(
        enterprise=enterprise, city=city,
        region=enterprise.region if enterprise is not None else city,
        account_name=payee_name, bank_name="中国工商银行兰州城关支行",
        account_number=number or f"2703{next(_serials):015d}",
        status=AccountStatus.CONFIRMED, recorded_by=recorder, confirmed_by=confirmer,
        confirmed_at=timezone.now(), **kwargs,
    )


def accounts_for(entitlements):
    """A confirmed account for each payee of ``entitlements`` that has none; returns them."""
    for entitlement in entitlements:
        payee = ({"enterprise": entitlement.enterprise} if entitlement.enterprise_id
                 else {"city": entitlement.city})
        if not ReceivingAccount.objects.filter(status=AccountStatus.CONFIRMED, **{
            f"{key}_id": value.pk for key, value in payee.items()
        }, **({} if entitlement.enterprise_id else {"enterprise__isnull": True})).exists():
            confirmed_account(**payee)
    return entitlements


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
    return accounts_for(made)


def revoke_quietly(entitlement, reason=RevocationReason.FALSIFIED):
    """The award's certificate revoked without the event reaching the subsidy app yet."""
    Certificate.objects.filter(pk=entitlement.certificate_id).update(
        status=CertificateStatus.REVOKED, revocation_reason=reason,
        revoked_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )


def submitted_batch(actor, entitlements):
    """A batch of ``entitlements`` made and submitted by ``actor``."""
    batch = services.batch_create(actor=actor, title="批次")
    services.batch_add_entitlements(
        actor=actor, batch=batch, entitlements=accounts_for(entitlements)
    )
    return services.batch_submit(actor=actor, batch=batch)


# One factory per model, written directly (not through services) for any state a test needs.


class ReceivingAccountFactory(factory.django.DjangoModelFactory):
    """A 城关区 firm's account, recorded by one finance officer and waiting for a second's
    confirmation (``confirmed_account`` makes a confirmed one)."""

    class Meta:
        model = ReceivingAccount

    enterprise = factory.SubFactory(EnterpriseFactory)
    region = factory.LazyAttribute(lambda o: o.enterprise.region)
    account_name = factory.LazyAttribute(lambda o: o.enterprise.name)
    bank_name = "中国工商银行兰州城关支行"
    account_number = factory.LazyFunction(lambda: f"2703{next(_serials):015d}")
    status = AccountStatus.PENDING
    recorded_by = factory.SubFactory(
        UserFactory,
        role=Role.FINANCE_OFFICER,
        region=factory.LazyFunction(lambda: region("620000")),
    )


class BudgetFactory(factory.django.DjangoModelFactory):
    """A provincial budget of 2026: 10,000,000 yuan."""

    class Meta:
        model = Budget

    year = 2026
    funding_source = FundingSource.PROVINCIAL
    amount = Decimal("10000000.00")


class AllocationFactory(factory.django.DjangoModelFactory):
    """兰州's block of a budget: 3,000,000 yuan."""

    class Meta:
        model = Allocation

    budget = factory.SubFactory(BudgetFactory)
    city = factory.LazyFunction(lambda: region("620100"))
    amount = Decimal("3000000.00")


class EntitlementFactory(factory.django.DjangoModelFactory):
    """A pending provincial 专精特新 award of a 城关区 firm (no certificate behind it)."""

    class Meta:
        model = Entitlement

    program = factory.LazyFunction(
        lambda: Program.objects.get(kind=ProgramKind.PROVINCIAL_CERTIFICATE, first_year=2021)
    )
    once_per_firm = True
    enterprise = factory.SubFactory(EnterpriseFactory)
    city = factory.LazyFunction(lambda: region("620100"))
    region = factory.LazyAttribute(lambda o: o.enterprise.region)
    year = 2026
    payee_name = factory.LazyAttribute(lambda o: o.enterprise.name)
    payee_code = factory.LazyAttribute(lambda o: o.enterprise.uscc)
    purpose = "省级专精特新认定奖励"
    full_amount = Decimal("300000.00")
    amount = Decimal("300000.00")


class PaymentBatchFactory(factory.django.DjangoModelFactory):
    """A draft batch made by a finance officer."""

    class Meta:
        model = PaymentBatch

    title = factory.Sequence(lambda n: f"2026年第{n + 1}批奖补资金")
    created_by = factory.SubFactory(
        UserFactory, role=Role.FINANCE_OFFICER, region=factory.LazyFunction(
            lambda: region("620000")
        ),
    )


class BatchItemFactory(factory.django.DjangoModelFactory):
    """An award in a draft batch, for its full amount."""

    class Meta:
        model = BatchItem

    batch = factory.SubFactory(PaymentBatchFactory)
    entitlement = factory.SubFactory(EntitlementFactory)
    amount = factory.LazyAttribute(lambda o: o.entitlement.amount)


class CityRewardFactory(factory.django.DjangoModelFactory):
    """兰州's reward for one net new above-scale firm in 2025."""

    class Meta:
        model = CityReward

    city = factory.LazyFunction(lambda: region("620100"))
    year = 2025
    firms_up = 1
    firms_down = 0
    net_new = 1
    computed_by = factory.SubFactory(
        UserFactory, role=Role.FINANCE_OFFICER, region=factory.LazyFunction(
            lambda: region("620000")
        ),
    )
    computed_at = factory.LazyFunction(timezone.now)


class SupportProjectFactory(factory.django.DjangoModelFactory):
    """A project of a 城关区 firm submitted by its county."""

    class Meta:
        model = SupportProject

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2026
    title = "数控机床智能化改造"
    purpose = "购置五轴加工中心"
    amount_requested = Decimal("300000.00")
    evidence = "可研报告"
    submitted_by = factory.SubFactory(UserFactory, role=Role.COUNTY_STAFF)
