"""Read paths of the expert panel: the pool, score sheets and what each reader may see of them.

Scores stay hidden until the panel is complete (``scoring.PanelCount``): a sheet's points and
total are shown to its own expert, and to everyone else who sees the sheet (the province, other
panel members on their pages) only once every sheet not recused is submitted and they number
what the campaign requires. Who has submitted is always shown.
"""

from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from accounts.models import User
from certification.choices import ASSIGNMENT_PENDING, EXCLUSION_LABELS, AssignmentStatus
from certification.models import Application, Attachment, Expert, ExpertAssignment, ExpertDraw
from certification.policies import can_manage_experts
from certification.scoring import PanelCount, automatic_points, manual_items, panel_required
from gansu_sme.exceptions import OutOfScope


def expert_list(*, user: User) -> QuerySet[Expert]:
    """The expert pool, for provincial reviewers only (everyone else gets no rows)."""
    if not can_manage_experts(user):
        return Expert.objects.none()
    return Expert.objects.select_related("region", "user").prefetch_related("industries")


def expert_get(*, user: User, pk: int) -> Expert:
    expert = expert_list(user=user).filter(pk=pk).first()
    if expert is None:
        raise OutOfScope()
    return expert


def assignment_list(*, user: User) -> QuerySet[ExpertAssignment]:
    """Sheets the user sees (an expert: their own), with ``panel_open`` true until the panel of
    the same application is complete (``scoring.PanelCount``: a sheet still waiting, or fewer
    submitted than required); constant queries however many rows."""
    waiting = ExpertAssignment.objects.filter(
        application=OuterRef("application"), status__in=ASSIGNMENT_PENDING
    )
    submitted = (
        ExpertAssignment.objects.filter(
            application=OuterRef("application"), status=AssignmentStatus.SUBMITTED
        )
        .order_by()
        .values("application")
        .annotate(n=Count("id"))
        .values("n")
    )
    first_draw = (
        ExpertDraw.objects.filter(application=OuterRef("application"))
        .order_by("drawn_at", "id")
        .values("count")[:1]
    )
    return (
        ExpertAssignment.objects.visible_to(user)
        .select_related(
            "expert__user", "application__enterprise__region", "application__campaign"
        )
        .annotate(
            panel_submitted=Coalesce(Subquery(submitted, output_field=IntegerField()), 0),
            panel_required=Greatest(
                F("application__campaign__experts_per_application"),
                Coalesce(Subquery(first_draw, output_field=IntegerField()), Value(0)),
            ),
        )
        .annotate(
            panel_open=ExpressionWrapper(
                Q(Exists(waiting)) | Q(panel_submitted__lt=F("panel_required")),
                output_field=BooleanField(),
            )
        )
    )


def assignment_get(*, user: User, pk: int) -> ExpertAssignment:
    assignment = assignment_list(user=user).filter(pk=pk).first()
    if assignment is None:
        raise OutOfScope()
    return assignment


def scores_visible(assignment: ExpertAssignment, user: User) -> bool:
    """Whether ``user`` may read this sheet's points and total (module docstring).

    ``assignment`` comes from ``assignment_list`` (it carries ``panel_open``).
    """
    panel_open = assignment.panel_open  # type: ignore[attr-defined]  # from assignment_list
    return assignment.expert.user_id == user.pk or not panel_open


def assignment_file(*, user: User, assignment: ExpertAssignment) -> dict[str, Any] | None:
    """The application file an expert scores from, or None while it is closed to ``user``.

    Returns a dict: the application (enterprise, campaign, rule set, stored evaluation),
    its attachments, the manual items to score and the automatic points counted in the total.
    """
    application = (
        Application.objects.visible_to(user)
        .select_related(
            "enterprise__region__parent", "enterprise__industry", "campaign__ruleset",
            "evaluation",
        )
        .prefetch_related("campaign__ruleset__items")
        .filter(pk=assignment.application_id)
        .first()
    )
    if application is None:
        return None
    evaluation = application.evaluation
    return {
        "application": application,
        "evaluation": evaluation,
        "results": evaluation.results if evaluation else [],
        "attachments": Attachment.objects.filter(application=application),
        "items": manual_items(application.campaign.ruleset),
        "automatic_points": automatic_points(application),
    }


def panel_sheets(*, application: Application) -> tuple[list[ExpertAssignment], PanelCount]:
    """The panel of an application for the province's decision page.

    Returns (sheets, count): sheets ordered by draw and id with their experts, and the
    PanelCount (submitted / required, recused sheets left out); points are for display only
    when ``count.complete``.
    """
    sheets = list(
        application.assignments.select_related("expert", "draw").order_by("draw_id", "id")
    )
    seated = [sheet for sheet in sheets if sheet.status != AssignmentStatus.RECUSED]
    count = PanelCount(
        submitted=sum(1 for sheet in seated if sheet.status == AssignmentStatus.SUBMITTED),
        seated=len(seated),
        required=panel_required(application),
    )
    return sheets, count


def draw_list(*, application: Application) -> list[ExpertDraw]:
    """The draws of an application, oldest first, with the experts each drew and excluded."""
    draws = list(
        ExpertDraw.objects.filter(application=application)
        .select_related("drawn_by")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ExpertAssignment.objects.select_related("expert").order_by("id"),
            )
        )
    )
    ids = {int(pk) for draw in draws for pk in draw.excluded}
    names = dict(Expert.objects.filter(pk__in=ids).values_list("pk", "name"))
    for draw in draws:
        draw.excluded_rows = [  # type: ignore[attr-defined]  # for the draw page
            {
                "expert": names.get(int(pk), pk),
                "reasons": [EXCLUSION_LABELS.get(code, code) for code in reasons],
            }
            for pk, reasons in sorted(draw.excluded.items(), key=lambda kv: int(kv[0]))
        ]
    return draws
