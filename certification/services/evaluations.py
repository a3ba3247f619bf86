"""State-changing use cases of certification."""

from typing import Any

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from certification import rubric
from certification.models import Evaluation, RuleSet
from certification.selectors import evaluation_facts
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.models import Enterprise

EVALUATOR_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER})


def _parse(rules, manual_inputs, declared_figures):
    errors, inputs, declared = {}, {}, {}
    try:
        inputs = rubric.parse_inputs(rules, manual_inputs)
    except rubric.InvalidInput as error:
        errors["manual_inputs"] = [f"{code}: {text}" for code, text in error.errors.items()]
    try:
        declared = rubric.parse_declared(declared_figures)
    except rubric.InvalidInput as error:
        errors["declared_figures"] = [f"{name}: {text}" for name, text in error.errors.items()]
    if errors:
        raise DomainError(code="invalid_inputs", fields=errors)
    return inputs, declared


@transaction.atomic
def evaluation_run(
    *,
    actor: User,
    enterprise: Enterprise,
    ruleset: RuleSet,
    manual_inputs: dict[str, Any] | None = None,
    declared_figures: dict[str, Any] | None = None,
    year: int | None = None,
    save: bool = True,
) -> Evaluation:
    """Evaluate an enterprise against a rule set and, unless ``save`` is false, record it.

    Preconditions: the actor is county, city or provincial staff whose region covers the
    enterprise (else PermissionDenied or OutOfScope), and the rule set is active.
    ``manual_inputs`` maps item codes of manual items to ``{"points" | "value" | "met",
    "evidence"}``; ``declared_figures`` maps figures the registry does not hold (new equity
    financing) to ``{"value", "evidence"}``; both are checked against the rule set first.
    The figures come from the verified annual reports of ``year`` (by default the calendar year
    before today) and the two years before it, read with a constant number of queries.

    With ``save=False`` nothing is written: that is the live pre-check shown before
    submission. Otherwise the evaluation row is stored, its history attributed to the actor.
    Returns the Evaluation, unsaved when ``save`` is false.
    """
    if not actor.has_role(*EVALUATOR_ROLES):
        raise PermissionDenied()
    enterprise = (
        Enterprise.objects.visible_to(actor).select_related("industry")
        .filter(pk=enterprise.pk).first()
    )
    if enterprise is None:
        raise OutOfScope()
    if not ruleset.is_active:
        raise DomainError(_("This rule set is no longer in force."), code="ruleset_inactive")
    rules = ruleset.as_rules()
    inputs, declared = _parse(rules, manual_inputs or {}, declared_figures or {})
    evaluated_at = timezone.now()
    if year is None:
        year = timezone.localdate(evaluated_at).year - 1
    facts = evaluation_facts(
        enterprise=enterprise, year=year, inputs=inputs, declared=declared,
        on=timezone.localdate(evaluated_at),
    )
    result = rubric.evaluate(rules, facts)
    evaluation = Evaluation(
        enterprise=enterprise,
        ruleset=ruleset,
        ruleset_code=ruleset.code,
        figures_year=year,
        evaluated_at=evaluated_at,
        evaluated_by=actor,
        outcome=result.outcome,
        total_points=result.total_points,
        results=result.items_json(),
        summary=result.summary_json(),
        inputs={code: entry.as_json() for code, entry in inputs.items()},
        declared_figures={name: entry.as_json() for name, entry in declared.items()},
    )
    if save:
        # The related rows were just read or are the caller's own; checking them again would
        # only cost queries.
        evaluation.full_clean(exclude=["enterprise", "ruleset", "evaluated_by"])
        with pghistory.context(user=actor.pk):
            evaluation.save()
    return evaluation
