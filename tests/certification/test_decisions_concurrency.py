"""Twenty simultaneous approvals of one application, on PostgreSQL with real threads."""

import importlib
import threading
from decimal import Decimal

import pytest
from django.db import connection

from accounts.choices import Role
from certification.choices import ApplicationStatus, AssignmentStatus, Verb
from certification.models import Application, ApplicationTransition
from certification.services.decisions import application_approve
from gansu_sme.exceptions import InvalidTransition
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertAssignmentFactory, ExpertDrawFactory
from tests.factories.registry import region

CALLERS = 20


@pytest.fixture
def reference_data(transactional_db):
    """Regions and rule sets again: a transactional test before this one emptied every table."""
    from django.apps import apps

    for module, function in (
        ("registry.migrations.0002_load_reference_data", "load"),
        ("certification.migrations.0002_seed_rule_sets", "seed"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_approvals_give_exactly_one_transition(reference_data):
    province_user = UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))
    application = ApplicationFactory(
        status=ApplicationStatus.UNDER_EXPERT_REVIEW, panel_score=Decimal("78.0")
    )
    draw = ExpertDrawFactory(application=application, count=2)
    for _ in range(2):
        ExpertAssignmentFactory(
            draw=draw, status=AssignmentStatus.SUBMITTED, total=Decimal("78.0")
        )
    barrier = threading.Barrier(CALLERS)
    outcomes = []
    lock = threading.Lock()

    def approve():
        try:
            barrier.wait(timeout=30)
            try:
                result = application_approve(
                    actor=province_user, application=Application.objects.get(pk=application.pk)
                )
                outcome = ("approved", result.status)
            except InvalidTransition as error:
                outcome = ("refused", str(error))
            except Exception as error:  # noqa: BLE001 - any other error is the test's failure
                outcome = ("error", repr(error))
            with lock:
                outcomes.append(outcome)
        finally:
            # Each thread opened its own connection; leaving it open would block the teardown.
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == CALLERS
    assert [o for o in outcomes if o[0] == "error"] == []
    assert all(
        o == ("approved", ApplicationStatus.APPROVED) for o in outcomes if o[0] == "approved"
    )
    assert ApplicationTransition.objects.filter(
        application=application, verb=Verb.APPROVE
    ).count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decision_score == Decimal("78.0")
