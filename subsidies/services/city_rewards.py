"""The city reward per net new above-scale firm (每净增一户规上企业奖励30万元，奖励市州).

For a city and year, the firms of the city that entered the statistics directory of above-scale
firms (入库纳统) count up, those that left it count down, by the one rule in
``registry.selectors.scale`` that the targets use too; the list is kept as evidence.
Recomputing before payment is idempotent and records what changed.
"""

import datetime
from typing import Any

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from gansu_sme.exceptions import InvalidTransition
from gansu_sme.formatting import yuan
from registry.choices import RegionLevel
from registry.models import Region
from registry.selectors.scale import directory_moves
from subsidies.choices import PAID_STATUSES, EntitlementStatus, EntitlementVerb, ProgramKind
from subsidies.models import CityReward, Entitlement, Program

from .budgets import move_money
from .common import check_finance, refused
from .entitlements import (
    cancel_if_free,
    entitlement_create,
    entitlement_move,
    lock_with_batch,
)


def city_scale_changes(*, city: Region, year: int) -> list[dict[str, Any]]:
    """The firms of ``city`` that entered or left the statistics directory in ``year``
    (``registry.selectors.scale.directory_moves``, the rule the targets count by), as
    evidence dicts sorted by credit code."""
    return [move.as_evidence() for move in directory_moves(year=year, within=city.path)]


def _counts(evidence):
    up = sum(1 for e in evidence if e["direction"] == "up")
    return up, len(evidence) - up


@transaction.atomic
def city_reward_compute(*, actor: User, city: Region, year: int) -> CityReward:
    """Close (or recompute) a city's year: count its net new above-scale firms, keep them as
    evidence, and make or adjust the reward's entitlement.

    Finance officers only; ``city`` is a prefecture unit; the year must be over. A recompute
    changes the entitlement while it is pending or approved (its reservation follows the new
    amount), cancels it when nothing is left to pay, reopens a cancelled one (pending again)
    when there is, and is refused once it is in a batch or paid; the amount per firm is the
    program's when the entitlement was made. With nothing changed it writes nothing.
    ``last_changes`` says which firms came and went. Two first computes at once make one
    reward. Returns the CityReward.
    """
    check_finance(actor)
    if city.level != RegionLevel.PREFECTURE:
        raise refused("city_required", _("Choose a city (prefecture unit)."), "city")
    if year >= timezone.localdate().year:
        raise refused("year_not_over", _("The year is not over yet."), "year")
    # Earned by the year's figures: the program valid on the year's last day pays it.
    program = Program.objects.valid_on(ProgramKind.CITY_SCALE_UP, datetime.date(year, 12, 31))
    if program is None:
        raise refused("program_not_running", _("The program does not run in that year."),
                      "year")
    evidence = city_scale_changes(city=city, year=year)
    up, down = _counts(evidence)
    with pghistory.context(user=actor.pk):
        reward, created = _lock_or_create(actor, city, year, evidence, up, down)
        if created:
            _create_entitlement(program, reward)
            return reward
        if reward.evidence == evidence:
            return reward
        entitlement = _lock_entitlement(reward)
        _recompute(actor, reward, evidence, up, down)
        if entitlement is None:
            _create_entitlement(program, reward)
        else:
            _settle_entitlement(actor, reward, entitlement)
    return reward


def _lock_or_create(actor, city, year, evidence, up, down):
    """The city's year locked, or made now; a simultaneous first compute that lost the insert
    reads the winner's row (locked) instead of failing. Returns (reward, created)."""
    reward = CityReward.objects.select_for_update().filter(city=city, year=year).first()
    if reward is not None:
        return reward, False
    try:
        with transaction.atomic():
            reward = CityReward.objects.create(
                city=city, year=year, firms_up=up, firms_down=down, net_new=up - down,
                evidence=evidence, computed_by=actor, computed_at=timezone.now(),
            )
    except IntegrityError:
        return CityReward.objects.select_for_update().get(city=city, year=year), False
    return reward, True


def _lock_entitlement(reward):
    """The reward's entitlement locked (after its open batch, the app's lock order), or None;
    refused when it is in a batch or paid."""
    pk = Entitlement.objects.filter(city_reward=reward).values_list("pk", flat=True).first()
    if pk is None:
        return None
    entitlement, batch = lock_with_batch(pk)
    if batch is not None or entitlement.status in PAID_STATUSES:
        raise InvalidTransition(
            _("The reward is in a batch or paid; it cannot be recomputed."),
            code="city_reward_settled",
        )
    return entitlement


def _recompute(actor, reward, evidence, up, down):
    old = {e["uscc"]: e for e in reward.evidence}
    new = {e["uscc"]: e for e in evidence}
    reward.last_changes = {
        "added": [new[k] for k in sorted(new.keys() - old.keys())],
        "removed": [old[k] for k in sorted(old.keys() - new.keys())],
        "net_new_before": reward.net_new,
    }
    reward.firms_up, reward.firms_down, reward.net_new = up, down, up - down
    reward.evidence = evidence
    reward.computed_by = actor
    reward.computed_at = timezone.now()
    reward.save()


def _purpose(reward):
    # Official wording: the purpose reaches the bank file as data.
    return f"{reward.year}年{reward.city.name}净增规上工业企业{reward.net_new}户奖励"


def _create_entitlement(program, reward):
    """The reward's first entitlement, priced (now and at every recompute) at the program's
    current amount per firm; nothing while no firm is net new."""
    if reward.net_new <= 0:
        return
    reward.amount_per_firm = program.amount
    reward.save(update_fields=["amount_per_firm"])
    entitlement_create(
        program=program, year=reward.year, city=reward.city,
        amount=reward.amount_per_firm * reward.net_new, city_reward=reward,
        purpose=_purpose(reward),
    )


def _settle_entitlement(actor, reward, entitlement):
    amount = reward.amount_per_firm * max(reward.net_new, 0)
    note = _("Recomputed: %(before)s → %(after)s yuan.") % {
        "before": yuan(entitlement.amount), "after": yuan(amount)}
    reopen = entitlement.status == EntitlementStatus.CANCELLED
    if amount == 0:
        if not reopen:
            cancel_if_free(entitlement, None, actor=actor,
                           reason=_("No net new firm. %(note)s") % {"note": note})
        return
    if not reopen and entitlement.full_amount == amount:
        return
    if entitlement.status == EntitlementStatus.APPROVED:
        delta = amount - entitlement.amount
        if delta > 0:
            move_money(entitlement.allocation_id, delta, source=None, target="reserved")
        else:
            move_money(entitlement.allocation_id, -delta, source="reserved", target=None)

    def recompute(row):
        row.full_amount = row.amount = amount
        row.purpose = _purpose(reward)
        if reopen:
            # Its reservation went back when it was cancelled: it starts again from approval.
            row.allocation = row.approved_by = row.approved_at = None
            row.cancel_reason = ""

    verb = EntitlementVerb.REOPEN if reopen else EntitlementVerb.RECOMPUTE
    entitlement_move(entitlement, verb, actor=actor, reason=note, apply=recompute)
