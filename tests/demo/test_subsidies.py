"""The subsidy demo data: awards in every state on certification's demo certificates."""

import pytest

from accounts.choices import Role
from certification.choices import RevocationReason
from certification.models import Certificate
from demo.certification import demo_certification_load
from demo.monitoring import demo_monitoring_load
from demo.registry import demo_data_load
from demo.subsidies import demo_subsidies_load
from subsidies.choices import BatchStatus, EntitlementStatus
from subsidies.models import Entitlement, PaymentBatch

# The loads take seconds: each test runs them once and checks what they wrote.


def load():
    demo_data_load()
    demo_monitoring_load()
    demo_certification_load()
    return demo_subsidies_load()


@pytest.mark.django_db(transaction=True)
def test_the_demo_builds_on_the_certificate_events_as_load_demo_runs_it(reference_data):
    # Every step commits, so the certificate events fire and create and claw back the awards.
    assert not load().unchanged
    check_every_state_one_paid_batch_and_a_draft()
    check_the_clawbacks_come_from_revocations_for_falsification()
    check_a_second_load_writes_nothing()


@pytest.mark.django_db
def test_the_demo_is_the_same_inside_an_outer_transaction():
    # The test's transaction holds the events back; the demo stands in for them.
    assert not load().unchanged
    check_every_state_one_paid_batch_and_a_draft()
    check_the_clawbacks_come_from_revocations_for_falsification()
    check_a_second_load_writes_nothing()


def check_every_state_one_paid_batch_and_a_draft():
    assert set(Entitlement.objects.values_list("status", flat=True)) == set(EntitlementStatus)
    paid = PaymentBatch.objects.get(status=BatchStatus.PAID)
    assert paid.approved_by.username == "finance2"
    assert paid.approved_by.role == Role.FINANCE_OFFICER
    assert paid.created_by.username == "finance"
    draft = PaymentBatch.objects.get(status=BatchStatus.DRAFT)
    assert [item.entitlement.status for item in draft.items.all()] == [
        EntitlementStatus.APPROVED
    ]
    # Every award stands on a certificate certification's services issued (its numbering).
    assert not Entitlement.objects.filter(certificate__isnull=True).exists()
    assert not Certificate.objects.exclude(number__startswith="GS-").exists()


def check_the_clawbacks_come_from_revocations_for_falsification():
    clawed = Entitlement.objects.filter(
        status__in=(EntitlementStatus.RECOVERY_DUE, EntitlementStatus.RECOVERED)
    ).select_related("certificate__revoked_by")
    assert len(clawed) == 2
    for award in clawed:
        assert award.paid_on is not None
        assert award.recovery_amount == award.amount
        assert award.certificate.revocation_reason == RevocationReason.FALSIFIED
        assert award.certificate.revoked_by.username == "province"
    recovered = clawed.get(status=EntitlementStatus.RECOVERED)
    assert recovered.recovered_amount == recovered.recovery_amount


def check_a_second_load_writes_nothing():
    counts = (Certificate.objects.count(), Entitlement.objects.count(),
              PaymentBatch.objects.count())
    assert demo_subsidies_load().unchanged
    assert counts == (Certificate.objects.count(), Entitlement.objects.count(),
                      PaymentBatch.objects.count())
