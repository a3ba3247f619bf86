"""Real threads on PostgreSQL: simultaneous events and decisions never pay twice."""

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from gansu_sme.exceptions import DomainError
from subsidies import services
from subsidies.models import Allocation, Entitlement
from tests.factories.registry import EnterpriseFactory
from tests.factories.subsidies import budget, certificate, finance_officer

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE_DATA = (
    ("registry.migrations.0002_load_reference_data", "load"),
    ("subsidies.migrations.0002_seed_programs", "seed"),
)


def _run_together(count, work):
    barrier = threading.Barrier(count)

    def one(index):
        try:
            barrier.wait()
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return [f.exception() or f.result() for f in [pool.submit(one, i) for i in range(count)]]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Regions and programs again: a transactional test empties the tables migrations filled."""
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


def test_fifty_simultaneous_events_for_one_certificate_create_one_entitlement():
    cert = certificate(EnterpriseFactory())
    results = _run_together(
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
    results = _run_together(
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
