"""Writing the operations log: the one function that records a row (with the request's address
from ``oplog.clients``), and what a download response carries for the log.

Sign-ins come from Django's auth signals (``oplog.receivers``), downloads and exports from the
one middleware that sees every file response (``oplog.middleware``); a view or the list adapter
only says what a file is about with ``describe``. This app sits below every other one, so any
of them may call it.
"""

from typing import Any

from django.http import HttpRequest, HttpResponseBase

from oplog.choices import Kind
from oplog.clients import client_address
from oplog.models import Operation

# The attribute of a response that tells the middleware what the file is about.
RESPONSE_ATTRIBUTE = "oplog_description"


def _acting_user(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _storable(value: Any) -> Any:
    """``value`` as PostgreSQL stores it: no text or JSON value may hold a NUL character or a
    lone surrogate half, and a query string or a name is anyone's to write. Either becomes a
    replacement mark, so the visit is logged rather than refused with a server error."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def record(
    *,
    kind: Kind,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    subject: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    details: dict[str, Any] | None = None,
) -> Operation:
    """Append one row to the operations log and return it.

    ``user`` defaults to the request's user; ``subject`` (a model instance) fills the object's
    type, key and name unless they are given. The address, path and request id come from
    ``request`` when there is one.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user = _acting_user(user)
    if subject is not None:
        object_type = object_type or subject._meta.label
        object_id = object_id or str(subject.pk)
        object_repr = object_repr or str(subject)
    path = request.get_full_path()[:500] if request is not None else ""
    return Operation.objects.create(
        kind=kind,
        user=user,
        username=_storable(username or (user.get_username() if user is not None else ""))[:150],
        address=client_address(request),
        object_type=object_type[:100],
        object_id=_storable(str(object_id))[:64],
        object_repr=_storable(str(object_repr))[:255],
        path=_storable(path),
        request_id=getattr(request, "request_id", "")[:64] if request is not None else "",
        details=_storable(details or {}),
    )


def describe(
    response: HttpResponseBase,
    *,
    kind: Kind = Kind.DOWNLOAD,
    subject: Any = None,
    object_type: str = "",
    object_repr: str = "",
    details: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """Say what a file response is about; the middleware logs it when it is sent.

    Without it, a file response is still logged, as a download named by its file name.
    """
    setattr(response, RESPONSE_ATTRIBUTE, {
        "kind": kind, "subject": subject, "object_type": object_type,
        "object_repr": object_repr, "details": details or {},
    })
    return response
