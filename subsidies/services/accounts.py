"""Receiving accounts (收款账户): recorded by one finance officer, confirmed by another.

A payee is a firm, or for a city reward the city, whose account is its finance bureau's account
(市州财政专户) kept as a record like a firm's. ``account_record`` writes a new account awaiting
confirmation (a first account or a change), with why; ``account_confirm`` by a second officer
makes it the payee's current account and supersedes the previous one; ``account_reject`` turns
it down with a reason. Each step goes through the workflow kernel, which writes a transition
row (who, when, why) and tags the history row (django-pghistory) with the actor and reason.
Only a confirmed account is ever paid into (``batch_add_entitlements`` pins it on the item).
"""

import re

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError
from registry.choices import RegionLevel
from registry.models import Enterprise, Region
from subsidies.choices import ACCOUNT_ACTS, ACCOUNT_TRANSITIONS, AccountStatus, AccountVerb
from subsidies.models import ReceivingAccount, ReceivingAccountTransition

from .common import check_finance

ACCOUNT_WORKFLOW = workflow.Workflow(
    name="receiving_account",
    model=ReceivingAccount,
    record=ReceivingAccountTransition,
    subject="account",
    statuses=AccountStatus,
    verbs=AccountVerb,
    table=ACCOUNT_TRANSITIONS,
    acts=ACCOUNT_ACTS,
    reason_required=frozenset({AccountVerb.REJECT}),
    noun=("收款账户", "The receiving account"),
)
# Chinese bank account numbers: 8 to 32 digits (personal cards 16–19, corporate accounts
# longer); spaces and hyphens as printed on account forms are dropped.
ACCOUNT_NUMBER = re.compile(r"^\d{8,32}$")


def normalised_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def _payee_region(enterprise, city):
    if (enterprise is None) == (city is None):
        raise DomainError(_("Name either a firm or a city as the payee."), code="account_payee")
    if city is not None and city.level != RegionLevel.PREFECTURE:
        raise DomainError(
            _("A city account belongs to a prefecture-level unit."), code="account_payee",
            fields={"city": [_("Choose a city or prefecture.")]},
        )
    return enterprise.region if enterprise is not None else city


@transaction.atomic
def account_record(
    *,
    actor: User,
    account_name: str,
    bank_name: str,
    account_number: str,
    reason: str,
    enterprise: Enterprise | None = None,
    city: Region | None = None,
) -> ReceivingAccount:
    """Record a receiving account of a firm or a city, awaiting a second officer's
    confirmation. Finance officers only; ``reason`` says why (a first account, a change and
    its cause, the document it comes from). Refuses a second pending account of the same payee.
    Side effects: the account row, its history row and a transition row naming the actor and
    the reason. Returns the account."""
    check_finance(actor)
    region = _payee_region(enterprise, city)
    number = normalised_number(account_number)
    errors = {}
    if not (account_name or "").strip():
        errors["account_name"] = [_("Give the account name as the bank holds it.")]
    if not (bank_name or "").strip():
        errors["bank_name"] = [_("Give the bank and branch of the account.")]
    if not ACCOUNT_NUMBER.match(number):
        errors["account_number"] = [_("An account number has 8 to 32 digits.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the account is recorded or changed.")]
    if errors:
        raise DomainError(_("The account cannot be recorded."), code="account_invalid",
                          fields=errors)
    account = ReceivingAccount(
        enterprise=enterprise, city=city, region=region, account_name=account_name.strip(),
        bank_name=bank_name.strip(), account_number=number, recorded_by=actor,
    )
    account.full_clean(validate_constraints=False)
    try:
        with transaction.atomic(), pghistory.context(user=actor.pk, reason=reason.strip()):
            account.save()
    except IntegrityError as exc:
        raise DomainError(
            _("A change of this payee's account already awaits confirmation; confirm or "
              "reject it first."),
            code="account_change_pending",
        ) from exc
    workflow.record(ACCOUNT_WORKFLOW, account, verb=AccountVerb.RECORD, actor=actor,
                    reason=reason.strip())
    return account


@transaction.atomic
def account_confirm(
    *, actor: User, account: ReceivingAccount, reason: str = "",
    expected_status: str | None = None,
) -> ReceivingAccount:
    """A second finance officer (never the one who recorded it) confirms a pending account
    after checking it against the payee's stamped form; it becomes the payee's current account
    and the previous one is superseded. Idempotent (kernel). Returns the account."""
    check_finance(actor)

    def four_eyes(row):
        if row.recorded_by_id == actor.pk:
            raise DomainError(
                _("Another finance officer must confirm the account you recorded."),
                code="account_same_officer",
            )

    def confirmed(row):
        previous = ReceivingAccount.objects.select_for_update().filter(
            status=AccountStatus.CONFIRMED,
            **({"enterprise_id": row.enterprise_id} if row.enterprise_id
               else {"city_id": row.city_id}),
        ).first()
        if previous is not None:
            workflow.transition(
                ACCOUNT_WORKFLOW, actor=actor, obj=previous, verb=AccountVerb.SUPERSEDE,
                reason=_("Replaced by the account confirmed on %(day)s.") % {
                    "day": timezone.localdate().isoformat()},
                locked=True,
            )
        row.confirmed_by = actor
        row.confirmed_at = timezone.now()

    return workflow.transition(
        ACCOUNT_WORKFLOW, actor=actor, obj=account, verb=AccountVerb.CONFIRM, reason=reason,
        expected_status=expected_status, guard=four_eyes, apply=confirmed,
    )


@transaction.atomic
def account_reject(
    *, actor: User, account: ReceivingAccount, reason: str,
    expected_status: str | None = None,
) -> ReceivingAccount:
    """A second finance officer turns a pending account down with a reason; the payee keeps
    its current account, if any. Returns the account."""
    check_finance(actor)

    def four_eyes(row):
        if row.recorded_by_id == actor.pk:
            raise DomainError(
                _("Another finance officer must review the account you recorded."),
                code="account_same_officer",
            )

    return workflow.transition(
        ACCOUNT_WORKFLOW, actor=actor, obj=account, verb=AccountVerb.REJECT, reason=reason,
        expected_status=expected_status, guard=four_eyes,
    )


def account_verbs(user: User, account: ReceivingAccount) -> list[str]:
    """What ``user`` may do with ``account`` now: the buttons of its page."""
    if account.recorded_by_id == user.pk:
        return []
    return [verb for verb in ACCOUNT_WORKFLOW.allowed_verbs(user, account)
            if verb != AccountVerb.SUPERSEDE]
