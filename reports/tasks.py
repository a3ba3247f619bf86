"""Celery tasks of reports and notifications: ids in, one service call each.

Every task is acknowledged late and rejected when its worker process is lost (settings and the
options below), so a run cut short by a killed worker is delivered again; the services are
idempotent (reports are upserted per kind × period × region, reminders are unique per user and
key), so a second run leaves the same result. Database and broker hiccups are retried with
exponential backoff; anything else is a bug and fails loudly. The periodic ones run from the
database schedule (django-celery-beat), editable in the admin: the reminders' rows come from
migration 0002_periodic_tasks, each report kind's from its spec (``reports.specs``), installed
after every migrate by ``report_schedules_install``.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from reports.services import notifications, reports

# Transient failures worth another try: the database or the broker went away for a moment.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RELIABLE, soft_time_limit=5 * 60, time_limit=6 * 60)
def report_generate_task(kind, year, period, region_id):
    """Generate (or regenerate) one region's report of one period."""
    reports.report_generate(kind=kind, year=year, period=period, region_id=region_id)


@shared_task(**RELIABLE, soft_time_limit=60, time_limit=2 * 60)
def reports_generate_due_task(kind):
    """Scheduled per kind (its spec's crontab): the last complete period's report of ``kind``
    for every region."""
    reports.reports_generate_due(kind=kind)


@shared_task(**RELIABLE, soft_time_limit=10 * 60, time_limit=12 * 60)
def notifications_remind_task():
    """Scheduled daily: today's reminders as in-app notifications."""
    return notifications.notifications_remind()


@shared_task(**RELIABLE, soft_time_limit=60, time_limit=2 * 60)
def notifications_credit_code_claimed_task(enterprise_id, actor_id):
    """Sent at once when staff of another region were refused a firm's credit code."""
    return notifications.notifications_credit_code_claimed(
        enterprise_id=enterprise_id, actor_id=actor_id
    )


@shared_task(
    **{**RELIABLE, "autoretry_for": TRANSIENT + notifications.SMTP_CONNECTION_ERRORS},
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def notifications_digest_task():
    """Scheduled daily, after the reminders: one digest e-mail per user.

    Also retried when the mail server cannot be reached: each user's digest commits on its
    own, so the retry mails only the users the failed run did not reach.
    """
    return notifications.notifications_digest_send()
