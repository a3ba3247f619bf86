"""Daily reminders as in-app notifications, the daily e-mail digest, and marking as read.

A reminder is identified by its key (what it reminds of, and the occasion), and the database
holds at most one notification per user and key, so running the daily task twice, or two
workers running it at once, never tells anyone the same thing twice.
"""

import datetime
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from certification.choices import APPLICATION_ACTS, STATUS_STAGE, CertificateStatus, NoticeStatus
from certification.models import Application, Certificate, Notice
from gansu_sme import formatting
from gansu_sme.exceptions import OutOfScope
from gansu_sme.workflow import waiting_roles
from registry.choices import PeriodKind, ReportStatus
from registry.models import Enterprise, MonitoringReport

from ..choices import EXPIRY_WARNING_DAYS, MONITORING_DUE_DAY, NotificationKind
from ..models import Notification

# Roles that receive reminders about the firms of their region.
STAFF_ROLES = (Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER)
# Monitoring reports are chased by the officials who collect them.
MONITORING_ROLES = (Role.COUNTY_STAFF, Role.CITY_STAFF)
FILED = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.SUPERSEDED)
# The mail server is gone, not one address refused: the rest of the run would fail the same
# way, so the run stops and the task retries it later.
SMTP_CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)

logger = logging.getLogger(__name__)


def _notification(user, kind, key, link, **params):
    """A reminder for ``user``: its params, and its text as given, in Chinese."""
    notification = Notification(user=user, kind=kind, key=key, link=link, params=params)
    with translation.override(settings.LANGUAGE_CODE):
        notification.text = notification.message
    return notification


class _Staff:
    """Active, unexpired staff accounts, found by the region path they cover."""

    def __init__(self, today):
        users = (
            get_user_model()
            .objects.filter(is_active=True, role__in=STAFF_ROLES, region__isnull=False)
            .exclude(expires_on__lte=today)
            .select_related("region")
        )
        self.by_path = defaultdict(list)
        for user in users:
            self.by_path[user.region.path].append(user)

    def covering(self, path, roles=STAFF_ROLES):
        """Users whose region is ``path`` or lies above it, with one of ``roles``."""
        parts = path.split("/")
        return [
            user
            for i in range(len(parts))
            for user in self.by_path.get("/".join(parts[: i + 1]), ())
            if user.role in roles
        ]

    def within(self, roles):
        return [user for users in self.by_path.values() for user in users if user.role in roles]


def _certificates_expiring(today, staff):
    horizon = today + datetime.timedelta(days=max(EXPIRY_WARNING_DAYS))
    certs = Certificate.objects.filter(
        status=CertificateStatus.ACTIVE, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("enterprise__region")
    for cert in certs:
        days = (cert.valid_until - today).days
        # The nearest warning the certificate has reached; one notice per warning, so a day
        # the task did not run is caught up the next day.
        warning = min(d for d in EXPIRY_WARNING_DAYS if days <= d)
        link = reverse("registry:enterprise-detail", args=[cert.enterprise.uscc])
        key = f"certificate:{cert.pk}:{cert.valid_until}:{warning}"
        for user in staff.covering(cert.enterprise.region.path):
            yield _notification(
                user, NotificationKind.CERTIFICATE_EXPIRING, key, link,
                number=cert.number, firm=cert.enterprise.name,
                date=cert.valid_until.isoformat(), days=days, dates={"date": "day"},
            )


def overdue_month(today: datetime.date) -> tuple[int, int]:
    """The latest month whose monitoring report was due (by day 15 of the next month)."""
    first = today.replace(day=1)
    back = 1 if today.day > MONITORING_DUE_DAY else 2
    month = first.month - back
    return (first.year, month) if month >= 1 else (first.year - 1, month + 12)


def _monitoring_overdue(today, staff):
    year, month = overdue_month(today)
    filed = MonitoringReport.objects.filter(
        period_kind=PeriodKind.MONTH, year=year, period=month, status__in=FILED
    ).values("enterprise")
    missing = defaultdict(int)
    rows = (
        Enterprise.objects.filter(is_active=True)
        .exclude(pk__in=filed)
        .order_by()
        .values_list("region__path")
        .annotate(n=Count("id"))
    )
    for path, n in rows:
        for user in staff.covering(path, MONITORING_ROLES):
            missing[user] += n
    link = f"{reverse('registry:monitoring-list')}?year={year}&period_kind=month&period={month}"
    for user, n in missing.items():
        yield _notification(
            user, NotificationKind.MONITORING_OVERDUE, f"monitoring-overdue:{year}-{month:02d}",
            link, month=datetime.date(year, month, 1).isoformat(), count=n,
            dates={"month": "month"},
        )


def _stages_overdue(today, staff):
    applications = Application.objects.filter(
        status__in=list(STATUS_STAGE), stage_due__lt=today
    ).select_related("enterprise__region")
    for application in applications:
        roles = waiting_roles(APPLICATION_ACTS, application)
        if not roles:
            continue
        key = f"stage-overdue:{application.pk}:{application.status}:{application.stage_due}"
        link = reverse("certification:application-detail", args=[application.pk])
        for user in staff.covering(application.enterprise.region.path, roles):
            yield _notification(
                user, NotificationKind.STAGE_OVERDUE, key, link,
                firm=application.enterprise.name, stage=application.status,
                date=application.stage_due.isoformat(), dates={"date": "day"},
            )


def _notices_closing(today, staff):
    # Today as well as tomorrow: a day the task did not run is caught up on the last day; the
    # key (notice and end date) keeps it to one reminder.
    notices = Notice.objects.filter(
        status=NoticeStatus.OPEN, ends_on__range=(today, today + datetime.timedelta(days=1))
    )
    reviewers = staff.within((Role.PROVINCIAL_REVIEWER,))
    for notice in notices:
        variant = "today" if notice.ends_on == today else "tomorrow"
        link = reverse("certification:campaign-detail", args=[notice.campaign_id])
        for user in reviewers:
            yield _notification(
                user, NotificationKind.NOTICE_CLOSING,
                f"notice-closing:{notice.pk}:{notice.ends_on}", link,
                variant=variant, title=notice.title, date=notice.ends_on.isoformat(),
                dates={"date": "day"},
            )


def notifications_remind(*, today: datetime.date | None = None) -> int:
    """Create today's reminders: certificates ending in 90, 30 and 7 days, monitoring reports
    overdue, workflow stages past their deadline (to the role that owns the status, in the
    application's region), public notices closing tomorrow (or today, if yesterday's run was
    missed).

    Idempotent: a reminder already given (same user and key) is not given again; concurrent
    runs are settled by the unique constraint. Returns the number of new notifications.
    """
    today = today or timezone.localdate()
    staff = _Staff(today)
    candidates: dict[tuple[int, str], Notification] = {}
    for source in (_certificates_expiring, _monitoring_overdue, _stages_overdue, _notices_closing):
        for notification in source(today, staff):
            candidates.setdefault((notification.user.pk, notification.key), notification)
    if not candidates:
        return 0
    existing = set(
        Notification.objects.filter(
            user_id__in={user_id for user_id, _ in candidates},
            key__in={key for _, key in candidates},
        ).values_list("user_id", "key")
    )
    new = [n for pair, n in candidates.items() if pair not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


def notifications_credit_code_claimed(
    *, enterprise_id: int, actor_id: int, today: datetime.date | None = None
) -> int:
    """Tell the officials over a firm (its county, city and the province) that staff of
    another region tried to register its credit code and were refused.

    One notification per official, firm, trying account and day, however often it was tried
    that day (the key), so a repeated task or a repeated attempt adds nothing. Returns the
    number of new notifications.
    """
    today = today or timezone.localdate()
    enterprise = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    actor = User.objects.select_related("region").filter(pk=actor_id).first()
    if enterprise is None or actor is None:
        # Sent at once, before the sender's transaction ended: a row it named may not be
        # committed (the sender's was a test's), and there is then nobody to tell.
        return 0
    key = f"credit-code-claimed:{enterprise.pk}:{actor.pk}:{today}"
    link = reverse("registry:enterprise-detail", args=[enterprise.uscc])
    region = actor.region.name if actor.region is not None else "—"
    told = set(Notification.objects.filter(key=key).values_list("user_id", flat=True))
    new = [
        _notification(
            user, NotificationKind.CREDIT_CODE_CLAIMED, key, link,
            account=actor.get_full_name() or actor.get_username(), region=region,
            firm=enterprise.name, code=enterprise.uscc,
        )
        for user in _Staff(today).covering(enterprise.region.path)
        if user.pk != actor.pk and user.pk not in told
    ]
    # A concurrent run is settled by the unique constraint (user, key).
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _digest_send_one(user_id, today):
    """One user's digest, in its own transaction: their rows are locked (``skip_locked``: a
    concurrent run leaves them alone), marked e-mailed, and the mark commits only if the mail
    went out. Returns 1 if a mail was sent, else 0."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, read_at__isnull=True, emailed_at__isnull=True)
            .select_related("user")
            .order_by("created_at", "id")
        )
        if not pending:
            return 0
        user = pending[0].user
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
        # In the site's default language (Chinese): accounts keep no language of their own.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Gansu SRDI SME registry] Reminders of %(date)s (%(count)s)") % {
                "date": formatting.day(today), "count": len(pending)
            }
            body = "\n\n".join([
                _("Dear %(user)s, these reminders are unread:") % {"user": user},
                "\n".join(f"- {n.message}" for n in pending),
                _("Please sign in to the registry to act on them."),
            ])
        send_mail(
            subject=subject,
            message=body + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    return 1


def notifications_digest_send(*, today: datetime.date | None = None) -> int:
    """E-mail each active, unexpired user with an address one digest of their unread
    notifications not yet e-mailed, and mark those e-mailed.

    Each user's digest is its own transaction (``_digest_send_one``), committed before the
    next user's, so a run that stops half way leaves the users already served marked, and a
    re-run (the task's retry, the next day's run) mails only the others. Concurrent runs skip
    each other's locked rows, so two runs do not mail the same rows.

    What is not guaranteed: if the process dies, or the commit fails, after the mail server
    accepted a mail, that one user's digest is mailed again by the next run (at least once,
    not exactly once, for the user in flight).

    A mail refused for one user (a bad address, ``smtplib.SMTPException``) is logged and
    skipped: their notifications stay unmarked and are tried again the next day. A lost
    connection to the mail server (``SMTP_CONNECTION_ERRORS``) stops the run and propagates,
    for the task to retry. Returns the number of e-mails sent.
    """
    today = today or timezone.localdate()
    user_ids = (
        Notification.objects.unread()
        .filter(emailed_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__expires_on__lte=today)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        try:
            sent += _digest_send_one(user_id, today)
        except SMTP_CONNECTION_ERRORS:
            raise
        except smtplib.SMTPException:
            logger.exception("Daily digest to user %s refused; continuing with the others.",
                             user_id)
    return sent


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read; a repeated call changes nothing.

    Another user's notification is OutOfScope (404).
    """
    notification = (
        Notification.objects.visible_to(actor).select_for_update().filter(pk=notification_id)
    ).first()
    if notification is None:
        raise OutOfScope()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read. Returns how many were unread."""
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())
