"""Reads of public notices and objections: what the public pages, staff pages and API list."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from certification.choices import NoticeStatus, ObjectionStatus
from certification.models import Application, Notice, Objection
from gansu_sme.exceptions import OutOfScope

# Closed notices stay on the public list this long after their end.
RECENT_DAYS = 90


def _firms():
    # What the public may read of each listed firm, and no more (no contacts, no figures).
    return Prefetch(
        "applications",
        queryset=Application.objects.select_related(
            "enterprise__region__parent", "enterprise__industry"
        ).order_by("enterprise__name", "pk"),
        to_attr="firms",
    )


def notice_list_public(*, today=None):
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


def notice_get_public(*, pk, today=None):
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
    return notice


def notice_api_list(*, today=None):
    """Published notices, open and closed, with their firms; for the public API."""
    today = today or timezone.localdate()
    return (
        Notice.objects.filter(starts_on__lte=today)
        .select_related("campaign")
        .prefetch_related(_firms())
    )


def notice_list_staff(*, user):
    """Every notice, with how many firms it lists and how many objections wait for a ruling.

    Notices are public documents, so staff see them all; the objections' filers are shown only
    through ``objection_list``, which is scoped.
    """
    return (
        Notice.objects.select_related("campaign", "published_by")
        .annotate(
            firm_count=Count("applications", distinct=True),
            pending_count=Count(
                "objections",
                filter=Q(objections__status=ObjectionStatus.PENDING),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def notice_get_staff(*, user, pk):
    notice = (
        Notice.objects.filter(pk=pk)
        .select_related("campaign", "published_by")
        .prefetch_related(_firms())
        .first()
    )
    if notice is None:
        raise OutOfScope()
    return notice


def objection_list(*, user):
    """Objections against firms the user sees (filer names and contacts are personal data)."""
    return Objection.objects.filter(
        application__in=Application.objects.visible_to(user)
    ).select_related("notice", "application__enterprise", "decided_by")


def objection_get(*, user, pk):
    objection = objection_list(user=user).filter(pk=pk).first()
    if objection is None:
        raise OutOfScope()
    return objection
