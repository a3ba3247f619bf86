"""Celery tasks of the subsidy app: thin, idempotent, one service call each."""

from celery import shared_task

from subsidies import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def entitlements_reconcile_task():
    """Nightly: re-derive awards from certificates, so a lost event is repaired."""
    return services.entitlements_reconcile()
