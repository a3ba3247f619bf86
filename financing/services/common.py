"""What the financing services share: their workflows and the checks of a need's figures."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from financing.choices import (
    NEED_ACTS,
    NEED_TRANSITIONS,
    OUTCOME_ACTS,
    OUTCOME_TRANSITIONS,
    NeedStatus,
    NeedVerb,
    OutcomeStatus,
    OutcomeVerb,
)
from financing.models import (
    FinancingNeed,
    FinancingNeedTransition,
    MatchOutcome,
    MatchOutcomeTransition,
)
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError

NEED_WORKFLOW = workflow.Workflow(
    name="financing_need",
    model=FinancingNeed,
    record=FinancingNeedTransition,
    subject="need",
    statuses=NeedStatus,
    verbs=NeedVerb,
    table=NEED_TRANSITIONS,
    acts=NEED_ACTS,
    reason_required=frozenset({NeedVerb.CLOSE, NeedVerb.WITHDRAW}),
    changed_at="status_changed_at",
    lock_related=("enterprise",),
    noun=_("the financing need"),
)
OUTCOME_WORKFLOW = workflow.Workflow(
    name="match_outcome",
    model=MatchOutcome,
    record=MatchOutcomeTransition,
    subject="outcome",
    statuses=OutcomeStatus,
    verbs=OutcomeVerb,
    table=OUTCOME_TRANSITIONS,
    acts=OUTCOME_ACTS,
    reason_required=frozenset({OutcomeVerb.REFUSE}),
    changed_at="status_changed_at",
    lock_related=("need", "event"),
    noun=_("the matching outcome"),
)

MAX_TERM_MONTHS = 360
# Above this an annual rate is a typing mistake, not a loan (the courts cap private lending
# far below it).
MAX_RATE = Decimal(36)


def check_amount(amount: Decimal | None, field: str = "amount") -> Decimal:
    if amount is None or amount <= 0:
        raise DomainError.for_field(
            field, gettext("The amount must be more than 0."), code="amount_not_positive"
        )
    return amount


def check_term(term_months: int | None) -> int:
    if term_months is None or not 1 <= term_months <= MAX_TERM_MONTHS:
        raise DomainError.for_field(
            "term_months",
            gettext("The term must lie between 1 and %(max)s months.") % {"max": MAX_TERM_MONTHS},
            code="term_out_of_range",
        )
    return term_months


def check_rate(rate: Decimal | None) -> Decimal:
    if rate is None or not Decimal(0) < rate <= MAX_RATE:
        raise DomainError.for_field(
            "rate",
            gettext("The annual rate must lie above 0 and at most %(max)s %%.") % {"max": MAX_RATE},
            code="rate_out_of_range",
        )
    return rate


def check_not_future(day: datetime.date | None, field: str) -> datetime.date:
    if day is None or day > timezone.localdate():
        raise DomainError.for_field(
            field, gettext("The date must not lie in the future."), code="date_in_future"
        )
    return day
