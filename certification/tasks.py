"""Celery tasks of certification: thin, idempotent, each one service call.

Both run daily from the database schedule (migration 0004_certificates_periodic_tasks).
Acknowledged late and rejected when the worker is lost, so a run cut short is delivered again;
the services make a second run harmless.
"""

from celery import shared_task

from certification.services import certificates, notices


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,),
             retry_backoff=60, max_retries=5)
def notices_close_due_task():
    """Close every notice whose period has passed; certificates follow (notice_close)."""
    return notices.notices_close_due()


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,),
             retry_backoff=60, max_retries=5)
def certificates_expire_task():
    """Mark certificates past their validity as expired."""
    return certificates.certificates_expire()
