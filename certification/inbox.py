"""What certification puts in everyone's 我的待办 (gansu_sme.inbox): applications, score
sheets, public notices and objections, each by the acts beside its statuses."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.choices import (
    APPLICATION_ACTS,
    ASSIGNMENT_ACTS,
    NOTICE_ACTS,
    OBJECTION_ACTS,
    ApplicationStatus,
    AssignmentStatus,
    NoticeStatus,
    ObjectionStatus,
)
from certification.models import Application, ExpertAssignment, Notice, Objection
from gansu_sme.inbox import Source


def _application_page(application_id):
    return reverse("certification:application-detail", args=[application_id])


def _notice_page(notice_id):
    return reverse("certification:notice-detail", args=[notice_id])


def _provincial(model):
    # Notices and objections are the province's business: seen by accounts bound to the
    # province (its reviewers act on them, its auditors read them).
    def scope(user):
        path = user.scope_path
        province = user.is_superuser or (path is not None and "/" not in path)
        return model.objects.all() if province else model.objects.none()

    return scope


SOURCES = (
    Source(
        kind="application",
        label=_("Application"),
        model=Application,
        statuses=ApplicationStatus,
        acts=APPLICATION_ACTS,
        url=lambda row: _application_page(row.pk),
        describe=lambda row: f"{row.enterprise.name} · {row.campaign.title}",
        due="stage_due",
        related=("enterprise", "campaign"),
    ),
    Source(
        kind="score_sheet",
        label=_("Score sheet"),
        model=ExpertAssignment,
        statuses=AssignmentStatus,
        acts=ASSIGNMENT_ACTS,
        url=lambda row: reverse("certification:assignment-detail", args=[row.pk]),
        describe=lambda row: row.application.enterprise.name,
        due="application__stage_due",
        related=("application__enterprise",),
    ),
    Source(
        kind="notice",
        label=_("Public notice"),
        model=Notice,
        statuses=NoticeStatus,
        acts=NOTICE_ACTS,
        url=lambda row: _notice_page(row.pk),
        describe=lambda row: row.title,
        due="ends_on",
        scope=_provincial(Notice),
    ),
    Source(
        kind="objection",
        label=_("Filed objection"),
        model=Objection,
        statuses=ObjectionStatus,
        acts=OBJECTION_ACTS,
        url=lambda row: _notice_page(row.notice_id),
        describe=lambda row: f"{row.application.enterprise.name} · {row.name}",
        due="notice__ends_on",
        related=("application__enterprise",),
        scope=_provincial(Objection),
    ),
)
