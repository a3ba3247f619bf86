"""A task for the killed-worker test only, loaded by its worker with ``--include``.

Each run appends its pid and key to a log first (so the test knows whom to kill and how often
each task ran), works a moment (a victim's first run blocks until the test kills it), then
writes its effect, a notification keyed by an idempotency key, in one transaction at the very
end, as the project's tasks are written. It takes
the project's defaults (late acknowledgement, rejected when its worker is lost).
"""

import os
import time
from pathlib import Path

from celery import shared_task
from django.db import transaction

from reports.models import Notification


@shared_task
def outbox_probe_task(user_id, key, log_path, seconds, block_first_run=False):
    log = Path(log_path)
    with log.open("a") as handle:
        handle.write(f"{os.getpid()} {key}\n")
    first = sum(1 for line in log.read_text().splitlines() if line.endswith(f" {key}")) == 1
    # A victim's first run blocks until the test kills the process running it.
    time.sleep(60 if block_first_run and first else seconds)
    with transaction.atomic():
        Notification.objects.get_or_create(
            user_id=user_id, key=key,
            defaults={"kind": "monitoring_overdue", "text": "probe", "link": ""},
        )
