"""Read paths of applications: scoped lists, the official's task list, one application."""

import datetime

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from certification.choices import APPLICATION_ACTS, Verb
from certification.models import Application, ApplicationTransition, Attachment, Evaluation
from gansu_sme.exceptions import OutOfScope
from gansu_sme.workflow import waiting_q
from registry.models import Enterprise

FIRM_SEARCH_LIMIT = 20


def overdue_expression(today: datetime.date | None = None) -> Case:
    """True where the stage the application waits in has passed its deadline."""
    # A Case, not a bare comparison: no deadline must read False, not NULL, or NULLs would
    # sort ahead of the overdue rows.
    today = today or timezone.localdate()
    return Case(When(stage_due__lt=today, then=Value(True)), default=Value(False))


def application_list(*, user: User) -> QuerySet[Application]:
    """Applications the user may see, with what lists and the API show eagerly loaded.

    ``overdue`` and ``enterprise_name`` are annotated so lists can filter and sort by them.
    """
    return (
        Application.objects.visible_to(user)
        .select_related("campaign", "enterprise__region__parent", "evaluation", "renews")
        .annotate(enterprise_name=F("enterprise__name"), overdue=overdue_expression())
    )


def application_get(*, user: User, pk: int) -> Application:
    application = application_list(user=user).select_related("created_by").filter(pk=pk).first()
    if application is None:
        raise OutOfScope()
    return application


def application_transitions(
    *, application: Application
) -> QuerySet[ApplicationTransition]:
    """The application's status history, oldest first, with who did each step."""
    return ApplicationTransition.objects.filter(application=application).select_related("actor")


def application_opinion(*, application: Application) -> ApplicationTransition | None:
    """The city's latest recommendation of the application: its opinion (the transition's
    reason), who gave it and when; None before any recommendation."""
    return (
        ApplicationTransition.objects.filter(application=application, verb=Verb.RECOMMEND)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


DECISION_VERBS = (Verb.APPROVE, Verb.REJECT, Verb.UPHOLD_OBJECTION)


def application_decision(*, application: Application) -> ApplicationTransition | None:
    """The province's latest decision on the application (approved, rejected, or rejected on
    an upheld objection), with its reason, actor and time; None while undecided."""
    return (
        ApplicationTransition.objects.filter(application=application, verb__in=DECISION_VERBS)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def applications_waiting_for(user: User) -> QuerySet[Application]:
    """What waits for ``user`` ("my tasks"): applications in their region whose current status
    is owned by their role, overdue ones first, then by deadline.

    County staff see the drafts and submissions of their county, city staff what the counties
    reviewed and what the city filed itself, provincial reviewers everything from the city's
    recommendation to the public notice.
    """
    return (
        application_list(user=user)
        .filter(waiting_q(APPLICATION_ACTS, getattr(user, "role", None)))
        .order_by(
            F("overdue").desc(), F("stage_due").asc(nulls_last=True), "status_changed_at", "pk"
        )
    )


def attachment_get(*, user: User, application_pk: int, pk: int) -> Attachment:
    """An attachment of an application the user may see (experts included), else OutOfScope."""
    attachment = (
        Attachment.objects.filter(
            application__in=Application.objects.visible_to(user).filter(pk=application_pk)
        )
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise OutOfScope()
    return attachment


def evaluation_list(*, user: User) -> QuerySet[Evaluation]:
    return Evaluation.objects.visible_to(user).select_related(
        "enterprise__region", "ruleset", "evaluated_by"
    )


def evaluation_get(*, user: User, pk: int) -> Evaluation:
    evaluation = evaluation_list(user=user).filter(pk=pk).first()
    if evaluation is None:
        raise OutOfScope()
    return evaluation


def firms_for_filing(*, user: User, query: str) -> QuerySet[Enterprise]:
    """Active enterprises of the user's region whose name contains ``query`` or whose credit
    code starts with it: the new-application form's firm picker. A firm outside the user's
    region is never among them, whatever is typed."""
    query = (query or "").strip()
    if not query:
        return Enterprise.objects.none()
    return (
        Enterprise.objects.visible_to(user)
        .filter(is_active=True)
        .filter(Q(name__icontains=query) | Q(uscc__istartswith=query.upper()))
        .select_related("region__parent")
        .order_by("name", "pk")[:FIRM_SEARCH_LIMIT]
    )


def enterprise_applications(*, user: User, enterprise: Enterprise) -> QuerySet[Application]:
    """The firm's applications the user may see, newest campaign first, for its page."""
    return (
        application_list(user=user)
        .filter(enterprise=enterprise)
        .order_by("-campaign__year", "-created_at")
    )
