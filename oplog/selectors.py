from datetime import datetime
from typing import Any

from oplog.choices import Kind
from oplog.models import Operation


def previous_sign_in(*, user: Any) -> Operation | None:
    """The user's latest recorded sign-in, or None before the first."""
    return Operation.objects.filter(user=user, kind=Kind.SIGN_IN).order_by("-at", "-id").first()


def failures_since(*, user: Any, since: datetime | None) -> int:
    """How many failed sign-ins named the user's account since ``since`` (ever, if None)."""
    failures = Operation.objects.filter(user=user, kind=Kind.SIGN_IN_FAILED)
    if since is not None:
        failures = failures.filter(at__gt=since)
    return failures.count()


def recent_sign_ins(*, user: Any, limit: int = 10) -> list[Operation]:
    """The user's latest sign-ins and failed sign-ins, newest first, for the account page."""
    return list(
        Operation.objects.filter(user=user, kind__in=[Kind.SIGN_IN, Kind.SIGN_IN_FAILED])
        .order_by("-at", "-id")[:limit]
    )
