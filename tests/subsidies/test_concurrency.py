"""Real threads on PostgreSQL: simultaneous events and decisions never pay twice."""

from decimal import Decimal

import pytest

from gansu_sme.exceptions import DomainError
from subsidies import services
from subsidies.models import Allocation, Entitlement
from tests.concurrency import run_together
from tests.factories.registry import EnterpriseFactory
from tests.factories.subsidies import budget, certificate, finance_officer

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
