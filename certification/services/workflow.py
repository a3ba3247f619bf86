"""The application workflow, run by the kernel in ``gansu_sme.workflow``.

Every verb service (``application_submit``, ``application_approve`` …) ends in
``application_transition``, which adds what only applications have to the kernel's lock →
check → change → record → on-commit: the deadline of the stage an application enters.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certification.choices import (
    APPLICATION_ACTS,
    APPLICATION_TRANSITIONS,
    STATUS_STAGE,
    ApplicationStatus,
    Stage,
    Verb,
)
from certification.models import Application, ApplicationTransition
from gansu_sme import workflow

REASON_REQUIRED = frozenset({Verb.RETURN, Verb.WITHDRAW, Verb.REJECT, Verb.UPHOLD_OBJECTION})

APPLICATION_WORKFLOW = workflow.Workflow(
    name="application",
    model=Application,
    record=ApplicationTransition,
    subject="application",
    statuses=ApplicationStatus,
    verbs=Verb,
    table=APPLICATION_TRANSITIONS,
    acts=APPLICATION_ACTS,
    reason_required=REASON_REQUIRED,
    changed_at="status_changed_at",
    lock_related=("campaign", "enterprise__region"),
    noun=_("the application"),
)

_STAGE_DUE_FIELD = {
    Stage.COUNTY_REVIEW: "county_review_due",
    Stage.CITY_RECOMMENDATION: "city_recommendation_due",
    Stage.PROVINCE_DECISION: "province_decision_due",
}


def verb_roles(application: Application, verb: str) -> frozenset[str]:
    """The roles that may apply ``verb`` to ``application`` in its current status."""
    return APPLICATION_WORKFLOW.roles_for(application, verb)


def allowed_verbs(actor: User, application: Application) -> list[str]:
    """The verbs ``actor`` may apply now: what the pages show as buttons."""
    return APPLICATION_WORKFLOW.allowed_verbs(actor, application)


def stage_due(application: Application, status: str) -> datetime.date | None:
    """The deadline of the stage an application enters with ``status``, or None."""
    stage = STATUS_STAGE.get(status)
    if stage is None:
        return None
    return getattr(application.campaign, _STAGE_DUE_FIELD[stage])


def application_transition(
    *,
    actor: User | None,
    application: Application,
    verb: str,
    reason: str = "",
    expected_status: str | None = None,
    guard: Callable[[Application], Any] | None = None,
    apply: Callable[[Application], Any] | None = None,
    after: Callable[[Application], Any] | None = None,
) -> Application:
    """Apply ``verb`` to ``application`` through the kernel and return it as changed.

    Preconditions and idempotency are the kernel's (``gansu_sme.workflow.transition``): the
    table lets ``verb`` leave the status, the acts give the actor's role that verb there, a
    reason is given where REASON_REQUIRED says so. ``guard``, ``apply`` and ``after`` are the
    kernel's hooks. Side effects: besides the status, its timestamp and the transition row,
    the deadline of the stage the application enters is set.
    """

    def enter_stage(locked):
        locked.stage_due = stage_due(locked, locked.status)
        if apply is not None:
            apply(locked)

    return workflow.transition(
        APPLICATION_WORKFLOW,
        actor=actor,
        obj=application,
        verb=verb,
        reason=reason,
        expected_status=expected_status,
        guard=guard,
        apply=enter_stage,
        after=after,
    )
