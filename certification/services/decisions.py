"""The province's decision (审定) on an application after the expert panel.

A reviewer who departs from the panel writes why: the decision departs when the score decided
differs from the panel score, or when it goes against the rule set's pass mark (approving
with a panel score below it, rejecting with a panel score at or above it). The reason is
then required and stored in ``departure_reason``; the score decided is stored in
``decision_score``.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from certification.choices import ApplicationStatus, Verb
from certification.models import Application
from certification.scoring import TENTH, panel_complete, panel_count, round_tenth
from certification.services.workflow import APPLICATION_WORKFLOW, application_transition
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, InvalidTransition

MAX_SCORE = Decimal("100")

DEPARTURE_MESSAGE = _("The decision departs from the expert panel; write why.")


def _score(value):
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite() or score != score.quantize(TENTH):
        raise DomainError(
            code="invalid_score", fields={"score": [_("A score with at most one decimal.")]}
        )
    if not Decimal("0") <= score <= MAX_SCORE:
        message = _("The score lies between 0 and %(max)s.") % {"max": MAX_SCORE}
        raise DomainError(code="score_out_of_range", fields={"score": [message]})
    return round_tenth(score)


def decision_departs(
    application: Application, *, approve: bool, score: Decimal | None
) -> bool:
    """Whether deciding ``approve`` with ``score`` departs from the panel (module docstring)."""
    panel = application.panel_score
    if panel is None:
        return False
    if score != panel:
        return True
    pass_mark = application.campaign.ruleset.pass_mark
    if pass_mark is None:
        return False
    return panel < pass_mark if approve else panel >= pass_mark


def panel_check(application: Application) -> None:
    """Refuse a decision on the panel until it is complete (scoring.PanelCount).

    A recused expert not yet replaced: ``replacement_not_drawn``; sheets still open or fewer
    submitted than the campaign requires: ``panel_incomplete``. Both messages give the count
    submitted / required, recused sheets left out.
    """
    count = panel_count(application)
    if count.complete and application.panel_score is not None:
        return
    figures = {"submitted": count.submitted, "required": count.required}
    if count.replacement_needed:
        raise DomainError(
            _("An expert has recused and no replacement has been drawn: %(submitted)s of the"
              " %(required)s score sheets required are submitted. Draw a replacement first.")
            % figures,
            code="replacement_not_drawn",
        )
    raise DomainError(
        _("%(submitted)s of the %(required)s score sheets required are submitted; the"
          " application cannot be approved yet.") % figures,
        code="panel_incomplete",
    )


@transaction.atomic
def application_approve(
    *,
    actor: User,
    application: Application,
    score: Decimal | str | None = None,
    reason: str = "",
) -> Application:
    """Approve an application under expert review (Verb.APPROVE) and return it.

    Preconditions: the actor is a provincial reviewer who sees the application; every sheet of
    the panel not recused is submitted and they number at least the campaign's experts per
    application (``panel_check``, else DomainError ``panel_incomplete`` or
    ``replacement_not_drawn``). ``score`` defaults to the panel
    score; a departure from the panel needs ``reason``. Idempotent like every transition: a
    repeated approval returns the approved application. Side effects: decision_score and
    departure_reason are stored with the transition row.
    """
    reason = (reason or "").strip()

    def panel_done(locked):
        panel_check(locked)
        departs = decision_departs(locked, approve=True, score=decided(locked))
        if departs and not reason:
            raise DomainError(
                DEPARTURE_MESSAGE, code="departure_reason_required",
                fields={"reason": [DEPARTURE_MESSAGE]},
            )

    def decided(locked):
        return locked.panel_score if score is None else _score(score)

    def decide(locked):
        locked.decision_score = decided(locked)
        departs = decision_departs(locked, approve=True, score=locked.decision_score)
        locked.departure_reason = reason if departs else ""

    return application_transition(
        actor=actor,
        application=application,
        verb=Verb.APPROVE,
        reason=reason,
        expected_status=ApplicationStatus.UNDER_EXPERT_REVIEW,
        guard=panel_done,
        apply=decide,
    )


@transaction.atomic
def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    """Reject an accepted application or one under expert review (Verb.REJECT).

    Preconditions: the actor is a provincial reviewer who sees the application; ``reason`` is
    required. The panel score, when the panel is complete, is stored as the score decided, and
    rejecting at or above the pass mark stores the reason as the departure reason too.
    """

    # In notice, only an upheld objection stops a firm (or the close, for a firm that can no
    # longer be certified): a reviewer's second thoughts go through an objection.
    locked = workflow.lock(APPLICATION_WORKFLOW, actor, application)
    if locked.status == ApplicationStatus.PUBLIC_NOTICE:
        raise InvalidTransition(
            _("An application in public notice can only be rejected by upholding an objection."),
            code="in_public_notice",
        )

    def decide(locked):
        if locked.panel_score is not None and panel_complete(locked):
            locked.decision_score = locked.panel_score
            departs = decision_departs(locked, approve=False, score=locked.panel_score)
            locked.departure_reason = (reason or "").strip() if departs else ""

    return application_transition(
        actor=actor, application=locked, verb=Verb.REJECT, reason=reason, apply=decide
    )
