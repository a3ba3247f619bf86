"""Payment batches (支付批次): made by one finance officer, approved by another, paid by the
bank, or cancelled.

Every status change goes through ``batch_transition``: lock the batch, check the TRANSITIONS
table and the four-eyes rule, move the money of every item (allocations locked in id order),
write a BatchTransition row. Items follow their batch: ``is_open`` turns false once it is paid
or cancelled, and a partial unique index keeps an entitlement in one open batch at most.
"""

import datetime

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from certification.choices import CLAWBACK_REASONS, CertificateStatus
from gansu_sme.exceptions import DomainError, InvalidTransition
from subsidies.choices import BATCH_TRANSITIONS, BatchStatus, BatchVerb, EntitlementStatus
from subsidies.models import BatchItem, BatchTransition, Entitlement, PaymentBatch

from .budgets import move_money
from .common import check_finance, is_finance, lock_visible
from .entitlements import MSG_IN_BATCH, _set_status, recovery_due

MSG_SAME_PERSON = (
    "审批人不能是制单人。 The approver must be a different finance officer from the maker."
)
MSG_NOT_DRAFT = "只有草稿批次可以修改。 Only a draft batch can be changed."


def batch_total(batch):
    return batch.items.aggregate(total=Sum("amount"))["total"] or 0


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
    """Put approved entitlements into a draft batch, each at its amount.

    Refuses one that is not approved or already in an open batch; the unique index refuses it
    too when two batches take it at once. Returns the batch.
    """
    check_finance(actor)
    batch = lock_visible(PaymentBatch, actor, batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise InvalidTransition(MSG_NOT_DRAFT)
    ids = sorted({e.pk for e in entitlements})
    rows = list(Entitlement.objects.visible_to(actor).select_for_update().filter(pk__in=ids))
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
    """Take an entitlement out of a draft batch; it stays approved, its money reserved."""
    check_finance(actor)
    batch = lock_visible(PaymentBatch, actor, batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise InvalidTransition(MSG_NOT_DRAFT)
    deleted, _ = BatchItem.objects.filter(batch=batch, entitlement=entitlement).delete()
    if not deleted:
        raise DomainError(fields={"entitlement": ["不在该批次中。 Not in this batch."]})
    return batch


def batch_verbs(user, batch):
    """The verbs ``user`` may use on ``batch`` now: the buttons of its page."""
    if not is_finance(user):
        return []
    verbs = list(BATCH_TRANSITIONS[batch.status])
    if BatchVerb.APPROVE in verbs and batch.created_by_id == user.pk:
        verbs.remove(BatchVerb.APPROVE)
    return verbs


def _items(batch):
    return list(
        batch.items.select_related("entitlement__certificate").order_by("entitlement_id")
    )


def _move(items, *, source, target):
    # Allocations in id order, so two batches touching the same cities never deadlock.
    for item in sorted(items, key=lambda i: i.entitlement.allocation_id):
        move_money(item.entitlement.allocation_id, item.amount, source=source, target=target)


def _approve(actor, batch, items, **_):
    if batch.created_by_id == actor.pk:
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
    for item in items:
        entitlement = item.entitlement
        entitlement.paid_on = paid_on
        _set_status(
            entitlement, EntitlementStatus.PAID, actor=actor,
            reason=f"{batch.title} · {bank_reference}", fields=("paid_on",),
        )
        certificate = entitlement.certificate
        # Revoked for a clawback reason while the batch was on its way to the bank.
        if (
            certificate is not None
            and certificate.status == CertificateStatus.REVOKED
            and certificate.revocation_reason in CLAWBACK_REASONS
        ):
            recovery_due(entitlement, actor=actor, note="证书已撤销。 Certificate revoked.")
    batch.bank_reference = bank_reference
    batch.paid_on = paid_on
    return ("bank_reference", "paid_on")


def _cancel(actor, batch, items, reason="", **_):
    if not (reason or "").strip():
        raise DomainError(fields={"reason": ["请填写作废原因。 Give a reason."]})
    if batch.status == BatchStatus.APPROVED:
        _move(items, source="committed", target="reserved")
    batch.cancel_reason = reason.strip()
    return ("cancel_reason",)


def _submit(actor, batch, items, **_):
    if not items:
        raise DomainError("批次中没有奖补。 The batch holds no entitlement.")
    return ()


VERB_STEPS = {
    BatchVerb.SUBMIT: _submit,
    BatchVerb.APPROVE: _approve,
    BatchVerb.PAY: _pay,
    BatchVerb.CANCEL: _cancel,
}


@transaction.atomic
def batch_transition(*, actor, batch, verb, reason="", **details):
    """Apply ``verb`` (submit, approve, pay, cancel) to a batch.

    Finance officers only; the approver differs from the maker (also a database check).
    Approval commits each item's reserved money, payment (bank reference and date required)
    moves it to paid and marks the entitlements paid, cancellation gives committed money back
    to reserved and frees the entitlements. Writes a BatchTransition row. Returns the batch.
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
        if target in (BatchStatus.PAID, BatchStatus.CANCELLED):
            BatchItem.objects.filter(batch=batch).update(is_open=False)
        BatchTransition.objects.create(
            batch=batch, from_status=from_status, to_status=target, actor=actor,
            reason=reason or details.get("bank_reference", ""),
        )
    return batch
