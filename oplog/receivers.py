"""Sign-ins, failed sign-ins and sign-outs, from Django's auth signals (every sign-in form, the
admin's included, goes through them)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from oplog import selectors
from oplog.choices import Kind
from oplog.services import record

# Where the session keeps what the user menu says about the previous sign-in.
PREVIOUS_SIGN_IN = "previous_sign_in"


def signed_in(sender, request, user, **kwargs):
    # Read before this sign-in is recorded: the menu shows the one before it, which tells an
    # official whether someone else used the account, and the failures since.
    previous = selectors.previous_sign_in(user=user)
    since = previous.at if previous else None
    if request is not None and hasattr(request, "session"):
        request.session[PREVIOUS_SIGN_IN] = {
            "at": previous.at.isoformat() if previous else None,
            "address": previous.address if previous else None,
            "failures": selectors.failures_since(user=user, since=since),
        }
    record(kind=Kind.SIGN_IN, request=request, user=user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    record(kind=Kind.SIGN_IN_FAILED, request=request, user=user, username=username)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(kind=Kind.SIGN_OUT, request=request, user=user)


def connect():
    user_logged_in.connect(signed_in, dispatch_uid="oplog.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="oplog.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="oplog.signed_out")

