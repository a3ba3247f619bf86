"""Project-based special support (专项支持项目): a county or city puts a project forward, the
city vouches for its compliance and authenticity, the province re-checks it and approves an
amount within the city's block, which creates the entitlement already approved. Every step
writes a ProjectTransition row (who, from, to, note), shown on the project's page."""

from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from gansu_sme import workflow
from gansu_sme.exceptions import OutOfScope, PermissionDenied
from gansu_sme.formatting import yuan
from registry.models import Enterprise
from subsidies.choices import (
    PROJECT_ACTS,
    PROJECT_TRANSITIONS,
    ProgramKind,
    ProjectStatus,
    ProjectVerb,
)
from subsidies.models import Budget, Entitlement, Program, ProjectTransition, SupportProject

from .common import PROJECT_SUBMITTER_ROLES, check_finance, money, refused
from .entitlements import entitlement_approve, entitlement_create

PROJECT_WORKFLOW = workflow.Workflow(
    name="support_project",
    model=SupportProject,
    record=ProjectTransition,
    subject="project",
    statuses=ProjectStatus,
    verbs=ProjectVerb,
    table=PROJECT_TRANSITIONS,
    acts=PROJECT_ACTS,
    noun=("项目", "The project"),
)


@transaction.atomic
def project_submit(
    *,
    actor: User,
    enterprise: Enterprise,
    year: int,
    title: str,
    purpose: str,
    amount_requested: Decimal | int | str,
    evidence: str,
) -> SupportProject:
    """Put forward a project of a firm in the actor's region. County and city staff only."""
    if not actor.has_role(*PROJECT_SUBMITTER_ROLES):
        raise PermissionDenied()
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise OutOfScope()
    amount_requested = money(amount_requested)
    if amount_requested <= 0:
        raise refused("amount_not_positive", _("The amount asked must be above zero."),
                      "amount_requested")
    project = SupportProject(
        enterprise=enterprise, year=year, title=title, purpose=purpose,
        amount_requested=amount_requested, evidence=evidence, submitted_by=actor,
    )
    project.full_clean()
    with pghistory.context(user=actor.pk):
        project.save()
        workflow.record(PROJECT_WORKFLOW, project, verb=ProjectVerb.SUBMIT, actor=actor)
    return project


def project_verbs(user: User, project: SupportProject) -> list[str]:
    """The verbs ``user`` may use on ``project`` now."""
    return PROJECT_WORKFLOW.allowed_verbs(user, project)


@transaction.atomic
def project_vouch(
    *, actor: User, project: SupportProject, note: str = "", expected_status: str | None = None
) -> SupportProject:
    """The city vouches for the project's compliance and authenticity (合规性、真实性)."""

    def vouched(row):
        row.vouched_by = actor
        row.vouched_at = timezone.now()

    return workflow.transition(
        PROJECT_WORKFLOW, actor=actor, obj=project, verb=ProjectVerb.VOUCH, reason=note,
        expected_status=expected_status, apply=vouched,
    )


def _decided(actor, note):
    def decide(row):
        row.decided_by = actor
        row.decided_at = timezone.now()
        row.decision_note = (note or "").strip()

    return decide


@transaction.atomic
def project_reject(
    *, actor: User, project: SupportProject, note: str, expected_status: str | None = None
) -> SupportProject:
    """Reject a project at the city's or the province's step, with a note."""

    def noted(row):
        if not (note or "").strip():
            raise refused("reason_required", _("Give a reason."), "note")

    return workflow.transition(
        PROJECT_WORKFLOW, actor=actor, obj=project, verb=ProjectVerb.REJECT, reason=note,
        expected_status=expected_status, guard=noted, apply=_decided(actor, note),
    )


@transaction.atomic
def project_approve(
    *,
    actor: User,
    project: SupportProject,
    amount: Decimal | int | str,
    budget: Budget,
    note: str = "",
    expected_status: str | None = None,
) -> SupportProject:
    """The province approves an amount, at most the amount asked, reserved at once in the
    city's block of ``budget`` (refused when the block has less left). Creates the approved
    entitlement of the project-support program. Returns the project."""
    check_finance(actor)
    amount = money(amount)

    def within_request(row):
        if amount <= 0 or amount > row.amount_requested:
            raise refused("project_amount", _(
                "The amount must lie between 0.01 and %(most)s yuan."
            ) % {"most": yuan(row.amount_requested)}, "amount")

    def approved(row):
        _decided(actor, note)(row)
        row.amount_approved = amount

    project = workflow.transition(
        PROJECT_WORKFLOW, actor=actor, obj=project, verb=ProjectVerb.APPROVE,
        reason=(_("%(amount)s yuan.") % {"amount": yuan(amount)} + f" {note}").strip(),
        expected_status=expected_status,
        guard=within_request, apply=approved,
    )
    if Entitlement.objects.filter(project=project).exists():
        # A repeated approval: the project and its award stand as the first one left them.
        return project
    # Earned on approval: the program valid that day pays it.
    program = Program.objects.valid_on(ProgramKind.PROJECT, timezone.localdate())
    if program is None:
        raise refused("program_not_running", _("No program is valid today."), "amount")
    with pghistory.context(user=actor.pk):
        entitlement, _created = entitlement_create(
            program=program, year=project.year, enterprise=project.enterprise, amount=amount,
            project=project, purpose=f"{project.year}年专项支持：{project.title}"[:200],
        )
    entitlement_approve(actor=actor, entitlement=entitlement, budget=budget)
    return project
