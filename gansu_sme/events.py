"""The one list of domain events: how a lower app tells a higher one that something happened.

A lower app's service calls ``announce(event, ...)`` inside its transaction; receivers run only
after the commit, so a rolled-back change announces nothing. Receivers connect in their app's
``AppConfig.ready()``, react through their own service and must be idempotent: a nightly
reconcile re-derives what the events should have produced, so a lost event is repaired.
Payloads carry ids, never model instances, so a receiver reads fresh rows.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# certificate_id: a certificate (provincial or national) was issued.
certificate_issued = Signal()
# certificate_id: a certificate was renewed by a passed re-review (复核).
certificate_renewed = Signal()
# certificate_id, reason: a certificate was revoked with a coded reason (RevocationReason).
certificate_revoked = Signal()
# certificate_id: a certificate passed its validity.
certificate_expired = Signal()
# enterprise_id, actor_id: staff outside the firm's region tried to register its credit code and
# were refused; the firm's own officials and the province are told (announce_refusal).
credit_code_claimed = Signal()


def announce(event, **payload):
    """Send ``event`` with ``payload`` once the current transaction commits."""
    transaction.on_commit(lambda: event.send(sender=None, **payload))


def announce_refusal(event, **payload):
    """Send ``event`` now: it tells of a refusal, whose transaction is rolled back by design.

    A receiver must therefore not write in the caller's transaction (it would be rolled back
    too): it hands the work to a Celery task, sent to the broker at once. A receiver's failure
    is logged, never raised: the refusal stands whether or not anyone could be told.
    """
    for receiver, result in event.send_robust(sender=None, **payload):
        if isinstance(result, Exception):
            logger.error("%s failed on %s", receiver, payload, exc_info=result)
