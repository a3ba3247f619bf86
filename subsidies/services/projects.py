"""Project-based special support (专项支持项目): a county or city puts a project forward, the
city vouches for its compliance and authenticity, the province re-checks it and approves an
amount within the city's block, which creates the entitlement already approved. Every step
writes a ProjectTransition row (who, from, to, note), shown on the project's page."""

import pghistory
from django.db import transaction
from django.utils import timezone

from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry.models import Enterprise
from subsidies.choices import PROJECT_TRANSITIONS, ProgramKind, ProjectStatus, ProjectVerb
from subsidies.models import Program, ProjectTransition, SupportProject

from .common import (
    PROJECT_SUBMITTER_ROLES,
    PROJECT_VOUCHER_ROLES,
    check_finance,
    is_finance,
    lock_visible,
    money,
)
from .entitlements import entitlement_approve, entitlement_create


@transaction.atomic
def project_submit(*, actor, enterprise, year, title, purpose, amount_requested, evidence):
    """Put forward a project of a firm in the actor's region. County and city staff only."""
    if not (actor.is_superuser or actor.role in PROJECT_SUBMITTER_ROLES):
        raise PermissionDenied()
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise OutOfScope()
    amount_requested = money(amount_requested)
    if amount_requested <= 0:
        raise DomainError(fields={"amount_requested": [
            "申请金额应大于零。 The amount asked must be above zero."
        ]})
    project = SupportProject(
        enterprise=enterprise, year=year, title=title, purpose=purpose,
        amount_requested=amount_requested, evidence=evidence, submitted_by=actor,
    )
    project.full_clean()
    with pghistory.context(user=actor.pk):
        project.save()
        _record(actor, project, from_status="")
    return project


def _record(actor, project, *, from_status, note=""):
    ProjectTransition.objects.create(
        project=project, from_status=from_status, to_status=project.status, actor=actor,
        reason=note,
    )


def project_verbs(user, project):
    """The verbs ``user`` may use on ``project`` now."""
    verbs = PROJECT_TRANSITIONS[project.status]
    if project.status == ProjectStatus.SUBMITTED:
        allowed = user.is_superuser or user.role in PROJECT_VOUCHER_ROLES
    else:
        allowed = is_finance(user)
    return list(verbs) if allowed else []


def _lock(actor, project, verb):
    project = lock_visible(SupportProject, actor, project.pk)
    if verb not in PROJECT_TRANSITIONS[project.status]:
        raise InvalidTransition()
    if verb not in project_verbs(actor, project):
        raise PermissionDenied()
    return project


@transaction.atomic
def project_vouch(*, actor, project, note=""):
    """The city vouches for the project's compliance and authenticity (合规性、真实性)."""
    project = _lock(actor, project, ProjectVerb.VOUCH)
    from_status = project.status
    project.status = ProjectStatus.VOUCHED
    project.vouched_by = actor
    project.vouched_at = timezone.now()
    with pghistory.context(user=actor.pk, note=note):
        project.save(update_fields=["status", "vouched_by", "vouched_at"])
        _record(actor, project, from_status=from_status, note=note)
    return project


@transaction.atomic
def project_reject(*, actor, project, note):
    """Reject a project at the city's or the province's step, with a note."""
    project = _lock(actor, project, ProjectVerb.REJECT)
    if not (note or "").strip():
        raise DomainError(fields={"note": ["请填写原因。 Give a reason."]})
    from_status = project.status
    project.status = ProjectStatus.REJECTED
    project.decided_by = actor
    project.decided_at = timezone.now()
    project.decision_note = note.strip()
    with pghistory.context(user=actor.pk):
        project.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _record(actor, project, from_status=from_status, note=project.decision_note)
    return project


@transaction.atomic
def project_approve(*, actor, project, amount, budget, note=""):
    """The province approves an amount, at most the amount asked, reserved at once in the
    city's block of ``budget`` (refused when the block has less left). Creates the approved
    entitlement of the project-support program. Returns the project."""
    check_finance(actor)
    project = _lock(actor, project, ProjectVerb.APPROVE)
    amount = money(amount)
    if amount <= 0 or amount > project.amount_requested:
        raise DomainError(fields={"amount": [
            f"批准金额应在 0.01 至 {project.amount_requested} 元之间。"
            f" The amount must lie between 0.01 and {project.amount_requested} yuan."
        ]})
    program = Program.objects.get(kind=ProgramKind.PROJECT)
    from_status = project.status
    project.status = ProjectStatus.APPROVED
    project.amount_approved = amount
    project.decided_by = actor
    project.decided_at = timezone.now()
    project.decision_note = note
    with pghistory.context(user=actor.pk):
        project.save(update_fields=[
            "status", "amount_approved", "decided_by", "decided_at", "decision_note",
        ])
        _record(actor, project, from_status=from_status,
                note=f"{amount} 元。 {amount} yuan. {note}".strip())
        entitlement, _created = entitlement_create(
            program=program, year=project.year, enterprise=project.enterprise, amount=amount,
            project=project, purpose=f"{project.year}年专项支持：{project.title}"[:200],
        )
    entitlement_approve(actor=actor, entitlement=entitlement, budget=budget)
    return project
