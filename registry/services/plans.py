"""Figures of a plan's targets that the registry cannot compute, entered by hand."""

import datetime
from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils.translation import gettext

from accounts.choices import Role
from accounts.models import User
from gansu_sme.exceptions import DomainError, PermissionDenied
from registry.models import PlanFigure, PlanTarget
from registry.selectors.plans import METRIC_RULES, PERCENT

PLAN_FIGURE_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})


@transaction.atomic
def plan_figure_enter(
    *, actor: User, target: PlanTarget, value: Decimal, as_of: datetime.date, source: str
) -> PlanFigure:
    """Record the figure of a plan target that the registry does not compute (its metric is
    marked as entered by hand), as of a date and with the publication it comes from.

    Provincial reviewers only. Figures are added, never overwritten: the one with the latest
    ``as_of`` is shown, and each keeps who entered it and when. Returns the new figure.
    """
    if not actor.has_role(*PLAN_FIGURE_ROLES):
        raise PermissionDenied()
    rule = METRIC_RULES[target.metric]
    if rule.computed:
        raise DomainError(
            gettext("The registry computes this figure from its own data; it is not entered"
                    " by hand."),
            code="plan_figure_computed",
        )
    source = (source or "").strip()
    if not source:
        raise DomainError.for_field(
            "source", gettext("Name the publication the figure is taken from."),
            code="plan_figure_source_required",
        )
    if value < 0 or (rule.kind == PERCENT and value > 100):
        raise DomainError.for_field(
            "value", gettext("A share lies between 0 and 100 %."), code="plan_figure_range"
        )
    figure = PlanFigure(target=target, value=value, as_of=as_of, source=source,
                        entered_by=actor)
    figure.full_clean()
    with pghistory.context(user=actor.pk):
        figure.save()
    return figure
