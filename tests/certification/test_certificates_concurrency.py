"""Twenty simultaneous closes of one notice, on PostgreSQL with real threads."""

import datetime

import pytest

from certification.choices import ApplicationStatus, NoticeStatus
from certification.models import Application, Certificate, Notice
from certification.services.notices import notice_close
from tests.concurrency import run_together
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import NoticeFactory

CALLERS = 20
FIRMS = 6
AFTER = datetime.date(2026, 10, 19)


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_closes_issue_one_certificate_per_firm(reference_data):
    campaign = CampaignFactory()
    notice = NoticeFactory(campaign=campaign)
    applications = [
        ApplicationFactory(campaign=campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice)
        for _ in range(FIRMS)
    ]

    outcomes = run_together(
        CALLERS,
        lambda _index: notice_close(notice=Notice.objects.get(pk=notice.pk), today=AFTER).status,
    )

    assert outcomes == [NoticeStatus.CLOSED] * CALLERS
    certificates = Certificate.objects.order_by("serial")
    assert sorted(c.application_id for c in certificates) == sorted(a.pk for a in applications)
    assert [c.serial for c in certificates] == list(range(1, FIRMS + 1))
    assert set(
        Application.objects.filter(pk__in=[a.pk for a in applications]).values_list(
            "status", flat=True
        )
    ) == {ApplicationStatus.CERTIFIED}
