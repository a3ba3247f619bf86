"""A task for the real-worker test only, loaded by its worker with ``--include``.

Its first run blocks until the test kills the process running it; every run appends its pid to
a log first, so the test knows whom to kill and how often the task ran. The effect, a
notification keyed by an idempotency key, is written in one transaction at the very end, the
way the project's tasks are written.
"""

import os
import time
from pathlib import Path

from celery import shared_task
from django.db import transaction

from reports.models import Notification


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notification_probe_task(user_id, key, log_path):
    log = Path(log_path)
    with log.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    if len(log.read_text().split()) == 1:
        time.sleep(60)  # the test kills this process meanwhile
        raise RuntimeError("the first run was expected to be killed")
    with transaction.atomic():
        Notification.objects.get_or_create(
            user_id=user_id, key=key,
            defaults={"kind": "monitoring_overdue", "text": "probe", "link": ""},
        )
