"""Budgets, city allocations (资金切块) and the money they hold.

Every amount is moved under a row lock on the allocation (and the budget when blocks change),
and the database refuses a row whose parts pass its amount, so two officers deciding at once
can never spend the same yuan twice. Locks are always taken in id order to avoid deadlocks.
"""

from decimal import Decimal

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from gansu_sme.formatting import yuan
from registry.choices import RegionLevel
from registry.models import Region
from subsidies.models import Allocation, Budget

from .common import check_finance, money, refused


def _check_positive(amount, field="amount"):
    if amount <= 0:
        raise refused("amount_not_positive", _("The amount must be above zero."), field)


@transaction.atomic
def budget_create(
    *,
    actor: User,
    year: int,
    funding_source: str,
    amount: Decimal | int | str,
    document: str = "",
) -> Budget:
    """Open the budget of a year and funding source. Finance officers only; one per pair, also
    when two officers open it at once (the unique key decides, the loser gets the message)."""
    check_finance(actor)
    amount = money(amount)
    _check_positive(amount)
    budget = Budget(year=year, funding_source=funding_source, amount=amount, document=document)
    budget.full_clean(validate_constraints=False)
    try:
        with transaction.atomic(), pghistory.context(user=actor.pk):
            budget.save()
    except IntegrityError as exc:
        if not Budget.objects.filter(year=year, funding_source=funding_source).exists():
            raise
        raise refused("budget_exists", _("A budget for this year and source exists already."),
                      "funding_source") from exc
    return budget


@transaction.atomic
def budget_update(
    *, actor: User, budget: Budget, amount: Decimal | int | str, document: str | None = None
) -> Budget:
    """Change a budget's amount; it may not fall below what is allocated to the cities."""
    check_finance(actor)
    budget = Budget.objects.get_visible(actor, budget.pk, lock=True)
    amount = money(amount)
    _check_positive(amount)
    if amount < budget.allocated:
        raise refused("budget_below_allocated",
                      _("The budget cannot fall below what is allocated."), "amount")
    budget.amount = amount
    if document is not None:
        budget.document = document
    budget.full_clean()
    with pghistory.context(user=actor.pk):
        budget.save(update_fields=["amount", "document"])
    return budget


@transaction.atomic
def allocation_set(
    *, actor: User, budget: Budget, city: Region, amount: Decimal | int | str
) -> Allocation:
    """Set a city's block of ``budget`` to ``amount``, creating it if new.

    Locks the budget, then the allocation; refuses an amount past the budget's unallocated
    money or below what the city has already reserved, committed or paid. Returns it.
    """
    check_finance(actor)
    if city.level != RegionLevel.PREFECTURE:
        raise refused("allocation_not_city",
                      _("Blocks are allocated to cities (prefecture units)."), "city")
    amount = money(amount)
    _check_positive(amount)
    budget = Budget.objects.get_visible(actor, budget.pk, lock=True)
    allocation = (
        Allocation.objects.select_for_update().filter(budget=budget, city=city).first()
    )
    before = allocation.amount if allocation else 0
    if budget.allocated - before + amount > budget.amount:
        raise refused("over_budget",
                      _("The amount passes what is left unallocated in the budget."), "amount")
    if allocation is not None and amount < allocation.amount - allocation.remaining:
        raise refused("allocation_below_used", _(
            "The block cannot fall below what is reserved, committed and paid."), "amount")
    with pghistory.context(user=actor.pk):
        Budget.objects.filter(pk=budget.pk).update(allocated=F("allocated") - before + amount)
        if allocation is None:
            allocation = Allocation(budget=budget, city=city, amount=amount)
            allocation.full_clean()
            allocation.save()
        else:
            allocation.amount = amount
            allocation.save(update_fields=["amount", "updated_at"])
    return allocation


def allocation_for(*, budget: Budget, city: Region) -> Allocation:
    """The allocation of ``city`` in ``budget``, locked; a DomainError when there is none."""
    allocation = Allocation.objects.select_for_update().filter(budget=budget, city=city).first()
    if allocation is None:
        raise refused("no_allocation", _("The budget has no block for %(city)s.") % {
            "city": city.name}, "budget")
    return allocation


def move_money(
    allocation_id: int, amount: Decimal, *, source: str | None, target: str | None
) -> None:
    """Move ``amount`` between the parts (``reserved``/``committed``/``paid``, or None for
    the free remainder) of a locked allocation; the check constraint is the backstop."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation_id)
    if source is None and allocation.remaining < amount:
        raise refused("allocation_exhausted", _(
            "The block of %(city)s has only %(left)s yuan left."
        ) % {"city": allocation.city.name, "left": yuan(allocation.remaining)}, "budget")
    changes = {}
    if source is not None:
        changes[source] = F(source) - amount
    if target is not None:
        changes[target] = F(target) + amount
    Allocation.objects.filter(pk=allocation.pk).update(**changes)
