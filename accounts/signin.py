"""Sign-in lock-out: the policy django-axes applies, and the page a locked-out sign-in sees.

django-axes (``AxesStandaloneBackend`` first in AUTHENTICATION_BACKENDS) refuses every sign-in of
a locked account or address before any password is checked, on the site's form and the
admin's alike; failures are counted in its ``AccessAttempt`` rows. This module decides:

- *what counts*: an account is locked after ``SIGN_IN_FAILURE_LIMIT`` failures, an address after
  ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` (an office signs in from one gateway, so an address gets
  more tries than an account); failures while locked count too, and extend the lock;
- *for how long* (the progressive delay): ``SIGN_IN_LOCKOUT_MINUTES`` after the last failure,
  doubling with each further ``SIGN_IN_FAILURE_LIMIT`` failures, up to
  ``SIGN_IN_LOCKOUT_MAX_MINUTES``. The count is kept until that maximum passes without a
  failure, so once a lock has ended each further wrong password locks again, for longer; a
  successful sign-in or an administrator's unlock (``services.lockout_clear``) forgets it;
- *what is said*: the sign-in page, status 429, naming the time to try again.
"""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _scaled_address_failures(failures: int) -> int:
    """Failures of an address on the account's scale: the address reaches the account limit
    exactly when it reaches its own (axes compares one number with one limit)."""
    return failures * settings.SIGN_IN_FAILURE_LIMIT // settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def lockout_duration(failures: int) -> datetime.timedelta:
    """How long a lock lasts after the last of ``failures`` failures: the base for the first
    ``SIGN_IN_FAILURE_LIMIT``, doubled for each further ``SIGN_IN_FAILURE_LIMIT``, capped."""
    limit = settings.SIGN_IN_FAILURE_LIMIT
    doublings = max(0, failures // limit - 1)
    minutes = settings.SIGN_IN_LOCKOUT_MINUTES * 2 ** min(doublings, 32)
    return datetime.timedelta(minutes=min(minutes, settings.SIGN_IN_LOCKOUT_MAX_MINUTES))


def cool_off(request: HttpRequest | None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: the lock's length for this request's account and address."""
    if request is None:
        return lockout_duration(0)
    username = getattr(request, "axes_username", None)
    if username is None:
        username = get_client_username(request, getattr(request, "axes_credentials", None))
    return lockout_duration(_raw_failures(username, getattr(request, "axes_ip_address", None)))


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with an address counted on its own, higher limit, and failures
    remembered until SIGN_IN_LOCKOUT_MAX_MINUTES pass without one (not just one lock's length),
    so that each lock after the first is longer: the progressive delay."""

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        # axes deletes every row older than *this* request's cool-off, which would cut short
        # the longer locks of other accounts; a row goes only when no lock can need it.
        horizon = timezone.now() - datetime.timedelta(minutes=settings.SIGN_IN_LOCKOUT_MAX_MINUTES)
        count, _deleted = AccessAttempt.objects.filter(attempt_time__lte=horizon).delete()
        return count

    def reset_user_attempts(self, request, credentials=None) -> int:
        # axes forgets the failures of the account *and of the address* on a sign-in: anyone
        # with an account could then clear, between guesses, the count of the account they
        # guess at from the same address. Only the account that signed in is forgiven.
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count

    def get_failures(self, request, credentials=None) -> int:
        request.axes_username = get_client_username(request, credentials)
        by_user, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(by_user, _scaled_address_failures(by_address))


def _total(condition: Q) -> int:
    return AccessAttempt.objects.filter(condition).aggregate(
        n=Sum("failures_since_start"))["n"] or 0


def _raw_failures(username: str | None, address: str | None) -> int:
    """The failures counted against this account and this address, ignoring the cool-off."""
    by_user = _total(Q(username=username)) if username else 0
    by_address = _total(Q(ip_address=address)) if address else 0
    return max(by_user, _scaled_address_failures(by_address))


def locked_until(*, username: str | None, address: str | None) -> datetime.datetime | None:
    """When the lock on this account or this address ends (the later), None when unlocked."""
    duration = lockout_duration(_raw_failures(username, address))
    ends = []
    for condition, failures in (
        (Q(username=username), _total(Q(username=username)) if username else 0),
        (Q(ip_address=address),
         _scaled_address_failures(_total(Q(ip_address=address))) if address else 0),
    ):
        if failures < settings.SIGN_IN_FAILURE_LIMIT:
            continue
        last = AccessAttempt.objects.filter(condition).aggregate(at=Max("attempt_time"))["at"]
        if last is not None and last + duration > timezone.now():
            ends.append(last + duration)
    return max(ends) if ends else None


def lockout_message(until: datetime.datetime | None) -> str:
    """The sentence a locked-out sign-in reads, naming when to try again (Beijing time)."""
    if until is None:
        return _("Too many failed sign-in attempts. Please try again later.")
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts: sign-in is locked for this account or address. "
        "Try again after %(time)s (in %(minutes)d minute), or ask your administrator to "
        "unlock it.",
        "Too many failed sign-in attempts: sign-in is locked for this account or address. "
        "Try again after %(time)s (in %(minutes)d minutes), or ask your administrator to "
        "unlock it.",
        minutes,
    ) % {"time": date_format(timezone.localtime(until), "Y-m-d H:i"), "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again (the admin's sign-in too), status 429,
    with the form emptied and the lock's end named; the password is never checked."""
    from accounts.forms import LoginForm

    username = get_client_username(request, credentials)
    until = locked_until(username=username, address=getattr(request, "axes_ip_address", None))
    form = LoginForm(request, initial={"username": username or ""})
    # Rendered here: this answer replaces the view's after the template responses were rendered.
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout": lockout_message(until), "next": request.GET.get("next", "")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
