"""Reads of public notices and objections: what the public pages, staff pages and API list."""

import datetime

from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certification.choices import ApplicationStatus, NoticeStatus, ObjectionStatus
from certification.models import Application, Notice, Objection
from gansu_sme.exceptions import OutOfScope

# Closed notices stay on the public list this long after their end.
RECENT_DAYS = 90


class FirmOutcome(models.TextChoices):
    """Where a firm listed in a notice stands, as the public page and API tell it."""

    IN_NOTICE = "in_notice", _("In notice")  # 公示中
    CERTIFIED = "certified", _("Certified")  # 已认定
    RECOMMENDED = "recommended", _("Recommended nationally")  # 已上报推荐
    # 异议成立，不予认定
    OBJECTION_UPHELD = "objection_upheld", _("Objection upheld; not certified")
    NOT_CERTIFIED = "not_certified", _("Not certified")  # 不予认定


def firm_outcome(application: Application) -> FirmOutcome:
    """The FirmOutcome of an application of a notice fetched through ``_firms``."""
    if application.status == ApplicationStatus.REJECTED:
        if application.objection_upheld:  # type: ignore[attr-defined]  # from _firms
            return FirmOutcome.OBJECTION_UPHELD
        return FirmOutcome.NOT_CERTIFIED
    if application.status == ApplicationStatus.CERTIFIED:
        return FirmOutcome.CERTIFIED
    if application.status == ApplicationStatus.RECOMMENDED:
        return FirmOutcome.RECOMMENDED
    return FirmOutcome.IN_NOTICE


def _firms():
    # What the public may read of each listed firm, and no more (no contacts, no figures); the
    # outcome says why a firm rejected during the notice is not certified.
    upheld = Objection.objects.filter(application=OuterRef("pk"), status=ObjectionStatus.UPHELD)
    return Prefetch(
        "applications",
        queryset=Application.objects.select_related(
            "enterprise__region__parent", "enterprise__industry"
        )
        .annotate(objection_upheld=Exists(upheld))
        .order_by("enterprise__name", "pk"),
        to_attr="firms",
    )


def notice_objectable_firms(notice: Notice) -> list[Application]:
    """The firms of a notice fetched with ``_firms`` that objections may still name: those
    still in notice (an upheld objection has already rejected its firm)."""
    firms = notice.firms  # type: ignore[attr-defined]  # the to_attr of _firms
    return [firm for firm in firms if firm.status == ApplicationStatus.PUBLIC_NOTICE]


def notice_list_public(*, today: datetime.date | None = None) -> QuerySet[Notice]:
    """Notices the public sees: those published and open, and those closed in the last 90 days.

    A notice set to start later is not shown before its first day.
    """
    today = today or timezone.localdate()
    return (
        Notice.objects.filter(starts_on__lte=today)
        .filter(
            Q(status=NoticeStatus.OPEN)
            | Q(ends_on__gte=today - datetime.timedelta(days=RECENT_DAYS))
        )
        .select_related("campaign")
        .annotate(firm_count=Count("applications"))
        .order_by("-starts_on", "-pk")
    )


def notice_get_public(*, pk: int, today: datetime.date | None = None) -> Notice:
    """A published notice with its firms; OutOfScope for an unknown or not yet started one."""
    today = today or timezone.localdate()
    notice = (
        Notice.objects.filter(pk=pk, starts_on__lte=today)
        .select_related("campaign")
        .prefetch_related(_firms())
        .first()
    )
    if notice is None:
        raise OutOfScope()
    for firm in notice.firms:  # type: ignore[attr-defined]  # the to_attr of _firms
        firm.outcome = firm_outcome(firm)
    return notice


def notice_api_list(*, today: datetime.date | None = None) -> QuerySet[Notice]:
    """Published notices, open and closed, with their firms; for the public API."""
    today = today or timezone.localdate()
    return (
        Notice.objects.filter(starts_on__lte=today)
        .select_related("campaign")
        .prefetch_related(_firms())
    )


def notice_list_staff(
    *, user: User, today: datetime.date | None = None
) -> QuerySet[Notice]:
    """Every notice, with how many firms it lists and how many objections wait for a ruling.

    Notices are public documents, so staff see them all; the objections' filers are shown only
    through ``objection_list``, which is scoped. ``overdue``: still open after its end date, so
    the daily close could not close it (a pending objection, or a refusal it logged).
    """
    today = today or timezone.localdate()
    return (
        Notice.objects.select_related("campaign", "published_by")
        .annotate(
            overdue=ExpressionWrapper(
                Q(status=NoticeStatus.OPEN, ends_on__lt=today), output_field=BooleanField()
            ),
            firm_count=Count("applications", distinct=True),
            pending_count=Count(
                "objections",
                filter=Q(objections__status=ObjectionStatus.PENDING),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def notice_get_staff(*, user: User, pk: int) -> Notice:
    notice = (
        Notice.objects.filter(pk=pk)
        .select_related("campaign", "published_by")
        .prefetch_related(_firms())
        .first()
    )
    if notice is None:
        raise OutOfScope()
    return notice


def objection_list(*, user: User) -> QuerySet[Objection]:
    """Objections against firms the user sees (filer names and contacts are personal data)."""
    return Objection.objects.filter(
        application__in=Application.objects.visible_to(user)
    ).select_related("notice", "application__enterprise", "decided_by")


def objection_get(*, user: User, pk: int) -> Objection:
    objection = objection_list(user=user).filter(pk=pk).first()
    if objection is None:
        raise OutOfScope()
    return objection
