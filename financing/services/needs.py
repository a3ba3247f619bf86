"""Filing a financing need (融资需求) and moving it: withdrawal by the filing side, closing
unmet by the province. Putting a need to an event and meeting it happen in events.py."""

from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from financing.choices import NEED_FILER_ROLES, NeedKind, NeedVerb, Urgency
from financing.models import FinancingNeed
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, OutOfScope, PermissionDenied
from registry.models import Enterprise

from .common import NEED_WORKFLOW, check_amount, check_term

NEED_FIELDS = ("kind", "amount", "term_months", "purpose", "collateral", "urgency",
               "agreed_to_share")


def may_file(actor: User) -> bool:
    return actor.has_role(*NEED_FILER_ROLES) and not actor.is_expired


def need_check(
    *, kind: str, amount: Decimal | None, term_months: int | None, purpose: str,
    urgency: str,
) -> None:
    """The rules a need's figures obey, whether typed on the form or read from a workbook."""
    if kind not in NeedKind.values:
        raise DomainError.for_field("kind", gettext("Choose a kind of financing."),
                                    code="invalid_kind")
    if urgency not in Urgency.values:
        raise DomainError.for_field("urgency", gettext("Choose an urgency."),
                                    code="invalid_urgency")
    check_amount(amount)
    check_term(term_months)
    if not (purpose or "").strip():
        raise DomainError.for_field("purpose", gettext("Say what the money is for."),
                                    code="purpose_required")


@transaction.atomic
def need_file(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    amount: Decimal,
    term_months: int,
    purpose: str,
    collateral: str = "",
    urgency: str = Urgency.NORMAL,
    agreed_to_share: bool = False,
) -> FinancingNeed:
    """File a need of an active enterprise of the actor's region (county or city staff).

    Writes the need as filed and its creation record, both naming the actor.
    """
    if not may_file(actor):
        raise PermissionDenied()
    locked = Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).first()
    if locked is None:
        raise OutOfScope()
    if not locked.is_active:
        raise DomainError.for_field(
            "enterprise", gettext("This enterprise has been deactivated."),
            code="enterprise_inactive",
        )
    need_check(kind=kind, amount=amount, term_months=term_months, purpose=purpose,
               urgency=urgency)
    need = FinancingNeed(
        enterprise=locked, kind=kind, amount=amount, term_months=term_months,
        purpose=purpose.strip(), collateral=(collateral or "").strip(), urgency=urgency,
        agreed_to_share=agreed_to_share, filed_by=actor,
    )
    need.full_clean()
    with pghistory.context(user=actor.pk):
        need.save()
        workflow.record(NEED_WORKFLOW, need, verb=NeedVerb.FILE, actor=actor)
    return need


def need_withdraw(*, actor: User, need: FinancingNeed, reason: str) -> FinancingNeed:
    """The firm no longer needs the money: the filing side or the province withdraws an open
    need, with a reason. Its outcomes stay as they were recorded."""
    return workflow.transition(
        NEED_WORKFLOW, actor=actor, obj=need, verb=NeedVerb.WITHDRAW, reason=reason
    )


def need_close(*, actor: User, need: FinancingNeed, reason: str) -> FinancingNeed:
    """The province closes a need in matching that no institution met, with a reason."""
    return workflow.transition(
        NEED_WORKFLOW, actor=actor, obj=need, verb=NeedVerb.CLOSE, reason=reason
    )


def need_actions(actor: User, need: FinancingNeed) -> list[str]:
    """The verbs ``actor`` may apply to ``need`` on its page."""
    return [verb for verb in (NeedVerb.WITHDRAW, NeedVerb.CLOSE)
            if NEED_WORKFLOW.may(actor, need, verb)]
