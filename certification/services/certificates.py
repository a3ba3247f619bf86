"""Certificates (认定证书): issue, renew on a passed re-review (复核), expire, revoke, download.

Numbers are gap-free per year and level: the CertificateSequence row of the year and level is
locked while a number is taken, so two workers issuing at once queue on it and a rolled-back
issue gives its number back. Formats: ``GS-ZJTX-2026-0001`` for a provincial 专精特新
certificate, ``GS-XJR-2026-0001`` for the record of a national 小巨人 recognition. Plain ASCII,
so the number can be typed, read out on the phone and carried in a URL and a QR code as is.

Validity: a certificate issued on day D is valid up to and including the day before D's
anniversary three years on (issued 2026-10-12 → valid until 2029-10-11). A term begun on
29 February runs to 28 February of its third year. A renewal starts a fresh three-year term on
the renewal date, never shortening the current one. A certificate is expired from the day after
``valid_until``.

Every change announces its domain event (gansu_sme.events) on commit; the subsidies app
awards and claws back from them.
"""

import datetime
from typing import Any

import pghistory
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from certification.choices import (
    CertificateLevel,
    CertificateStatus,
    RevocationReason,
)
from certification.models import Application, Certificate, CertificateSequence
from certification.pdf import certificate_pdf
from gansu_sme import events
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry.choices import PoolEntryStatus, PoolKind
from registry.models import Enterprise, ExportRecord, PoolEntry
from registry.services import pool_entry_graduate

VALIDITY_YEARS = 3
NUMBER_PREFIX: dict[str, str] = {
    CertificateLevel.PROVINCIAL: "GS-ZJTX", CertificateLevel.NATIONAL: "GS-XJR"
}
CERTIFICATE_ADMIN_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})
PDF_LISTING = "certificate_pdf"


def check_province(actor: User) -> None:
    """Only provincial reviewers (and superusers) run the certification end of the workflow."""
    if actor.is_superuser:
        return
    if actor.is_read_only or actor.role not in CERTIFICATE_ADMIN_ROLES:
        raise PermissionDenied()


def is_province(user: User) -> bool:
    return user.is_superuser or (
        not user.is_read_only and user.role in CERTIFICATE_ADMIN_ROLES
    )


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def term_end(start: datetime.date) -> datetime.date:
    """The last valid day of a three-year term that begins on ``start``."""
    return add_years(start, VALIDITY_YEARS) - datetime.timedelta(days=1)


def format_number(level: str, year: int, serial: int) -> str:
    return f"{NUMBER_PREFIX[level]}-{year}-{serial:04d}"


def _take_serial(year, level):
    """The next serial of a year and level, its sequence row locked until the commit."""
    # ON CONFLICT DO NOTHING: the first issue of a year creates the row without racing.
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(year=year, level=level)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(year=year, level=level)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def record_text(message: Any, **params: Any) -> str:
    """``message`` % ``params`` in the registry's language of record (Chinese): the reasons the
    system writes into histories are stored like those officials type, whatever the language of
    the request that wrote them. Lazy ``params`` (choice labels) are rendered in it too."""
    with translation.override(settings.LANGUAGE_CODE):
        if not params:
            return str(message)
        return str(message) % {name: str(value) for name, value in params.items()}


def _graduate_pool_entry(actor, certificate):
    """Close the firm's active 专精特新 pool entry: the certificate is what it was cultivated for.

    The pool service records a user as the actor; for the nightly task that is the provincial
    reviewer who published the notice (the caller passes them).
    """
    entry = PoolEntry.objects.filter(
        enterprise_id=certificate.enterprise_id, pool=PoolKind.ZJTX, status=PoolEntryStatus.ACTIVE
    ).first()
    if entry is None:
        return
    pool_entry_graduate(
        actor=actor,
        entry=entry,
        reason=record_text(
            _("Recognised as %(level)s, certificate %(number)s."),
            level=CertificateLevel(certificate.level).label,
            number=certificate.number,
        ),
    )


@transaction.atomic
def certificate_issue(
    *,
    actor: User | None,
    enterprise: Enterprise,
    level: str,
    issued_on: datetime.date,
    ruleset_code: str,
    application: Application | None = None,
    national_document: str = "",
    pool_actor: User | None = None,
) -> Certificate:
    """Issue a new certificate and return it.

    Preconditions: the enterprise holds no active certificate of ``level`` (a second one is a
    renewal); ``application`` (provincial certificates) has none yet. ``actor`` None is the
    system (the notice-closing task); ``pool_actor`` is the user recorded on the pool
    graduation, ``actor`` by default.

    Side effects: takes the next serial of the issue year and level, graduates the firm's
    active 专精特新 pool entry, announces ``certificate_issued`` on commit.
    """
    if application is not None and Certificate.objects.filter(application=application).exists():
        raise InvalidTransition(
            _("A certificate has already been issued for this application."),
            code="certificate_already_issued",
        )
    if Certificate.objects.filter(
        enterprise=enterprise, level=level, status=CertificateStatus.ACTIVE
    ).exists():
        raise DomainError(
            _("The enterprise already holds a valid certificate of this level; renew it instead."),
            code="certificate_held",
            fields={"enterprise": [_("Already holds a valid certificate.")]},
        )
    year = issued_on.year
    serial = _take_serial(year, level)
    certificate = Certificate(
        number=format_number(level, year, serial),
        year=year,
        serial=serial,
        level=level,
        enterprise=enterprise,
        application=application,
        ruleset_code=ruleset_code,
        issued_on=issued_on,
        valid_until=term_end(issued_on),
        national_document=national_document,
    )
    certificate.full_clean()
    with pghistory.context(user=actor.pk if actor else None):
        certificate.save()
    graduating = pool_actor or actor
    if graduating is not None:
        _graduate_pool_entry(graduating, certificate)
    events.announce(events.certificate_issued, certificate_id=certificate.pk)
    return certificate


@transaction.atomic
def certificate_renew(
    *, actor: User, certificate: Certificate, renewed_on: datetime.date
) -> Certificate:
    """Extend a certificate after a passed re-review (复核) and return it.

    Preconditions: the certificate is not revoked. A fresh three-year term starts on
    ``renewed_on`` (valid_until = term_end(renewed_on)), never ending before the current one;
    an expired certificate becomes valid again. Renewing twice on the same day changes nothing.

    Side effects: announces ``certificate_renewed`` on commit.
    """
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == CertificateStatus.REVOKED:
        raise InvalidTransition(
            _("Certificate %(number)s is revoked; it cannot be renewed.")
            % {"number": locked.number},
            code="certificate_revoked",
        )
    if locked.renewed_on == renewed_on:
        return locked
    locked.valid_until = max(locked.valid_until, term_end(renewed_on))
    locked.renewed_on = renewed_on
    locked.status = CertificateStatus.ACTIVE
    locked.full_clean()
    reason = record_text(_("Re-review passed"))
    with pghistory.context(user=actor.pk if actor else None, reason=reason):
        locked.save(update_fields=["valid_until", "renewed_on", "status"])
    events.announce(events.certificate_renewed, certificate_id=locked.pk)
    return locked


@transaction.atomic
def certificates_expire(*, today: datetime.date | None = None) -> list[int]:
    """Mark every active certificate whose validity has passed as expired; return their ids.

    Run daily by ``certificates_expire_task``; a second run finds nothing more to do. Rows that
    another transaction holds (a renewal in progress) are skipped and caught the next day.
    Side effects: announces ``certificate_expired`` once per certificate on commit.
    """
    today = today or timezone.localdate()
    ids = list(
        Certificate.objects.select_for_update(skip_locked=True)
        .filter(status=CertificateStatus.ACTIVE, valid_until__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        with pghistory.context(reason=record_text(_("Validity passed"))):
            Certificate.objects.filter(pk__in=ids).update(status=CertificateStatus.EXPIRED)
    for pk in ids:
        events.announce(events.certificate_expired, certificate_id=pk)
    return ids


@transaction.atomic
def certificate_revoke(
    *, actor: User, certificate: Certificate, reason: str, note: str
) -> Certificate:
    """Revoke a certificate with a coded reason and a note; return it.

    Preconditions: the actor is a provincial reviewer who sees the certificate; ``reason`` is a
    RevocationReason; ``note`` is not blank. A certificate already revoked is returned as it is.

    Side effects: the verification page shows the revocation; announces
    ``certificate_revoked`` (with the reason, which decides a clawback) on commit.
    """
    check_province(actor)
    errors = {}
    if reason not in RevocationReason.values:
        errors["reason"] = [_("Choose a revocation reason.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Describe why the certificate is revoked.")]
    if errors:
        raise DomainError(
            _("The revocation is incomplete."), code="revocation_incomplete", fields=errors
        )
    locked = (
        Certificate.objects.visible_to(actor).select_for_update().filter(pk=certificate.pk).first()
    )
    if locked is None:
        raise OutOfScope()
    if locked.status == CertificateStatus.REVOKED:
        return locked
    locked.status = CertificateStatus.REVOKED
    locked.revocation_reason = reason
    locked.revocation_note = note
    locked.revoked_by = actor
    locked.revoked_at = timezone.now()
    locked.full_clean()
    with pghistory.context(user=actor.pk, reason=note):
        locked.save()
    events.announce(events.certificate_revoked, certificate_id=locked.pk, reason=reason)
    return locked


def certificate_download(*, actor: User, certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as PDF bytes, for staff who see it; the download is logged.

    ``verify_url`` is the absolute address of its public verification page (QR code).
    """
    if not Certificate.objects.visible_to(actor).filter(pk=certificate.pk).exists():
        raise OutOfScope()
    content = certificate_pdf(certificate, verify_url=verify_url)
    ExportRecord.objects.create(
        user=actor, listing=PDF_LISTING, filters={"certificate": certificate.number}, row_count=1
    )
    return content
