"""Payment batches (支付批次): made by one finance officer, approved by another, paid by the
bank, or cancelled.

Every status change goes through ``batch_transition``: lock the batch, then its items, check
the TRANSITIONS table and the four-eyes rule, move the money of every item (allocations locked
in id order), write a BatchTransition row. Locks follow one order in the whole app: batch,
entitlements, allocations. Only the maker adds, removes and submits; the approver is another
officer. Items follow their batch: ``is_open`` turns false once it is paid
or cancelled, and a partial unique index keeps an entitlement in one open batch at most.
"""

import datetime

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.choices import CLAWBACK_REASONS, CertificateStatus
from gansu_sme.exceptions import DomainError, InvalidTransition, PermissionDenied
from subsidies.choices import BATCH_TRANSITIONS, BatchStatus, BatchVerb, EntitlementStatus
from subsidies.models import BatchItem, BatchTransition, Entitlement, PaymentBatch

from .budgets import move_money
from .common import check_finance, is_finance, lock_visible
from .entitlements import MSG_IN_BATCH, cancel_if_free, recovery_due, set_status

MSG_SAME_PERSON = (
    "审批人不能是制单人或提交人。 The approver must be a different finance officer from the"
    " maker and the submitter."
)
MSG_NOT_DRAFT = "只有草稿批次可以修改。 Only a draft batch can be changed."
MSG_NOT_MAKER = (
    "只有制单人可以修改或提交该批次。 Only the officer who made the batch may change or"
    " submit it."
)
MSG_CLAWED_BACK = "证书已因追回事由撤销。 The certificate was revoked for a clawback reason."


def _clawed_back(certificate):
    return (
        certificate is not None
        and certificate.status == CertificateStatus.REVOKED
        and certificate.revocation_reason in CLAWBACK_REASONS
    )


def _lock_draft(actor, batch):
    """The batch locked, if it is a draft and ``actor`` made it."""
    batch = lock_visible(PaymentBatch, actor, batch.pk)
    if batch.created_by_id != actor.pk:
        raise PermissionDenied(MSG_NOT_MAKER)
    if batch.status != BatchStatus.DRAFT:
        raise InvalidTransition(MSG_NOT_DRAFT)
    return batch


@transaction.atomic
def batch_create(*, actor, title):
    """Open a draft batch made by ``actor``. Finance officers only."""
    check_finance(actor)
    title = (title or "").strip()
    if not title:
        raise DomainError(fields={"title": ["请填写批次名称。 Give the batch a title."]})
    batch = PaymentBatch(title=title, created_by=actor)
    batch.full_clean()
    with pghistory.context(user=actor.pk):
        batch.save()
    return batch


@transaction.atomic
def batch_add_entitlements(*, actor, batch, entitlements):
    """Put approved entitlements into a draft batch made by ``actor``, each at its amount.

    Refuses one that is not approved, already in an open batch (the unique index refuses it too
    when two batches take it at once), or whose certificate was revoked for a clawback reason.
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
        raise DomainError(fields={"entitlements": [
            "未找到部分奖补。 Some entitlements were not found."
        ]})
    with pghistory.context(user=actor.pk):
        for entitlement in rows:
            if entitlement.status != EntitlementStatus.APPROVED:
                raise DomainError(fields={"entitlements": [
                    f"{entitlement.payee_name}：只有已审核的奖补可以入批。"
                    f" Only approved entitlements can be paid ({entitlement.pk})."
                ]})
            if _clawed_back(entitlement.certificate):
                raise DomainError(fields={"entitlements": [
                    f"{entitlement.payee_name}：{MSG_CLAWED_BACK}"
                ]})
            try:
                with transaction.atomic():
                    BatchItem.objects.create(
                        batch=batch, entitlement=entitlement, amount=entitlement.amount
                    )
            except IntegrityError as exc:
                raise DomainError(fields={"entitlements": [
                    f"{entitlement.payee_name}：{MSG_IN_BATCH}"
                ]}) from exc
    return batch


@transaction.atomic
def batch_remove_entitlement(*, actor, batch, entitlement):
    """Take an entitlement out of a draft batch made by ``actor``; it stays approved, its money
    reserved."""
    check_finance(actor)
    batch = _lock_draft(actor, batch)
    with pghistory.context(user=actor.pk):
        deleted, _ = BatchItem.objects.filter(batch=batch, entitlement=entitlement).delete()
    if not deleted:
        raise DomainError(fields={"entitlement": ["不在该批次中。 Not in this batch."]})
    return batch


def batch_verbs(user, batch):
    """The verbs ``user`` may use on ``batch`` now: the buttons of its page."""
    if not is_finance(user):
        return []
    verbs = list(BATCH_TRANSITIONS[batch.status])
    if BatchVerb.SUBMIT in verbs and batch.created_by_id != user.pk:
        verbs.remove(BatchVerb.SUBMIT)
    if BatchVerb.APPROVE in verbs and user.pk in (batch.created_by_id, batch.submitted_by_id):
        verbs.remove(BatchVerb.APPROVE)
    return verbs


def _items(batch):
    # Locked right after the batch: a clawback deleting an item waits for the decision.
    return list(
        BatchItem.objects.select_for_update(of=("self",)).filter(batch=batch)
        .select_related("entitlement__certificate").order_by("entitlement_id")
    )


def _close(batch):
    BatchItem.objects.filter(batch=batch).update(is_open=False)


def _move(items, *, source, target):
    # Allocations in id order, so two batches touching the same cities never deadlock.
    for item in sorted(items, key=lambda i: i.entitlement.allocation_id):
        move_money(item.entitlement.allocation_id, item.amount, source=source, target=target)


def _approve(actor, batch, items, **_):
    if actor.pk in (batch.created_by_id, batch.submitted_by_id):
        raise DomainError(MSG_SAME_PERSON)
    _move(items, source="reserved", target="committed")
    batch.approved_by = actor
    batch.approved_at = timezone.now()
    return ("approved_by", "approved_at")


def _pay(actor, batch, items, bank_reference="", paid_on=None, **_):
    bank_reference = (bank_reference or "").strip()
    errors = {}
    if not bank_reference:
        errors["bank_reference"] = ["请填写银行交易流水号。 Give the bank's reference."]
    if not isinstance(paid_on, datetime.date) or paid_on > timezone.localdate():
        errors["paid_on"] = ["请填写实际支付日期。 Give the date the bank paid."]
    if errors:
        raise DomainError(fields=errors)
    _move(items, source="committed", target="paid")
    _close(batch)
    for item in items:
        entitlement = item.entitlement
        entitlement.paid_on = paid_on
        set_status(
            entitlement, EntitlementStatus.PAID, actor=actor,
            reason=f"{batch.title} · {bank_reference}", fields=("paid_on",),
        )
        # Revoked for a clawback reason while the batch was on its way to the bank.
        if _clawed_back(entitlement.certificate):
            recovery_due(entitlement, actor=actor, note="证书已撤销。 Certificate revoked.")
    batch.bank_reference = bank_reference
    batch.paid_on = paid_on
    return ("bank_reference", "paid_on")


def _cancel(actor, batch, items, reason="", **_):
    if not (reason or "").strip():
        raise DomainError(fields={"reason": ["请填写作废原因。 Give a reason."]})
    if batch.status == BatchStatus.APPROVED:
        _move(items, source="committed", target="reserved")
    _close(batch)
    # An award revoked for a clawback reason was left in its approved batch to be paid and
    # recovered; with the batch cancelled it must not go back to the pool: cancel it now.
    note = f"{MSG_CLAWED_BACK}（{batch.title}作废）"
    for item in items:
        if _clawed_back(item.entitlement.certificate):
            cancel_if_free(item.entitlement, None, reason=note, actor=actor)
    batch.cancel_reason = reason.strip()
    return ("cancel_reason",)


def _submit(actor, batch, items, **_):
    if batch.created_by_id != actor.pk:
        raise PermissionDenied(MSG_NOT_MAKER)
    if not items:
        raise DomainError("批次中没有奖补。 The batch holds no entitlement.")
    batch.submitted_by = actor
    return ("submitted_by",)


VERB_STEPS = {
    BatchVerb.SUBMIT: _submit,
    BatchVerb.APPROVE: _approve,
    BatchVerb.PAY: _pay,
    BatchVerb.CANCEL: _cancel,
}


@transaction.atomic
def batch_transition(*, actor, batch, verb, reason="", **details):
    """Apply ``verb`` (submit, approve, pay, cancel) to a batch.

    Finance officers only; only the maker submits, and the approver differs from the maker and
    the submitter (also database checks).
    Approval commits each item's reserved money, payment (bank reference and date required)
    moves it to paid and marks the entitlements paid, cancellation gives committed money back
    to reserved and frees the entitlements, except those whose certificate was revoked for a
    clawback reason meanwhile: they are cancelled and their reservation released. Writes a
    BatchTransition row. Returns the batch.
    """
    check_finance(actor)
    batch = lock_visible(PaymentBatch, actor, batch.pk)
    target = BATCH_TRANSITIONS[batch.status].get(verb)
    if target is None:
        raise InvalidTransition()
    items = _items(batch)
    with pghistory.context(user=actor.pk):
        fields = VERB_STEPS[verb](actor, batch, items, reason=reason, **details)
        from_status = batch.status
        batch.status = target
        batch.save(update_fields=["status", *fields])
        BatchTransition.objects.create(
            batch=batch, from_status=from_status, to_status=target, actor=actor,
            reason=reason or details.get("bank_reference", ""),
        )
    return batch
