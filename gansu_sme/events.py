"""The one list of domain events: how a lower app tells a higher one that something happened.

A lower app's service calls ``announce(event, ...)`` inside its transaction; receivers run only
after the commit, so a rolled-back change announces nothing. Receivers connect in their app's
``AppConfig.ready()``, react through their own service and must be idempotent: a nightly
reconcile re-derives what the events should have produced, so a lost event is repaired.
Payloads carry ids, never model instances, so a receiver reads fresh rows.
"""

from django.db import transaction
from django.dispatch import Signal

# certificate_id: a certificate (provincial or national) was issued.
certificate_issued = Signal()
# certificate_id: a certificate was renewed by a passed re-review (复核).
certificate_renewed = Signal()
# certificate_id, reason: a certificate was revoked with a coded reason (RevocationReason).
certificate_revoked = Signal()
# certificate_id: a certificate passed its validity.
certificate_expired = Signal()


def announce(event, **payload):
    """Send ``event`` with ``payload`` once the current transaction commits."""
    transaction.on_commit(lambda: event.send(sender=None, **payload))
