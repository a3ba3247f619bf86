"""The daily certification tasks and their database schedule."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from certification.choices import ApplicationStatus, CertificateStatus, NoticeStatus
from certification.models import Certificate
from certification.tasks import certificates_expire_task, notices_close_due_task
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import CertificateFactory, NoticeFactory

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")

schedules = importlib.import_module("certification.migrations.0004_certificates_periodic_tasks")


def test_the_close_task_closes_due_notices_and_issues_certificates(db):
    today = timezone.localdate()
    notice = NoticeFactory(
        starts_on=today - datetime.timedelta(days=9), ends_on=today - datetime.timedelta(days=1)
    )
    ApplicationFactory(campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE,
                       notice=notice)

    assert notices_close_due_task.apply().get() == [notice.pk]
    assert notices_close_due_task.apply().get() == []
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    assert Certificate.objects.count() == 1


def test_the_expiry_task_expires_lapsed_certificates(db):
    lapsed = CertificateFactory(issued_on=datetime.date(2020, 5, 6))

    assert certificates_expire_task.apply().get() == [lapsed.pk]
    lapsed.refresh_from_db()
    assert lapsed.status == CertificateStatus.EXPIRED


def test_the_schedules_run_daily_in_beijing_time_and_are_created_once(db):
    schedules.create_schedules(apps, None)
    schedules.create_schedules(apps, None)

    rows = {
        task.task: task
        for task in PeriodicTask.objects.filter(task__startswith="certification.")
        .select_related("crontab")
    }
    assert set(rows) == {
        "certification.tasks.notices_close_due_task",
        "certification.tasks.certificates_expire_task",
    }
    close = rows["certification.tasks.notices_close_due_task"].crontab
    expire = rows["certification.tasks.certificates_expire_task"].crontab
    assert (close.hour, close.minute, str(close.timezone)) == ("0", "30", "Asia/Shanghai")
    assert (expire.hour, expire.minute) == ("1", "0")
    assert PeriodicTask.objects.filter(task__startswith="certification.").count() == 2
