"""Payment batches (支付批次): made by one finance officer, approved by another, paid by the
bank, or cancelled.

Every status change (``batch_submit``, ``batch_approve``, ``batch_pay``, ``batch_cancel``) goes
through the workflow kernel: lock the batch, then its items, check the BATCH_TRANSITIONS table
and the four-eyes rule, move the money of every item (allocations locked in id order), write a
BatchTransition row. Locks follow one order in the whole app: batch,
entitlements, allocations. Only the maker adds, removes and submits; the approver is another
officer. Items follow their batch: ``is_open`` turns false once it is paid
or cancelled, and a partial unique index keeps an entitlement in one open batch at most.
"""

import datetime
from collections.abc import Iterable

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certification.choices import CLAWBACK_REASONS, CertificateStatus
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from subsidies import selectors
from subsidies.choices import (
    BATCH_ACTS,
    BATCH_TRANSITIONS,
    AccountStatus,
    BatchStatus,
    BatchVerb,
    EntitlementStatus,
    EntitlementVerb,
)
from subsidies.models import BatchItem, BatchTransition, Entitlement, PaymentBatch

from .budgets import move_money
from .common import check_finance, is_finance
from .entitlements import cancel_if_free, entitlement_move, msg_in_batch, recovery_due

BATCH_WORKFLOW = workflow.Workflow(
    name="payment_batch",
    model=PaymentBatch,
    record=BatchTransition,
    subject="batch",
    statuses=BatchStatus,
    verbs=BatchVerb,
    table=BATCH_TRANSITIONS,
    acts=BATCH_ACTS,
    reason_required=frozenset({BatchVerb.CANCEL}),
    noun=("支付批次", "The payment batch"),
)



def msg_clawed_back() -> str:
    return _("The certificate was revoked for a clawback reason.")


def _clawed_back(certificate):
    return (
        certificate is not None
        and certificate.status == CertificateStatus.REVOKED
        and certificate.revocation_reason in CLAWBACK_REASONS
    )


def _lock_draft(actor, batch):
    """The batch locked, if it is a draft and ``actor`` made it."""
    batch = workflow.lock(BATCH_WORKFLOW, actor, batch)
    if batch.created_by_id != actor.pk:
        raise PermissionDenied(_not_maker(), code="batch_not_maker")
    if batch.status != BatchStatus.DRAFT:
        raise InvalidTransition(_("Only a draft batch can be changed."), code="batch_not_draft")
    return batch


def _not_maker():
    return _("Only the officer who made the batch may change or submit it.")


@transaction.atomic
def batch_create(*, actor: User, title: str) -> PaymentBatch:
    """Open a draft batch made by ``actor``. Finance officers only."""
    check_finance(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the batch a title."), code="batch_title",
                          fields={"title": [_("Give the batch a title.")]})
    batch = PaymentBatch(title=title, created_by=actor)
    batch.full_clean()
    with pghistory.context(user=actor.pk):
        batch.save()
    return batch


@transaction.atomic
def batch_add_entitlements(
    *, actor: User, batch: PaymentBatch, entitlements: Iterable[Entitlement]
) -> PaymentBatch:
    """Put approved entitlements into a draft batch made by ``actor``, each at its amount and
    into its payee's confirmed receiving account (pinned on the item).

    Refuses one that is not approved, already in an open batch (the unique index refuses it too
    when two batches take it at once), whose certificate was revoked for a clawback reason, or
    whose payee has no confirmed account or a change of account awaiting confirmation.
    Returns the batch.
    """
    check_finance(actor)
    batch = _lock_draft(actor, batch)
    ids = sorted({e.pk for e in entitlements})
    rows = list(
        Entitlement.objects.visible_to(actor).select_for_update(of=("self",))
        .select_related("certificate").filter(pk__in=ids)
    )
    if len(rows) != len(ids):
        raise _refused("entitlement_not_found", _("Some entitlements were not found."))
    accounts = selectors.payee_accounts(rows)
    with pghistory.context(user=actor.pk):
        for entitlement in rows:
            payee = entitlement.payee_name
            if entitlement.status != EntitlementStatus.APPROVED:
                raise _refused("entitlement_not_approved", _(
                    "%(payee)s: only approved entitlements can be paid."
                ) % {"payee": payee})
            if _clawed_back(entitlement.certificate):
                raise _refused("certificate_clawed_back", _("%(payee)s: %(why)s") % {
                    "payee": payee, "why": msg_clawed_back()})
            held = accounts.get(selectors.payee_key(entitlement), {})
            if AccountStatus.PENDING in held:
                raise _refused("payee_account_change_pending", _(
                    "%(payee)s: a change of the receiving account awaits a second finance "
                    "officer's confirmation; confirm or reject it before paying."
                ) % {"payee": payee})
            account = held.get(AccountStatus.CONFIRMED)
            if account is None:
                raise _refused("payee_without_account", _(
                    "%(payee)s has no confirmed receiving account: record the account and have "
                    "a second finance officer confirm it before adding the award to a batch."
                ) % {"payee": payee})
            try:
                with transaction.atomic():
                    BatchItem.objects.create(
                        batch=batch, entitlement=entitlement, amount=entitlement.amount,
                        account=account,
                    )
            except IntegrityError as exc:
                raise _refused("entitlement_in_batch", _("%(payee)s: %(why)s") % {
                    "payee": payee, "why": msg_in_batch()}) from exc
    return batch


def _refused(code, message):
    """A refusal about the entitlements chosen for a batch, shown on their field."""
    return DomainError(message, code=code, fields={"entitlements": [message]})


@transaction.atomic
def batch_remove_entitlement(
    *, actor: User, batch: PaymentBatch, entitlement: Entitlement
) -> PaymentBatch:
    """Take an entitlement out of a draft batch made by ``actor``; it stays approved, its money
    reserved."""
    check_finance(actor)
    batch = _lock_draft(actor, batch)
    with pghistory.context(user=actor.pk):
        deleted, _by_model = BatchItem.objects.filter(batch=batch, entitlement=entitlement).delete()
    if not deleted:
        raise DomainError(_("The entitlement is not in this batch."), code="not_in_batch",
                          fields={"entitlement": [_("The entitlement is not in this batch.")]})
    return batch


def batch_verbs(user: User, batch: PaymentBatch) -> list[str]:
    """The verbs ``user`` may use on ``batch`` now: the buttons of its page."""
    if not is_finance(user):
        return []
    verbs = BATCH_WORKFLOW.allowed_verbs(user, batch)
    if BatchVerb.SUBMIT in verbs and batch.created_by_id != user.pk:
        verbs.remove(BatchVerb.SUBMIT)
    if BatchVerb.APPROVE in verbs and user.pk in (batch.created_by_id, batch.submitted_by_id):
        verbs.remove(BatchVerb.APPROVE)
    return verbs


def _items(batch):
    # Locked right after the batch: a clawback deleting an item waits for the decision.
    return list(
        BatchItem.objects.select_for_update(of=("self",)).filter(batch=batch)
        .select_related("entitlement__certificate", "account").order_by("entitlement_id")
    )


def _close(batch):
    BatchItem.objects.filter(batch=batch).update(is_open=False)


def _move(items, *, source, target):
    # Allocations in id order, so two batches touching the same cities never deadlock.
    for item in sorted(items, key=lambda i: i.entitlement.allocation_id):
        move_money(item.entitlement.allocation_id, item.amount, source=source, target=target)


def _batch_transition(actor, batch, verb, *, reason="", expected_status=None, guard=None,
                      apply=None):
    """Lock the batch, then its items, and hand ``apply(batch, items)`` to the kernel."""
    check_finance(actor)
    locked = workflow.lock(BATCH_WORKFLOW, actor, batch)
    items = _items(locked) if verb in BATCH_TRANSITIONS[locked.status] else []
    return workflow.transition(
        BATCH_WORKFLOW, actor=actor, obj=locked, verb=verb, reason=reason,
        expected_status=expected_status,
        guard=guard and (lambda row: guard(row, items)),
        apply=apply and (lambda row: apply(row, items)),
        locked=True,
    )


@transaction.atomic
def batch_submit(
    *, actor: User, batch: PaymentBatch, reason: str = "", expected_status: str | None = None
) -> PaymentBatch:
    """The maker submits a draft batch holding at least one entitlement for approval.

    Finance officers only, and only the officer who made the batch. Idempotent (kernel).
    Returns the batch.
    """

    def maker_with_items(row, items):
        if row.created_by_id != actor.pk:
            raise PermissionDenied(_not_maker(), code="batch_not_maker")
        if not items:
            raise DomainError(_("The batch holds no entitlement."), code="batch_empty")
        check_accounts(items)

    def submitted(row, items):
        row.submitted_by = actor

    return _batch_transition(
        actor, batch, BatchVerb.SUBMIT, reason=reason, expected_status=expected_status,
        guard=maker_with_items, apply=submitted,
    )


@transaction.atomic
def batch_approve(
    *, actor: User, batch: PaymentBatch, reason: str = "", expected_status: str | None = None
) -> PaymentBatch:
    """Another finance officer than the maker and the submitter approves a submitted batch
    (four eyes, also a database check) whose items still pay into their payees' confirmed
    accounts; each item's reserved money is committed. Returns the batch."""

    def four_eyes(row, items):
        if actor.pk in (row.created_by_id, row.submitted_by_id):
            raise DomainError(_(
                "The approver must be a different finance officer from the maker and the "
                "submitter."
            ), code="batch_same_officer")
        check_accounts(items)

    def approved(row, items):
        _move(items, source="reserved", target="committed")
        row.approved_by = actor
        row.approved_at = timezone.now()

    return _batch_transition(
        actor, batch, BatchVerb.APPROVE, reason=reason, expected_status=expected_status,
        guard=four_eyes, apply=approved,
    )


@transaction.atomic
def batch_pay(
    *,
    actor: User,
    batch: PaymentBatch,
    bank_reference: str,
    paid_on: datetime.date,
    reason: str = "",
    expected_status: str | None = None,
) -> PaymentBatch:
    """Mark an approved batch paid by the bank on ``paid_on`` (not in the future) under
    ``bank_reference``: the committed money becomes paid, the items close and the
    entitlements are marked paid; one whose certificate was revoked for a clawback reason
    meanwhile becomes a recovery due at once. Returns the batch."""
    bank_reference = (bank_reference or "").strip()

    def bank_details(row, items):
        errors = {}
        if not bank_reference:
            errors["bank_reference"] = [_("Give the bank's reference.")]
        if not isinstance(paid_on, datetime.date) or paid_on > timezone.localdate():
            errors["paid_on"] = [_("Give the date the bank paid.")]
        if errors:
            raise DomainError(_("Give the bank's reference and the date it paid."),
                              code="batch_payment_details", fields=errors)

    def paid(row, items):
        _move(items, source="committed", target="paid")
        _close(row)
        for item in items:
            entitlement = item.entitlement
            entitlement.paid_on = paid_on
            entitlement_move(
                entitlement, EntitlementVerb.PAY, actor=actor,
                reason=f"{row.title} · {bank_reference}",
            )
            # Revoked for a clawback reason while the batch was on its way to the bank.
            if _clawed_back(entitlement.certificate):
                recovery_due(entitlement, actor=actor, note=_("Certificate revoked."))
        row.bank_reference = bank_reference
        row.paid_on = paid_on

    return _batch_transition(
        actor, batch, BatchVerb.PAY, reason=reason or bank_reference,
        expected_status=expected_status, guard=bank_details, apply=paid,
    )


@transaction.atomic
def batch_cancel(
    *, actor: User, batch: PaymentBatch, reason: str, expected_status: str | None = None
) -> PaymentBatch:
    """Cancel a batch that is not paid, with a reason. An approved batch gives its committed
    money back to reserved; the items close and their entitlements are free again, except
    those whose certificate was revoked for a clawback reason meanwhile: they are cancelled
    and their reservation released. Returns the batch."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="reason_required",
                          fields={"reason": [_("Give a reason.")]})

    def cancelled(row, items):
        # The status already reads cancelled here; a batch left approved has its approver.
        if row.approved_by_id is not None:
            _move(items, source="committed", target="reserved")
        _close(row)
        # An award revoked for a clawback reason was left in its approved batch to be paid and
        # recovered; with the batch cancelled it must not go back to the pool: cancel it now.
        note = _("%(why)s (batch %(title)s cancelled)") % {
            "why": msg_clawed_back(), "title": row.title}
        for item in items:
            if _clawed_back(item.entitlement.certificate):
                cancel_if_free(item.entitlement, None, reason=note, actor=actor)
        row.cancel_reason = reason

    return _batch_transition(
        actor, batch, BatchVerb.CANCEL, reason=reason, expected_status=expected_status,
        apply=cancelled,
    )


def check_accounts(items: Iterable[BatchItem]) -> None:
    """Refuse when an item's payee account is no longer the payee's confirmed account (changed
    or superseded since the item was added): the batch would pay an account no one approved.
    """
    for item in items:
        account = item.account
        if account is None or account.status != AccountStatus.CONFIRMED:
            raise DomainError(_(
                "%(payee)s: the receiving account changed after the award was added; take the "
                "award out of the batch and add it again."
            ) % {"payee": item.entitlement.payee_name}, code="payee_account_changed")


# The verb services, for pages and the API that dispatch on a verb.
BATCH_VERB_SERVICES = {
    BatchVerb.SUBMIT: batch_submit,
    BatchVerb.APPROVE: batch_approve,
    BatchVerb.PAY: batch_pay,
    BatchVerb.CANCEL: batch_cancel,
}
