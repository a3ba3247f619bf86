"""The city reward per net new above-scale firm (每净增一户规上企业奖励30万元，奖励市州).

For a city and year, the firms of the city whose verified annual reports put them below the
above-scale line the year before and above it in that year count up, those that went the other
way count down; the list is kept as evidence. Recomputing before payment is idempotent and
records what changed.
"""

from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils import timezone

from gansu_sme.exceptions import DomainError, InvalidTransition
from gansu_sme.querysets import region_path_q
from registry.choices import PeriodKind, RegionLevel, ReportStatus
from registry.models import MonitoringReport
from registry.sizeclass import is_above_scale
from subsidies.choices import EntitlementStatus, ProgramKind
from subsidies.models import CityReward, Entitlement, Program

from .budgets import move_money
from .common import check_finance
from .entitlements import entitlement_create, record


def city_scale_changes(*, city, year):
    """The firms of ``city`` that crossed the above-scale line in ``year``, either way.

    Reads verified annual reports of ``year`` and the year before in one query. Returns a list
    of evidence dicts sorted by credit code.
    """
    reports = (
        MonitoringReport.objects.filter(
            region_path_q("enterprise__region__path", city.path),
            period_kind=PeriodKind.YEAR,
            status=ReportStatus.VERIFIED,
            year__in=(year - 1, year),
        )
        .values_list(
            "enterprise__uscc", "enterprise__name", "enterprise__industry__code", "year",
            "main_business_revenue",
        )
    )
    firms = {}
    for uscc, name, industry, report_year, revenue in reports:
        firm = firms.setdefault(uscc, {"name": name, "industry": industry})
        firm[report_year] = revenue
    evidence = []
    for uscc, firm in sorted(firms.items()):
        if year - 1 not in firm or year not in firm:
            continue
        before = is_above_scale(firm["industry"], firm[year - 1])
        after = is_above_scale(firm["industry"], firm[year])
        if before != after:
            evidence.append({
                "uscc": uscc,
                "name": firm["name"],
                "direction": "up" if after else "down",
                "revenue_before": str(firm[year - 1]),
                "revenue_after": str(firm[year]),
            })
    return evidence


def _counts(evidence):
    up = sum(1 for e in evidence if e["direction"] == "up")
    return up, len(evidence) - up


@transaction.atomic
def city_reward_compute(*, actor, city, year):
    """Close (or recompute) a city's year: count its net new above-scale firms, keep them as
    evidence, and make or adjust the reward's entitlement.

    Finance officers only; ``city`` is a prefecture unit; the year must be over. A recompute
    changes the entitlement while it is pending or approved (its reservation follows the new
    amount) and is refused once it is in a batch or paid; with nothing changed it writes
    nothing. ``last_changes`` says which firms came and went. Returns the CityReward.
    """
    check_finance(actor)
    if city.level != RegionLevel.PREFECTURE:
        raise DomainError(fields={"city": ["请选择市州。 Choose a city (prefecture unit)."]})
    if year >= timezone.localdate().year:
        raise DomainError(fields={"year": ["该年度尚未结束。 The year is not over yet."]})
    program = Program.objects.get(kind=ProgramKind.CITY_SCALE_UP)
    if not program.runs_in(year):
        raise DomainError(fields={"year": [
            "该奖励该年度未实施。 The program does not run in that year."
        ]})
    evidence = city_scale_changes(city=city, year=year)
    up, down = _counts(evidence)
    reward = CityReward.objects.select_for_update().filter(city=city, year=year).first()
    with pghistory.context(user=actor.pk):
        if reward is None:
            reward = CityReward.objects.create(
                city=city, year=year, firms_up=up, firms_down=down, net_new=up - down,
                evidence=evidence, computed_by=actor, computed_at=timezone.now(),
            )
        elif reward.evidence == evidence:
            return reward
        else:
            _recompute(actor, reward, evidence, up, down)
        _settle_entitlement(actor, program, reward)
    return reward


def _recompute(actor, reward, evidence, up, down):
    entitlement = Entitlement.objects.select_for_update().filter(city_reward=reward).first()
    if entitlement is not None and (
        entitlement.status not in (EntitlementStatus.PENDING, EntitlementStatus.APPROVED)
        or entitlement.batch_items.filter(is_open=True).exists()
    ):
        raise InvalidTransition(
            "奖励已入批或已拨付，不能重新计算。 The reward is in a batch or paid; it cannot be "
            "recomputed."
        )
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


def _settle_entitlement(actor, program, reward):
    amount = program.amount * max(reward.net_new, 0)
    entitlement = Entitlement.objects.select_for_update().filter(city_reward=reward).first()
    purpose = f"{reward.year}年{reward.city.name}净增规上工业企业{reward.net_new}户奖励"
    if entitlement is None:
        if amount > 0:
            entitlement_create(
                program=program, year=reward.year, city=reward.city, amount=amount,
                city_reward=reward, purpose=purpose,
            )
        return
    if entitlement.status == EntitlementStatus.CANCELLED or entitlement.full_amount == amount:
        return
    if entitlement.status == EntitlementStatus.APPROVED:
        delta = amount - entitlement.amount
        if delta > 0:
            move_money(entitlement.allocation_id, delta, source=None, target="reserved")
        else:
            move_money(entitlement.allocation_id, -delta, source="reserved", target=None)
    note = f"重新计算：{entitlement.amount} → {amount} 元。 Recomputed."
    if amount == Decimal("0"):
        entitlement.full_amount = entitlement.amount = Decimal("0")
        entitlement.cancel_reason = "净增为零。 No net new firm."
        entitlement.save(update_fields=["full_amount", "amount", "cancel_reason", "updated_at"])
        from_status = entitlement.status
        entitlement.status = EntitlementStatus.CANCELLED
        entitlement.save(update_fields=["status"])
        record(entitlement, from_status=from_status, actor=actor, reason=note)
        return
    entitlement.full_amount = entitlement.amount = amount
    entitlement.purpose = purpose
    entitlement.save(update_fields=["full_amount", "amount", "purpose", "updated_at"])
    record(entitlement, from_status=entitlement.status, actor=actor, reason=note)
