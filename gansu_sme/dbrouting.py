"""Reads that may be served by a read replica, and the router that sends them there.

Used only when REPLICA_DATABASE_URL is set: the settings then add the ``replica`` alias, this
router and ``ReplicaReadsMiddleware``; without it nothing here runs. A read goes to the replica
only where code said it may (``replica_reads``): read-only API requests and report pages (the
middleware), the report builders (``reports.services.reports.report_generate``, which the
periodic report tasks call). Even there a read stays on ``default`` while the default
connection is inside a transaction or after anything was written in the same ``replica_reads``
block, so a request or a task always reads its own writes. Every write and every migration is on
``default``.

The replica lags its primary by the replication delay (milliseconds on one network); the paths
allowed above tolerate that, and what decides who is signed in never reads from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections

DEFAULT = "default"
REPLICA = "replica"

# Sessions, accounts, tokens and sign-in lock-outs: a session or token created a moment ago
# must be found, whatever the replica's delay. Celery's schedules and the operations log are
# written by the processes that read them.
PRIMARY_ONLY_APPS = frozenset({
    "sessions", "auth", "accounts", "knox", "axes", "contenttypes", "django_celery_beat", "oplog",
})

# Requests whose reads may come from the replica, when their method is safe: the API, the report
# pages and the dashboard (``/``). Notifications are left out: a user marks one read and looks
# again at once.
REPLICA_PATHS = re.compile(r"/(?:api/|reports/(?!notifications/)|$)")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    wrote: bool = False


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads may go to the replica until the first write.

    Nested blocks share the outer one's state, so a write anywhere inside keeps every later
    read of the outer block on ``default``.
    """
    if _reads.get() is not None:
        yield
        return
    token = _reads.set(_Reads())
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaRouter:
    """Reads to ``replica`` inside ``replica_reads`` (see the module); everything else to
    ``default``."""

    def db_for_read(self, model, **hints):
        state = _reads.get()
        if (
            state is None
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT].in_atomic_block
        ):
            return DEFAULT
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.wrote = True
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: an object read from the replica may be related to
        # one read from (or saved to) the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT


class ReplicaReadsMiddleware:
    """Safe requests to the paths in REPLICA_PATHS run inside ``replica_reads``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS and REPLICA_PATHS.match(request.path_info):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
