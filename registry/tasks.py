"""Celery tasks of the registry: ids in, one service call, sent through the outbox.

Tasks are acknowledged late and rejected when the worker is lost (settings), so a job whose
worker died is delivered again; the services make a second run harmless, and give a job up
after MAX_ATTEMPTS runs that died. Reading a workbook is bounded: soft and hard time limits
here, and the address-space cap every pool process sets at its start (gansu_sme/celery.py,
IMPORT_WORKER_MEMORY_MB), so a file that passes the container checks and still asks too much
fails its own job and nothing else.
"""

from celery import shared_task
from django.conf import settings

from registry.services import figures, imports

BOUNDED = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.IMPORT_SOFT_TIME_LIMIT,
    "time_limit": settings.IMPORT_TIME_LIMIT,
}


@shared_task(**BOUNDED)
def import_job_validate_task(job_id):
    imports.import_job_validate(job_id=job_id)


@shared_task(**BOUNDED)
def import_job_run_task(job_id):
    imports.import_job_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def region_figures_reconcile_task():
    """Nightly: recompute every kept region figure from the monitoring reports."""
    return figures.region_figures_reconcile()
