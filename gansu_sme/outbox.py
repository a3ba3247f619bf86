"""The transactional outbox: tasks are asked for in the database and sent to the broker after.

``enqueue(task, *args)`` writes an OutboxMessage in the caller's transaction, so a task exists
exactly when the change that called for it committed (a rolled-back change sends nothing) and
the caller never waits on Redis. After the commit the message is sent at once; if the broker
cannot be reached the message simply stays, the page answers as usual, and the beat task
``outbox_drain_task`` (every minute, and once at each worker start) sends what is left when
Redis is back. A message is marked sent in the transaction that sent it; if that transaction
is lost after the send, the message is sent again: delivery is at least once, so every task is
idempotent (DESIGN.md, Background work).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from gansu_sme.models import OutboxMessage

logger = logging.getLogger(__name__)

# Messages sent per drain; the next run takes the rest.
DRAIN_BATCH = 500
# Sent messages are kept this long, to answer "was it sent, when?", then deleted.
KEEP_SENT = timedelta(days=7)
# What a broker that is down or unreachable raises when a message is published.
BROKER_DOWN = (BrokerError, ConnectionError, OSError, TimeoutError)


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Ask for ``task`` (a Celery task) with JSON arguments once the current transaction
    commits; the message is written now, in that transaction."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    after_commit(lambda: send([message.pk]))
    return message


def after_commit(callback):
    """Run ``callback`` once the current transaction commits (tests may run it at once)."""
    transaction.on_commit(callback)


def send(ids) -> int:
    """Send the unsent messages among ``ids``, each in its own transaction under its row
    lock (skipping one another process is sending); stops at the first broker failure.
    Returns how many were sent."""
    from gansu_sme.celery import app

    sent = 0
    for pk in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True).first()
            )
            if message is None:
                continue
            try:
                # No retry loop here: a request must not wait for a broker that is down.
                app.tasks[message.task].apply_async(
                    message.args, message.kwargs, retry=False
                )
            except BROKER_DOWN as exc:
                OutboxMessage.objects.filter(pk=pk).update(
                    attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
                )
                logger.warning("Outbox: the broker is unreachable (%s); %s waits", exc, message)
                return sent
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent


def outbox_drain(*, batch: int = DRAIN_BATCH) -> int:
    """Send every message still waiting, oldest first, and forget those sent long ago."""
    OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    total = 0
    while True:
        ids = list(
            OutboxMessage.objects.filter(sent_at__isnull=True)
            .order_by("id").values_list("id", flat=True)[:batch]
        )
        if not ids:
            return total
        sent = send(ids)
        total += sent
        if sent < len(ids):
            return total
