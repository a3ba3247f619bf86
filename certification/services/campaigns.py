"""Campaigns (申报批次): created and changed by the province, deadlines in working days."""

from typing import Any

import pghistory
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from certification.choices import CAMPAIGN_RULESET_KIND, STATUS_STAGE, CampaignKind, Stage
from certification.models import Application, Campaign, CampaignQuota
from certification.selectors import ruleset_for_campaign
from gansu_sme.exceptions import DomainError, PermissionDenied
from gansu_sme.workdays import add_working_days
from registry.choices import RegionLevel
from registry.models import Region

CAMPAIGN_EDITOR_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})

CAMPAIGN_FIELDS = (
    "year", "kind", "title", "ruleset", "opens_on", "closes_on", "county_review_days",
    "city_recommendation_days", "province_decision_days", "experts_per_application",
    "score_spread_threshold", "conflict_rules", "notice_days",
)
# Fixing these once applications exist would change what those applications were filed under.
FROZEN_ONCE_FILED = ("kind", "ruleset", "year")

_DUE_FIELDS = (
    (Stage.COUNTY_REVIEW, "county_review_days", "county_review_due"),
    (Stage.CITY_RECOMMENDATION, "city_recommendation_days", "city_recommendation_due"),
    (Stage.PROVINCE_DECISION, "province_decision_days", "province_decision_due"),
)


def can_edit_campaigns(user: User) -> bool:
    return user.is_superuser or (
        user.role in CAMPAIGN_EDITOR_ROLES and not user.is_read_only and not user.is_expired
    )


def _check_editor(actor):
    if not can_edit_campaigns(actor):
        raise PermissionDenied()


def campaign_deadlines(campaign: Campaign) -> None:
    """Set each stage's due date: its working days counted after the previous stage's end.

    The county review runs from the close of filing, the city recommendation from the county
    deadline, the province decision from the city deadline; official holidays and the
    weekends worked in exchange count as chinese-calendar says.
    """
    start = campaign.closes_on
    for _stage, days_field, due_field in _DUE_FIELDS:
        start = add_working_days(start, getattr(campaign, days_field))
        setattr(campaign, due_field, start)


def _check_ruleset(campaign, *, pick=True):
    """Check, or pick when none is given, the campaign's rule set.

    With ``pick``, the rule set must be the one in force throughout the filing window
    (``ruleset_for_campaign``); a window in no rule set's period, or in two, is refused with
    that selector's code on the ``ruleset`` field.
    """
    wanted = CAMPAIGN_RULESET_KIND.get(campaign.kind)
    if campaign.ruleset_id is not None and campaign.ruleset.kind != wanted:
        raise DomainError(
            _("The rule set does not decide what this kind of campaign recognises."),
            code="ruleset_kind_mismatch",
            fields={"ruleset": [_("Rule set kind does not match.")]},
        )
    if campaign.ruleset_id is not None and not campaign.ruleset.is_active:
        message = _("This rule set is no longer in force.")
        raise DomainError(message, code="ruleset_inactive", fields={"ruleset": [message]})
    if not pick or campaign.opens_on is None or campaign.closes_on is None:
        return
    try:
        in_force = ruleset_for_campaign(wanted, campaign.opens_on, campaign.closes_on)
    except DomainError as error:
        raise DomainError(
            error.message, code=error.code, fields={"ruleset": [error.message]}
        ) from error
    if campaign.ruleset_id is None:
        campaign.ruleset = in_force
    elif campaign.ruleset_id != in_force.pk:
        message = _(
            "The rule set in force from %(opens)s to %(closes)s is %(in_force)s, not"
            " %(chosen)s."
        ) % {
            "opens": campaign.opens_on.isoformat(), "closes": campaign.closes_on.isoformat(),
            "in_force": in_force.code, "chosen": campaign.ruleset.code,
        }
        raise DomainError(message, code="ruleset_not_in_force", fields={"ruleset": [message]})


def _set_quotas(campaign, quotas):
    """Replace the campaign's per-prefecture quotas; ``quotas`` maps Region → int or None."""
    errors = []
    for region, quota in quotas.items():
        if region.level != RegionLevel.PREFECTURE:
            errors.append(
                _("%(region)s is not a prefecture-level unit.") % {"region": region.name}
            )
        elif quota is not None and quota < 0:
            errors.append(_("The quota of %(region)s is negative.") % {"region": region.name})
    if errors:
        raise DomainError(errors[0], code="invalid_quota", fields={"quotas": errors})
    CampaignQuota.objects.filter(campaign=campaign).exclude(
        region__in=[r for r, q in quotas.items() if q is not None]
    ).delete()
    for region, quota in quotas.items():
        if quota is not None:
            CampaignQuota.objects.update_or_create(
                campaign=campaign, region=region, defaults={"quota": quota}
            )


@transaction.atomic
def campaign_create(
    *, actor: User, quotas: dict[Region, int | None] | None = None, **fields: Any
) -> Campaign:
    """Open a campaign (申报批次) and return it.

    Preconditions: ``actor`` is a provincial reviewer; the window is ordered; the rule set,
    picked when not given, is the active one of the kind the campaign kind evaluates against
    (CAMPAIGN_RULESET_KIND) in force throughout the filing window (``_check_ruleset``).
    ``quotas`` optionally maps prefecture-level Regions to the number of applications each may
    recommend (None: no quota).

    Side effects: the three stage deadlines are computed from ``closes_on`` in working days,
    stage after stage, and stored; the quotas are written; history names the actor.
    """
    _check_editor(actor)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unexpected campaign fields: {sorted(unknown)}")
    campaign = Campaign(created_by=actor, **fields)
    if campaign.kind not in CampaignKind.values:
        message = _("Unknown campaign kind.")
        raise DomainError(message, code="unknown_campaign_kind", fields={"kind": [message]})
    _check_window(campaign)
    _check_ruleset(campaign)
    campaign_deadlines(campaign)
    campaign.full_clean(exclude=["ruleset", "created_by"])
    with pghistory.context(user=actor.pk):
        campaign.save()
        _set_quotas(campaign, quotas or {})
    return campaign


def _check_window(campaign):
    if campaign.opens_on and campaign.closes_on and campaign.closes_on < campaign.opens_on:
        raise DomainError(
            _("Filing cannot close before it opens."),
            code="closes_before_opens",
            fields={"closes_on": [_("Must not be before the opening.")]},
        )


@transaction.atomic
def campaign_update(
    *,
    actor: User,
    campaign: Campaign,
    quotas: dict[Region, int | None] | None = None,
    **fields: Any,
) -> Campaign:
    """Change a campaign and return it.

    Preconditions: as for ``campaign_create``; kind, rule set and year are fixed once the
    campaign has applications, and the rule set's period is then no longer checked; it is
    checked (and a missing rule set picked) when kind, rule set or dates change.

    Side effects: the stage deadlines are recomputed, and applications waiting in a stage take
    that stage's new deadline, so the overdue flags follow the change; quotas are replaced
    when given; history names the actor.
    """
    _check_editor(actor)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unexpected campaign fields: {sorted(unknown)}")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    filed = campaign.applications.exists()
    if filed:
        frozen = [
            name for name in FROZEN_ONCE_FILED
            if name in fields and fields[name] != getattr(campaign, name)
        ]
        if frozen:
            message = _("The campaign has applications; this is fixed.")
            raise DomainError(
                message, code="campaign_fixed", fields={name: [message] for name in frozen}
            )
    for name, value in fields.items():
        setattr(campaign, name, value)
    _check_window(campaign)
    # Once filed, the rule set is fixed: applications were filed and evaluated under it. An
    # edit that leaves kind, rule set and dates alone does not re-open the choice either.
    dated = any(name in fields for name in ("kind", "ruleset", "opens_on", "closes_on"))
    _check_ruleset(campaign, pick=dated and not filed)
    campaign_deadlines(campaign)
    campaign.full_clean(exclude=["ruleset", "created_by"])
    with pghistory.context(user=actor.pk):
        campaign.save()
        for stage, _days, due_field in _DUE_FIELDS:
            statuses = [status for status, s in STATUS_STAGE.items() if s == stage]
            Application.objects.filter(campaign=campaign, status__in=statuses).update(
                stage_due=getattr(campaign, due_field)
            )
        if quotas is not None:
            _set_quotas(campaign, quotas)
    return campaign
