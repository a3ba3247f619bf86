"""Credentials: passwords people own (changing one's own, an administrator resetting someone
else's), lifting a sign-in lock, and API tokens (issue, revoke).

An administrator never learns a password the user goes on using: every password an
administrator (the admin site, a command, an expert's creation) sets is a temporary one that the
user must replace at the next sign-in (``User.must_change_password``, enforced by
``accounts.middleware``). Both writes are logged in the operations log.
"""

import datetime
import secrets
import string

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.models import ApiToken, User
from gansu_sme.exceptions import DomainError, PermissionDenied
from oplog.choices import Kind
from oplog.services import record

# Letters and digits only, without the look-alikes 0/O, 1/l/I: read out over the telephone.
TEMPORARY_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "0O1lI"
)
TEMPORARY_LENGTH = 12


def may_reset_passwords(user: User) -> bool:
    """Administrators reset passwords: superusers and staff allowed to change accounts."""
    return selectors.may_administer_accounts(user)


def temporary_password() -> str:
    """A random password for an administrator to hand over, which the user replaces."""
    return "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))


def _validated(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(
            error.messages[0], code="password_invalid", fields={"password": error.messages}
        ) from error


@transaction.atomic
def password_change(
    *, actor: User, new_password: str, request: HttpRequest | None = None
) -> User:
    """The actor chooses their own new password (the old one already checked by the form).

    Validated by AUTH_PASSWORD_VALIDATORS; clears ``must_change_password``; logs the change.
    The caller keeps the session signed in (``update_session_auth_hash``).
    """
    _validated(new_password, actor)
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    record(kind=Kind.PASSWORD_CHANGED, request=request, user=actor, subject=actor)
    return actor


@transaction.atomic
def password_reset(
    *, actor: User | None, user: User, new_password: str = "",
    request: HttpRequest | None = None,
) -> str:
    """An administrator gives ``user`` a temporary password and returns it, to be handed over.

    ``actor`` None is the server's own operator (``manage.py reset_password``), who may.

    Without ``new_password`` a random one is made. The user must change it at the next sign-in
    (not administrators setting their own, who chose it);
    their other sessions end, as a password change ends them. Logged with the administrator as
    the actor and the account as the object. Raises PermissionDenied for a non-administrator.
    """
    if actor is not None and not may_reset_passwords(actor):
        raise PermissionDenied(code="password_reset_not_allowed")
    password = new_password or temporary_password()
    _validated(password, user)
    user.set_password(password)
    user.must_change_password = actor is None or user.pk != actor.pk
    user.save(update_fields=["password", "must_change_password"])
    record(
        kind=Kind.PASSWORD_RESET, request=request, user=actor, subject=user,
        details={} if actor is not None else {"via": "manage.py reset_password"},
    )
    return password


# --- sign-in lock-outs ------------------------------------------------------------------------


@transaction.atomic
def lockout_clear(
    *, actor: User, username: str = "", address: str = "", reason: str,
    request: HttpRequest | None = None,
) -> int:
    """An administrator lifts the sign-in lock on an account and/or an address before it ends,
    forgetting their failures (``accounts.signin``); returns how many failure records went.

    Preconditions: the actor is an administrator (``may_reset_passwords``); a reason is given.
    Logged with the administrator, the account or address, the failures forgotten and the
    reason. Raises PermissionDenied, or DomainError ``unlock_reason_required``.
    """
    if not may_reset_passwords(actor):
        raise PermissionDenied(code="unlock_not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the sign-in is unlocked."), code="unlock_reason_required",
            fields={"reason": [_("Say why the sign-in is unlocked.")]},
        )
    condition = Q(pk__in=[])
    if username:
        condition |= Q(username=username)
    if address:
        condition |= Q(ip_address=address)
    attempts = AccessAttempt.objects.filter(condition)
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    count, _deleted = attempts.delete()
    subject = User.objects.filter(username=username).first() if username else None
    record(
        kind=Kind.SIGN_IN_UNLOCKED, request=request, user=actor, subject=subject,
        object_repr=username or address,
        details={"username": username, "address": address, "failures": failures,
                 "reason": reason},
    )
    return count


# --- API tokens -------------------------------------------------------------------------------


def may_manage_tokens(actor: User, token: ApiToken) -> bool:
    """A token's owner, and administrators, list and revoke it."""
    return actor.is_active and (token.user_id == actor.pk or may_reset_passwords(actor))


@transaction.atomic
def token_issue(
    *, actor: User | None, owner: User, write: bool = False, days: int | None = None,
    name: str = "", request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token acting as ``owner`` and return it with its secret, shown once.

    ``actor`` None is the server's operator (``manage.py create_api_token``); otherwise an
    administrator. The token expires after ``days`` (API_TOKEN_DAYS by default) and may only
    read unless ``write``, which is refused for an owner whose role only reads
    (``token_write_not_allowed``) and for an inactive or expired owner (``token_owner_inactive``).
    Logged, with who issued it.
    """
    if actor is not None and not may_reset_passwords(actor):
        raise PermissionDenied(code="token_issue_not_allowed")
    if not owner.is_active or owner.is_expired:
        raise DomainError(
            _("This account is inactive or expired: it cannot be given a token."),
            code="token_owner_inactive",
        )
    if write and owner.is_read_only:
        raise DomainError(
            _("The role of this account only reads: its tokens cannot write."),
            code="token_write_not_allowed",
        )
    days = settings.API_TOKEN_DAYS if days is None else days
    if days <= 0:
        raise DomainError(_("A token must expire after a positive number of days."),
                          code="token_days_invalid")
    token, secret = ApiToken.objects.create(
        user=owner, expiry=datetime.timedelta(days=days), write=write, name=name.strip()[:100]
    )
    record(
        kind=Kind.TOKEN_ISSUED, request=request, user=actor, subject=token,
        object_repr=f"{owner.get_username()} · {token}",
        details={"owner": owner.get_username(), "write": write, "days": days,
                 **({} if actor is not None else {"via": "manage.py create_api_token"})},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> None:
    """Revoke a token: it stops working at once. By its owner or an administrator
    (PermissionDenied otherwise); logged with the owner and the token's key."""
    if not may_manage_tokens(actor, token):
        raise PermissionDenied(code="token_revoke_not_allowed")
    record(
        kind=Kind.TOKEN_REVOKED, request=request, user=actor, subject=token,
        object_repr=f"{token.user.get_username()} · {token}",
        details={"owner": token.user.get_username(), "write": token.write},
    )
    token.delete()
