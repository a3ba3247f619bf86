"""Real threads on PostgreSQL: simultaneous events and decisions never pay twice."""

import time
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from certification.choices import CertificateStatus, RevocationReason
from certification.models import Certificate
from gansu_sme.exceptions import DomainError
from subsidies import services
from subsidies.choices import EntitlementStatus, FundingSource
from subsidies.models import Allocation, Budget, CityReward, Entitlement
from subsidies.services import batches
from tests.concurrency import run_together
from tests.factories.pool import verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import accounts_for, budget, certificate, finance_officer

# Regions and programs are loaded again: a transactional test empties the tables migrations fill.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_fifty_simultaneous_events_for_one_certificate_create_one_entitlement():
    cert = certificate(EnterpriseFactory())
    results = run_together(
        50, lambda _: services.entitlement_from_certificate(certificate_id=cert.pk)
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Entitlement.objects.count() == 1
    assert sum(created for _entitlement, created in results) == 1
    assert {entitlement.pk for entitlement, _ in results} == {Entitlement.objects.get().pk}


def test_simultaneous_approvals_never_pass_the_city_block():
    finance = finance_officer()
    budget_ = budget(finance, blocks={"620100": "1000000"})
    awards = [
        services.entitlement_from_certificate(certificate_id=certificate(EnterpriseFactory()).pk)[0]
        for _ in range(8)
    ]
    results = run_together(
        8,
        lambda i: services.entitlement_approve(
            actor=finance, entitlement=awards[i], budget=budget_
        ),
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 5  # 1,000,000 holds three awards of 300,000
    allocation = Allocation.objects.get()
    assert allocation.reserved == Decimal("900000.00")
    assert Entitlement.objects.filter(status="approved").count() == 3


def test_a_clawback_during_batch_approval_takes_the_reservation_once(monkeypatch):
    finance, finance2 = finance_officer("finance"), finance_officer("finance2")
    budget_ = budget(finance)
    clawed, other = [
        services.entitlement_approve(
            actor=finance, budget=budget_,
            entitlement=services.entitlement_from_certificate(
                certificate_id=certificate(EnterpriseFactory()).pk
            )[0],
        )
        for _ in range(2)
    ]
    batch = services.batch_create(actor=finance, title="批次")
    services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for([clawed]))
    services.batch_submit(actor=finance, batch=batch)
    Certificate.objects.filter(pk=clawed.certificate_id).update(
        status=CertificateStatus.REVOKED, revocation_reason=RevocationReason.FALSIFIED,
        revoked_at=timezone.now(),
    )
    move = batches._move

    def slow_move(*args, **kwargs):
        # The approval holds its batch a while, so the clawback really runs in between.
        time.sleep(1)
        return move(*args, **kwargs)

    monkeypatch.setattr(batches, "_move", slow_move)

    def work(index):
        if index == 0:
            return services.batch_approve(actor=finance2, batch=batch)
        time.sleep(0.3)
        return services.entitlements_clawback(
            certificate_id=clawed.certificate_id, reason=RevocationReason.FALSIFIED
        )

    results = run_together(2, work)
    assert not [r for r in results if isinstance(r, Exception)]
    allocation = Allocation.objects.get()
    approved = Entitlement.objects.filter(status=EntitlementStatus.APPROVED)
    in_batch = approved.filter(batch_items__is_open=True)
    # The batch commits exactly the money of the awards it still holds, and every other
    # approved award keeps its reservation: nothing is taken out of reserved twice.
    assert allocation.committed == (in_batch.aggregate(total=Sum("amount"))["total"] or 0)
    assert allocation.reserved == approved.exclude(pk__in=in_batch).aggregate(
        total=Sum("amount"))["total"]
    other.refresh_from_db()
    assert other.status == EntitlementStatus.APPROVED


def test_simultaneous_first_computes_of_a_city_year_make_one_reward():
    finance = finance_officer()
    year = timezone.localdate().year - 1
    firm = EnterpriseFactory(region=region("620102"))
    verified_annual(firm, year - 1, 1500)
    verified_annual(firm, year, 2500)
    results = run_together(
        8, lambda _: services.city_reward_compute(actor=finance, city=region("620100"),
                                                  year=year)
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert CityReward.objects.count() == 1
    assert Entitlement.objects.get().amount == Decimal("300000.00")


def test_simultaneous_openings_of_one_budget_refuse_all_but_one_by_field():
    finance = finance_officer()
    results = run_together(
        8, lambda _: services.budget_create(
            actor=finance, year=2026, funding_source=FundingSource.PROVINCIAL,
            amount=Decimal("1000000"),
        )
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 7
    assert all(
        isinstance(r, DomainError) and list(r.fields) == ["funding_source"] for r in refused
    )
    assert Budget.objects.count() == 1
