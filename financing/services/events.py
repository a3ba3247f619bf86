"""Bank–enterprise matching events (银企对接活动) and each need's outcome at them.

The province organises an event, invites institutions and puts open needs to it; each need
then has an outcome at the event that the province records as the banks report back:
contacted, in review, granted (by whom, how much, at what rate, when) or refused (why). Every
step goes through the workflow kernel, and a grant meets the need itself.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from financing.choices import (
    MATCHING_ROLES,
    NEED_OPEN,
    NeedStatus,
    NeedVerb,
    OutcomeVerb,
)
from financing.models import FinancialInstitution, FinancingNeed, MatchingEvent, MatchOutcome
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, PermissionDenied

from .common import (
    NEED_WORKFLOW,
    OUTCOME_WORKFLOW,
    check_amount,
    check_not_future,
    check_rate,
)


def may_organise(actor: User) -> bool:
    return (
        actor.has_role(*MATCHING_ROLES)
        and not actor.is_read_only
        and not actor.is_expired
        and (actor.is_superuser or actor.region_id is not None)
    )


def _check_organiser(actor: User) -> None:
    if not may_organise(actor):
        raise PermissionDenied()


def _active_institutions(institutions: Iterable[FinancialInstitution]) -> list:
    chosen = list(institutions)
    inactive = [i for i in chosen if not i.is_active]
    if inactive:
        raise DomainError.for_field(
            "institutions", gettext("An institution no longer taking part was chosen."),
            code="institution_inactive",
        )
    return chosen


@transaction.atomic
def event_create(
    *,
    actor: User,
    title: str,
    held_on: datetime.date,
    venue: str = "",
    institutions: Iterable[FinancialInstitution] = (),
) -> MatchingEvent:
    """The province plans a matching event for its region and invites institutions."""
    _check_organiser(actor)
    if not (title or "").strip():
        raise DomainError.for_field("title", gettext("Give the event a title."),
                                    code="title_required")
    chosen = _active_institutions(institutions)
    region = actor.region
    if region is None:  # a superuser without a region organises for the province
        from registry.models import Region

        region = Region.objects.get(parent__isnull=True)
    event = MatchingEvent(title=title.strip(), held_on=held_on, venue=(venue or "").strip(),
                          region=region, created_by=actor)
    event.full_clean()
    with pghistory.context(user=actor.pk):
        event.save()
        event.institutions.set(chosen)
    return event


@transaction.atomic
def event_invite(
    *, actor: User, event: MatchingEvent, institutions: Iterable[FinancialInstitution]
) -> MatchingEvent:
    """Invite more institutions to an event; those already invited stay."""
    _check_organiser(actor)
    locked = MatchingEvent.objects.get_visible(actor, event.pk, lock=True)
    with pghistory.context(user=actor.pk):
        locked.institutions.add(*_active_institutions(institutions))
    return locked


@transaction.atomic
def event_put_needs(
    *, actor: User, event: MatchingEvent, needs: Iterable[FinancingNeed]
) -> list[MatchOutcome]:
    """Put open needs the actor sees to an event: each gets an outcome awaiting contact, and a
    need still only filed moves to matching. A need already put to this event is refused."""
    _check_organiser(actor)
    locked_event = MatchingEvent.objects.get_visible(actor, event.pk, lock=True)
    outcomes = []
    for need in needs:
        row = FinancingNeed.objects.get_visible(actor, need.pk, lock=True)
        if row.status not in NEED_OPEN:
            raise DomainError.for_field(
                "needs", gettext("Only open needs can be put to an event."), code="need_closed"
            )
        if MatchOutcome.objects.filter(event=locked_event, need=row).exists():
            raise DomainError.for_field(
                "needs", gettext("This need has already been put to this event."),
                code="need_already_in_event",
            )
        if row.status == NeedStatus.FILED:
            row = workflow.transition(
                NEED_WORKFLOW, actor=actor, obj=row, verb=NeedVerb.MATCH,
                reason=locked_event.title, locked=True,
            )
        outcome = MatchOutcome(event=locked_event, need=row)
        with pghistory.context(user=actor.pk):
            outcome.save()
            workflow.record(OUTCOME_WORKFLOW, outcome, verb=OutcomeVerb.PUT, actor=actor)
        outcomes.append(outcome)
    return outcomes


def _institution_of(
    event: MatchingEvent, institution: FinancialInstitution | None
) -> FinancialInstitution:
    if institution is None:
        raise DomainError.for_field(
            "institution", gettext("Choose the institution."), code="institution_required"
        )
    if not event.institutions.filter(pk=institution.pk).exists():
        raise DomainError.for_field(
            "institution", gettext("The institution was not invited to this event."),
            code="institution_not_invited",
        )
    return institution


def outcome_contact(
    *, actor: User, outcome: MatchOutcome, institution: FinancialInstitution | None,
    reason: str = "",
) -> MatchOutcome:
    """An invited institution has contacted the firm about the need."""

    def apply(row):
        row.institution = _institution_of(row.event, institution)

    return workflow.transition(
        OUTCOME_WORKFLOW, actor=actor, obj=outcome, verb=OutcomeVerb.CONTACT, reason=reason,
        apply=apply,
    )


def outcome_review(*, actor: User, outcome: MatchOutcome, reason: str = "") -> MatchOutcome:
    """The institution that contacted the firm is reviewing its application."""
    return workflow.transition(
        OUTCOME_WORKFLOW, actor=actor, obj=outcome, verb=OutcomeVerb.REVIEW, reason=reason
    )


@transaction.atomic
def outcome_grant(
    *,
    actor: User,
    outcome: MatchOutcome,
    institution: FinancialInstitution | None,
    granted_amount: Decimal | None,
    rate: Decimal | None,
    granted_on: datetime.date | None,
    reason: str = "",
) -> MatchOutcome:
    """The institution granted the money: how much (万元), at what annual rate, on what day.
    The need is met by it (if it was not met already at another event)."""

    def apply(row):
        row.institution = _institution_of(row.event, institution or row.institution)
        row.granted_amount = check_amount(granted_amount, "granted_amount")
        row.rate = check_rate(rate)
        row.granted_on = check_not_future(granted_on, "granted_on")

    row = workflow.transition(
        OUTCOME_WORKFLOW, actor=actor, obj=outcome, verb=OutcomeVerb.GRANT, reason=reason,
        apply=apply,
    )
    need = row.need
    if need.status == NeedStatus.MATCHING:
        workflow.transition(
            NEED_WORKFLOW, actor=actor, obj=need, verb=NeedVerb.MEET,
            reason=gettext("Granted at %(event)s.") % {"event": row.event.title},
        )
    return row


def outcome_refuse(*, actor: User, outcome: MatchOutcome, reason: str) -> MatchOutcome:
    """The institution declined, or the firm withdrew from it: why, in the reason."""

    def apply(row):
        row.refusal_reason = reason.strip()

    return workflow.transition(
        OUTCOME_WORKFLOW, actor=actor, obj=outcome, verb=OutcomeVerb.REFUSE, reason=reason,
        apply=apply,
    )


def outcome_actions(actor: User, outcome: MatchOutcome) -> list[str]:
    return OUTCOME_WORKFLOW.allowed_verbs(actor, outcome)
