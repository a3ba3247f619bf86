"""Passwords people own: changing one's own, and an administrator resetting someone else's.

An administrator never learns a password the user goes on using: every password an
administrator (the admin site, a command, an expert's creation) sets is a temporary one that the
user must replace at the next sign-in (``User.must_change_password``, enforced by
``accounts.middleware``). Both writes are logged in the operations log.
"""

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
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
    return user.is_active and (
        user.is_superuser or (user.is_staff and user.has_perm("accounts.change_user"))
    )


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
