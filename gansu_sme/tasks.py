"""Celery tasks of the shared machinery: the outbox's drain, run by beat every minute."""

from celery import shared_task
from celery.signals import worker_ready

from gansu_sme import outbox


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=50, time_limit=60)
def outbox_drain_task():
    """Send the outbox messages left unsent (the broker was down when they were written)."""
    return outbox.outbox_drain()


@worker_ready.connect
def _drain_at_start(sender, **kwargs):
    # A worker starting after an outage need not wait for beat's next minute.
    outbox_drain_task.delay()
