"""Programs are data: finance officers edit their amount, legal basis and years."""

from collections.abc import Sequence
from typing import Any

import pghistory
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from subsidies.models import Program, ProgramPair

from .common import check_finance, money, refused

PROGRAM_EDITABLE_FIELDS = ("name", "amount", "legal_basis", "first_year", "last_year",
                           "is_active")


@transaction.atomic
def program_update(*, actor: User, program: Program, **changes: Any) -> Program:
    """Change a program's editable fields. Finance officers only. Entitlements already made
    keep the amount they were created with. Returns the program."""
    check_finance(actor)
    program = Program.objects.select_for_update().get(pk=program.pk)
    for name, value in changes.items():
        if name not in PROGRAM_EDITABLE_FIELDS:
            raise refused("program_field_locked", _("Not editable."), name)
        if name == "amount" and value is not None:
            value = money(value)
        setattr(program, name, value)
    program.full_clean()
    with pghistory.context(user=actor.pk):
        program.save()
    return program


@transaction.atomic
def program_pair_set(
    *, actor: User, programs: Sequence[Program], highest_only: bool
) -> ProgramPair:
    """Say whether two programs pay both awards to one firm or only the highest (就高不重复).

    Applies to entitlements created from then on. Returns the pair.
    """
    check_finance(actor)
    first, second = sorted(programs, key=lambda p: p.pk)
    if first.pk == second.pk:
        raise refused("program_pair_same", _("Choose two different programs."), "programs")
    with pghistory.context(user=actor.pk):
        pair, _created = ProgramPair.objects.update_or_create(
            first=first, second=second, defaults={"highest_only": highest_only}
        )
    return pair
