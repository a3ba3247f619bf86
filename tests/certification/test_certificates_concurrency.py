"""Twenty simultaneous closes of one notice, on PostgreSQL with real threads."""

import datetime
import importlib
import threading

import pytest
from django.db import connection

from certification.choices import ApplicationStatus, NoticeStatus
from certification.models import Application, Certificate, Notice
from certification.services.notices import notice_close
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import NoticeFactory

CALLERS = 20
FIRMS = 6
AFTER = datetime.date(2026, 10, 19)


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
def test_twenty_simultaneous_closes_issue_one_certificate_per_firm(reference_data):
    campaign = CampaignFactory()
    notice = NoticeFactory(campaign=campaign)
    applications = [
        ApplicationFactory(campaign=campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice)
        for _ in range(FIRMS)
    ]
    barrier = threading.Barrier(CALLERS)
    outcomes = []
    lock = threading.Lock()

    def close():
        try:
            barrier.wait(timeout=30)
            try:
                result = notice_close(notice=Notice.objects.get(pk=notice.pk), today=AFTER)
                outcome = ("closed", result.status)
            except Exception as error:  # noqa: BLE001 - any error is the test's failure
                outcome = ("error", repr(error))
            with lock:
                outcomes.append(outcome)
        finally:
            # Each thread opened its own connection; leaving it open would block the teardown.
            connection.close()

    threads = [threading.Thread(target=close) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == [("closed", NoticeStatus.CLOSED)] * CALLERS
    certificates = Certificate.objects.order_by("serial")
    assert sorted(c.application_id for c in certificates) == sorted(a.pk for a in applications)
    assert [c.serial for c in certificates] == list(range(1, FIRMS + 1))
    assert set(
        Application.objects.filter(pk__in=[a.pk for a in applications]).values_list(
            "status", flat=True
        )
    ) == {ApplicationStatus.CERTIFIED}
