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
import time
from datetime import timedelta
from importlib import import_module

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
BREAKER_SECONDS = 30.0
_down_until = 0.0


def reset_breaker():
    """Let the next send try the broker at once (the broker is known to be back)."""
    global _down_until
    _down_until = 0.0


def enqueue(task, *args, queue="", **kwargs) -> OutboxMessage:
    """Ask for ``task`` (a Celery task) with JSON arguments once the current transaction
    commits; the message is written now, in that transaction."""
    message = OutboxMessage.objects.create(
        task=task.name, args=list(args), kwargs=kwargs, queue=queue
    )
    after_commit(lambda: send([message.pk]))
    return message


def after_commit(callback):
    """Run ``callback`` once the current transaction commits (tests may run it at once)."""
    transaction.on_commit(callback)


def send(ids, *, force=False) -> int:
    """Send the unsent messages among ``ids``, each in its own transaction under its row
    lock (skipping one another process is sending); stops at the first broker failure.
    Returns how many were sent.

    For BREAKER_SECONDS after a failure, only a drain (``force``) tries the broker again:
    reaching a broker that is down takes a couple of seconds, which requests need not spend.
    """
    from gansu_sme.celery import app

    global _down_until
    if not force and time.monotonic() < _down_until:
        return 0
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
                options = {"queue": message.queue} if message.queue else {}
                _task(app, message.task).apply_async(
                    message.args, message.kwargs, retry=False, **options
                )
            except BROKER_DOWN as exc:
                _down_until = time.monotonic() + BREAKER_SECONDS
                OutboxMessage.objects.filter(pk=pk).update(
                    attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:500]
                )
                logger.warning("Outbox: the broker is unreachable (%s); %s waits", exc, message)
                return sent
            _down_until = 0.0
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent


def _task(app, name):
    """The registered task ``name``, its module imported first if no one has yet (a web
    process imports task modules only as its code needs them)."""
    if name not in app.tasks:
        import_module(name.rsplit(".", 1)[0])
    return app.tasks[name]


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
        sent = send(ids, force=True)
        total += sent
        if sent < len(ids):
            return total
