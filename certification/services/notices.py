"""Public notices (公示), objections (异议) and the close that ends them in certificates.

How long a notice runs: ``days`` working days (Chinese official holidays and the weekends
worked in exchange counted), starting on ``starts_on``, which counts as day 1 when it is a
working day; ``ends_on`` is the last of those days and the notice is open from ``starts_on`` to
``ends_on`` inclusive. A notice starting Wednesday 2026-09-30 for 5 working days runs through
the National Day holiday: 30 Sep, 8 Oct, 9 Oct, Saturday 10 Oct (worked in exchange), 12 Oct.

Closing: once ``ends_on`` has passed and no objection waits for a ruling, every application
still in notice is concluded by its campaign's kind: a provincial campaign certifies it and
issues a certificate, a re-review (复核) campaign certifies it and renews the certificate it
re-reviews, a little-giant campaign ends in the province's national recommendation. The notice
row is locked while it closes, so two workers (or a worker and a reviewer) closing at once
conclude each application once. A firm that can no longer be certified (its re-reviewed
certificate was revoked during the notice, or it got a provincial certificate elsewhere) is
rejected with the reason instead, and the others of the notice are concluded normally.
"""

import datetime
import logging
import re
from collections.abc import Iterable

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from accounts.models import User
from certification.choices import (
    ApplicationStatus,
    CampaignKind,
    CertificateLevel,
    CertificateStatus,
    NoticeStatus,
    ObjectionStatus,
    Verb,
)
from certification.documents import PROVINCE_AUTHORITY
from certification.models import (
    Application,
    Campaign,
    Certificate,
    NationalRecommendation,
    Notice,
    Objection,
)
from certification.services.certificates import (
    certificate_issue,
    certificate_renew,
    check_province,
    record_text,
)
from certification.services.workflow import application_transition
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope
from gansu_sme.workdays import add_working_days

logger = logging.getLogger(__name__)

TITLE_MAX = 200


def notice_end(starts_on: datetime.date, days: int) -> datetime.date:
    """The last day of a notice of ``days`` working days starting on ``starts_on`` (day 1 when
    it is a working day)."""
    return add_working_days(starts_on - datetime.timedelta(days=1), days)


def notice_is_open(notice: Notice, today: datetime.date | None = None) -> bool:
    """Whether objections may be filed now: published, not closed, today within its dates."""
    today = today or timezone.localdate()
    return notice.status == NoticeStatus.OPEN and notice.starts_on <= today <= notice.ends_on


def _names(names):
    """Firm names listed in a sentence: 、 between them in Chinese, a comma in English."""
    return pgettext("between names listed in a sentence", ", ").join(names)


def _field_error(field, message, code):
    return DomainError(message, code=code, fields={field: [message]})


# A telephone as notices print it: digits, with spaces, hyphens, brackets or an extension.
TELEPHONE = re.compile(r"^\+?[0-9(][0-9 ()\-]{5,24}(?:(?:转|ext\.?)\s*[0-9]{1,6})?$")


def _notice_heading(issuer, contact_person, telephone):
    """The issuing authority, contact and telephone a notice prints, checked and trimmed."""
    issuer = (issuer or "").strip() or PROVINCE_AUTHORITY
    contact_person = (contact_person or "").strip()
    telephone = (telephone or "").strip()
    errors = {}
    if not contact_person:
        errors["contact_person"] = [_("Name the contact person for the notice.")]
    if not TELEPHONE.match(telephone):
        errors["telephone"] = [_("Give the contact telephone, e.g. 0931-8888888.")]
    if errors:
        raise DomainError(
            _("The notice needs its contact and telephone."), code="notice_contact_missing",
            fields=errors,
        )
    return issuer, contact_person, telephone


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    campaign: Campaign,
    applications: Iterable[Application],
    title: str,
    contact_person: str,
    telephone: str,
    issuer: str = "",
    published_on: datetime.date | None = None,
    body: str = "",
    starts_on: datetime.date | None = None,
    days: int | None = None,
) -> Notice:
    """Publish a notice of approved applications of one campaign and return it.

    Preconditions: the actor is a provincial reviewer; ``applications`` is not empty and each
    is APPROVED and belongs to ``campaign``; for a provincial campaign the firm holds no valid
    provincial certificate (that is a re-review's business); ``starts_on`` (today by default) is
    not in the past; ``days`` (the campaign's ``notice_days`` by default) is at least 1; the
    contact person and a telephone are given (DomainError ``notice_contact_missing``). The
    issuing authority defaults to the province's department, the publication date to today.

    Side effects: creates the notice, moves each application APPROVED → PUBLIC_NOTICE through
    ``application_transition`` (verb PUBLISH) and links it to the notice.
    """
    check_province(actor)
    issuer, contact_person, telephone = _notice_heading(issuer, contact_person, telephone)
    today = timezone.localdate()
    starts_on = starts_on or today
    days = days or campaign.notice_days
    title = (title or "").strip()
    if not title:
        raise _field_error("title", _("Give the notice a title."), "title_required")
    if starts_on < today:
        raise _field_error(
            "starts_on", _("A notice cannot start in the past."), "notice_starts_in_past"
        )
    if days < 1:
        raise _field_error(
            "days", _("A notice runs at least one working day."), "notice_too_short"
        )
    ids = sorted({application.pk for application in applications})
    if not ids:
        raise _field_error(
            "applications", _("Choose the applications to publish."), "no_applications"
        )
    # Locked in id order before anything is checked, so two publishes of the same applications
    # cannot both pass the status check.
    locked = list(
        Application.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("enterprise")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise OutOfScope()
    wrong = [
        a for a in locked
        if a.campaign_id != campaign.pk or a.status != ApplicationStatus.APPROVED
    ]
    if wrong:
        raise _field_error(
            "applications",
            _("Only approved applications of this campaign can be published: %(firms)s.")
            % {"firms": _names(a.enterprise.name for a in wrong)},
            "not_approved",
        )
    if campaign.kind == CampaignKind.RE_REVIEW:
        missing = [a.enterprise.name for a in locked if a.renews_id is None]
        if missing:
            raise _field_error(
                "applications",
                _("A re-review application must name the certificate it renews: %(firms)s.")
                % {"firms": _names(missing)},
                "renewal_certificate_missing",
            )
    if campaign.kind == CampaignKind.PROVINCIAL:
        holders = set(
            Certificate.objects.filter(
                enterprise_id__in=[a.enterprise_id for a in locked],
                level=CertificateLevel.PROVINCIAL,
                status=CertificateStatus.ACTIVE,
            ).values_list("enterprise__name", flat=True)
        )
        if holders:
            raise _field_error(
                "applications",
                _("These firms already hold a valid provincial certificate; renew it by"
                  " re-review: %(firms)s.") % {"firms": _names(sorted(holders))},
                "certificate_held",
            )
    notice = Notice(
        campaign=campaign,
        title=title[:TITLE_MAX],
        body=body or "",
        issuer=issuer,
        contact_person=contact_person,
        telephone=telephone,
        published_on=published_on or today,
        starts_on=starts_on,
        ends_on=notice_end(starts_on, days),
        published_by=actor,
    )
    notice.full_clean()
    with pghistory.context(user=actor.pk):
        notice.save()
    for application in locked:
        application_transition(
            actor=actor,
            application=application,
            verb=Verb.PUBLISH,
            expected_status=ApplicationStatus.APPROVED,
            apply=lambda a: setattr(a, "notice", notice),
        )
    return notice


@transaction.atomic
def objection_file(
    *,
    notice: Notice,
    application: Application,
    name: str,
    contact: str,
    text: str,
    today: datetime.date | None = None,
) -> Objection:
    """Record an objection anyone filed against a firm of an open notice; return it.

    Preconditions: the notice is open today (``notice_is_open``); the application is in it and
    still in notice; name, contact and text are given. Nobody signs in to file: the throttle in
    front of the page and the API limits how often one address may.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not notice_is_open(notice, today):
        raise InvalidTransition(
            _("Objections can only be filed while the notice is open."), code="notice_not_open"
        )
    # Read again: the caller's copy may predate the notice closing or an upheld objection.
    # (None, the application gone, is refused below.)
    application = Application.objects.filter(pk=application.pk).first()  # type: ignore[assignment]
    if (
        application is None
        or application.notice_id != notice.pk
        or application.status != ApplicationStatus.PUBLIC_NOTICE
    ):
        raise _field_error(
            "application", _("The firm is not listed in this notice."), "not_in_notice"
        )
    objection = Objection(
        notice=notice,
        application=application,
        name=(name or "").strip(),
        contact=(contact or "").strip(),
        text=(text or "").strip(),
    )
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_decide(
    *, actor: User, objection: Objection, uphold: bool, reason: str
) -> Objection:
    """Rule on an objection: uphold it (the application is rejected) or dismiss it.

    Preconditions: the actor is a provincial reviewer who sees the firm; a reason is given;
    the objection is pending (the same ruling repeated is returned unchanged).

    Side effects: records who decided, when and why; an upheld objection moves the application
    PUBLIC_NOTICE → REJECTED through ``application_transition`` (verb UPHOLD_OBJECTION) with the
    reason, so it is not certified when the notice closes.
    """
    check_province(actor)
    reason = (reason or "").strip()
    if not reason:
        raise _field_error("reason", _("Give the reasons for the ruling."), "reason_required")
    visible = Application.objects.visible_to(actor)
    locked = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("application")
        .filter(pk=objection.pk, application__in=visible)
        .first()
    )
    if locked is None:
        raise OutOfScope()
    outcome = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    if locked.status != ObjectionStatus.PENDING:
        if locked.status == outcome:
            return locked
        raise InvalidTransition(
            _("This objection has already been ruled on."), code="objection_already_ruled"
        )
    locked.status = outcome
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.full_clean()
    with pghistory.context(user=actor.pk, reason=reason):
        locked.save()
    if uphold:
        application_transition(
            actor=actor, application=locked.application, verb=Verb.UPHOLD_OBJECTION, reason=reason
        )
    return locked


def _unconcludable_reason(application):
    """Why a firm in notice can no longer be certified, or "" when it can.

    Both happen after publishing, while the notice runs: the certificate a re-review renews is
    revoked, or the firm of a provincial campaign gets a provincial certificate elsewhere. The
    reason is stored on the rejection, so in the language of record (``record_text``).
    """
    kind = application.campaign.kind
    if kind == CampaignKind.RE_REVIEW:
        revoked = Certificate.objects.filter(
            pk=application.renews_id, status=CertificateStatus.REVOKED
        ).exists()
        if revoked:
            return record_text(
                _("The certificate was revoked during the notice; it cannot be renewed.")
            )
    elif kind == CampaignKind.PROVINCIAL:
        holds = Certificate.objects.filter(
            enterprise_id=application.enterprise_id,
            level=CertificateLevel.PROVINCIAL,
            status=CertificateStatus.ACTIVE,
        ).exists()
        if holds:
            return record_text(
                _("The firm already holds a valid provincial certificate; it cannot be"
                  " certified again.")
            )
    return ""


def _conclude(actor, application, issued_on, graduating):
    kind = application.campaign.kind
    reason = _unconcludable_reason(application)
    if reason:
        application_transition(
            actor=actor,
            application=application,
            verb=Verb.REJECT,
            reason=reason,
            expected_status=ApplicationStatus.PUBLIC_NOTICE,
        )
        return
    if kind == CampaignKind.LITTLE_GIANT:
        locked = application_transition(
            actor=actor, application=application, verb=Verb.CONCLUDE_RECOMMENDATION
        )
        recommendation = NationalRecommendation(
            application=locked,
            enterprise=locked.enterprise,
            year=locked.campaign.year,
            recommended_by=graduating,
        )
        recommendation.full_clean()
        recommendation.save()
        return
    locked = application_transition(actor=actor, application=application, verb=Verb.CERTIFY)
    if kind == CampaignKind.RE_REVIEW:
        certificate_renew(actor=actor, certificate=locked.renews, renewed_on=issued_on)
        return
    certificate_issue(
        actor=actor,
        enterprise=locked.enterprise,
        level=CertificateLevel.PROVINCIAL,
        issued_on=issued_on,
        ruleset_code=(
            locked.evaluation.ruleset_code if locked.evaluation else locked.campaign.ruleset.code
        ),
        application=locked,
        pool_actor=graduating,
    )


@transaction.atomic
def notice_close(
    *, actor: User | None = None, notice: Notice, today: datetime.date | None = None
) -> Notice:
    """Close a notice whose period has passed and conclude its applications; return it.

    Preconditions: ``today`` (the local date by default) is after ``ends_on``; no objection is
    pending; ``actor`` is a provincial reviewer, or None for the daily task. A closed notice is
    returned unchanged, so the task may run any number of times, concurrently too.

    Side effects, per application still PUBLIC_NOTICE (upheld objections have already rejected
    theirs): a firm that can no longer be certified (``_unconcludable_reason``) → REJECT with
    that reason; otherwise provincial campaign → CERTIFY and a new certificate dated
    ``today``; re-review → CERTIFY and the renewal of the certificate it re-reviews; little
    giant →
    CONCLUDE_RECOMMENDATION and a NationalRecommendation row. Certificates graduate the firm's
    pool entry on behalf of ``actor`` or, for the task, the reviewer who published the notice.
    """
    if actor is not None:
        check_province(actor)
    today = today or timezone.localdate()
    locked = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("published_by")
        .get(pk=notice.pk)
    )
    if locked.status == NoticeStatus.CLOSED:
        return locked
    if today <= locked.ends_on:
        raise InvalidTransition(
            _("The notice runs until %(date)s; it closes after that day.")
            % {"date": f"{locked.ends_on:%Y-%m-%d}"},
            code="notice_still_running",
        )
    pending = locked.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        raise InvalidTransition(
            ngettext(
                "%(pending)s objection still awaits a ruling.",
                "%(pending)s objections still await a ruling.",
                pending,
            ) % {"pending": pending},
            code="objections_pending",
        )
    graduating = actor or locked.published_by
    applications = (
        locked.applications.filter(status=ApplicationStatus.PUBLIC_NOTICE)
        .select_related("campaign__ruleset", "evaluation", "enterprise", "renews")
        .order_by("pk")
    )
    for application in applications:
        _conclude(actor, application, today, graduating)
    locked.status = NoticeStatus.CLOSED
    locked.closed_at = timezone.now()
    with pghistory.context(user=actor.pk if actor else None):
        locked.save(update_fields=["status", "closed_at"])
    return locked


def notices_close_due(*, today: datetime.date | None = None) -> list[int]:
    """Close every open notice whose period has passed; return the ids closed.

    Each notice closes in its own transaction (a savepoint when called inside one): a notice
    that cannot close, held by a pending objection or refused by any other rule, is rolled back
    alone, logged with its id and the reason, and tried again the next day; the notices after it
    still close. The staff notice list marks an open notice past its end as overdue.
    """
    today = today or timezone.localdate()
    closed = []
    due = Notice.objects.filter(status=NoticeStatus.OPEN, ends_on__lt=today).order_by("pk")
    for notice in due:
        try:
            notice_close(notice=notice, today=today)
        except DomainError as error:
            logger.warning(
                "Notice %s could not be closed (%s): %s", notice.pk, error.code, error.message
            )
            continue
        closed.append(notice.pk)
    return closed
