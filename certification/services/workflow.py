"""The one way an application changes status: lock, check, change, record, then enqueue.

Every verb service (``application_submit``, ``application_approve`` …) ends in
``application_transition``, which holds the rules the TRANSITIONS table cannot: who owns an
application in each status, where a return sends it, which deadline starts running.
"""

import pghistory
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from certification.choices import (
    STATUS_STAGE,
    TRANSITIONS,
    ApplicationStatus,
    FilingLevel,
    Stage,
    Verb,
)
from certification.models import Application, ApplicationTransition
from certification.policies import status_owner_role
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied

S = ApplicationStatus

# Verbs done by whoever owns the status the application leaves; WITHDRAW is the filing side's
# at any status it may leave from.
_FILER_ROLE = {FilingLevel.COUNTY: Role.COUNTY_STAFF, FilingLevel.CITY: Role.CITY_STAFF}

REASON_REQUIRED = frozenset({Verb.RETURN, Verb.WITHDRAW, Verb.REJECT, Verb.UPHOLD_OBJECTION})

_STAGE_DUE_FIELD = {
    Stage.COUNTY_REVIEW: "county_review_due",
    Stage.CITY_RECOMMENDATION: "city_recommendation_due",
    Stage.PROVINCE_DECISION: "province_decision_due",
}


def return_target(application):
    """Where a return sends an application: back to the stage of the previous owner."""
    if application.status == S.SUBMITTED:
        return S.DRAFT
    if application.status == S.COUNTY_REVIEWED:
        return S.SUBMITTED
    # From the province back to the city's stage; a city-filed application has no county one.
    if application.filing_level == FilingLevel.CITY:
        return S.SUBMITTED
    return S.COUNTY_REVIEWED


def verb_role(application, verb):
    """The role that may apply ``verb`` to ``application`` in its current status, or None."""
    if verb == Verb.WITHDRAW:
        return _FILER_ROLE[application.filing_level]
    if verb == Verb.RECOMMEND and application.status == S.SUBMITTED:
        # Only a city-filed application skips the county review.
        return Role.CITY_STAFF if application.filing_level == FilingLevel.CITY else None
    if verb == Verb.REVIEW and application.filing_level == FilingLevel.CITY:
        # A city-filed application has no county review to pass.
        return None
    return status_owner_role(application)


def verb_target(application, verb):
    if verb == Verb.RETURN:
        return return_target(application)
    return TRANSITIONS[verb][1]


def allowed_verbs(actor, application):
    """The verbs ``actor`` may apply now: what the pages show as buttons."""
    return [
        verb
        for verb in Verb
        if application.status in TRANSITIONS[verb][0]
        and (actor.is_superuser or verb_role(application, verb) == actor.role)
    ]


def stage_due(application, status):
    """The deadline of the stage an application enters with ``status``, or None."""
    stage = STATUS_STAGE.get(status)
    if stage is None:
        return None
    return getattr(application.campaign, _STAGE_DUE_FIELD[stage])


def application_lock(actor, application):
    """The application re-read under a row lock, or OutOfScope when the actor cannot see it.

    ``actor`` None is the system (a Celery task), which sees everything.
    """
    queryset = Application.objects.all() if actor is None else Application.objects.visible_to(actor)
    locked = (
        queryset.select_for_update(of=("self",))
        .select_related("campaign", "enterprise__region")
        .filter(pk=application.pk)
        .first()
    )
    if locked is None:
        raise OutOfScope()
    return locked


def _check_actor(actor, application, verb):
    if actor is None or actor.is_superuser:
        return
    if actor.is_read_only or actor.role != verb_role(application, verb):
        raise PermissionDenied()


@transaction.atomic
def application_transition(
    *, actor, application, verb, reason="", expected_status=None, update=None, after=None
):
    """Apply ``verb`` to ``application`` and return the application as changed.

    Preconditions: the application is in one of the statuses ``verb`` leaves (TRANSITIONS),
    ``actor`` has the role that owns it in that status and sees its enterprise (``actor`` None
    means the system), and a reason is given where REASON_REQUIRED says so.

    Idempotent: when the application already stands where ``verb`` leads and its last
    transition was ``verb``, nothing is written and the application is returned unchanged, so
    a double click or a retried request is harmless. A caller that knows the status the user
    saw passes it as ``expected_status``: a return that lands in a status it may leave again
    (county_reviewed → submitted) is then not repeated by a second click.

    ``update(locked)`` may set further fields inside the lock before the save (a score, a
    notice); ``after(locked)`` runs on commit (e-mails, events, tasks).

    Side effects: the status, its timestamp and the stage deadline change, an
    ApplicationTransition row is appended and the history row names the actor.
    """
    reason = (reason or "").strip()
    if verb in REASON_REQUIRED and not reason:
        raise DomainError(
            "请填写理由。 Please give a reason.",
            fields={"reason": ["请填写理由。 A reason is required."]},
        )
    locked = application_lock(actor, application)
    sources, _ = TRANSITIONS[verb]
    stale = expected_status is not None and locked.status != expected_status
    if stale or locked.status not in sources:
        last = locked.transitions.order_by("-at", "-id").first()
        if last is not None and last.verb == verb and last.to_status == locked.status:
            return locked
        raise InvalidTransition(
            f"申报当前状态为“{locked.get_status_display()}”，不能执行“{Verb(verb).label}”。"
            f" The application is {ApplicationStatus(locked.status).label}; "
            f"“{Verb(verb).label}” is not possible now."
        )
    _check_actor(actor, locked, verb)
    from_status = locked.status
    locked.status = verb_target(locked, verb)
    locked.status_changed_at = timezone.now()
    locked.stage_due = stage_due(locked, locked.status)
    if update is not None:
        update(locked)
    actor_id = actor.pk if actor is not None else None
    with pghistory.context(user=actor_id, reason=reason or str(Verb(verb).label)):
        locked.save()
        ApplicationTransition.objects.create(
            application=locked,
            verb=verb,
            from_status=from_status,
            to_status=locked.status,
            actor=actor,
            reason=reason,
        )
    if after is not None:
        transaction.on_commit(lambda: after(locked))
    return locked
