"""Celery tasks of the registry: ids in, one service call, enqueued on commit by the services.

Tasks are acknowledged late and rejected when the worker is lost (settings), so a job whose
worker died is delivered again; the services make a second run harmless.
"""

from celery import shared_task

from registry.services import imports


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_job_validate_task(job_id):
    imports.import_job_validate(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_job_run_task(job_id):
    imports.import_job_run(job_id=job_id)
