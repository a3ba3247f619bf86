"""Entitlements (奖补资格): created by the events that earn them, approved against a city's
block, cancelled, and recovered after a revocation.

Creation is idempotent whatever the concurrency: a once-per-firm award is guarded by a partial
unique index, a city reward and a project by one-to-one keys, and a losing insert returns the
row that won. Reactions to certificates run with no actor (the event made them) and are
re-derived nightly by ``entitlements_reconcile``.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certification.choices import CLAWBACK_REASONS, CertificateLevel, CertificateStatus
from certification.models import Certificate
from gansu_sme import workflow
from gansu_sme.exceptions import DomainError, InvalidTransition
from gansu_sme.formatting import yuan
from registry.models import Enterprise, Region
from subsidies.choices import (
    ENTITLEMENT_ACTS,
    ENTITLEMENT_TRANSITIONS,
    BatchStatus,
    EntitlementStatus,
    EntitlementVerb,
    ProgramKind,
)
from subsidies.models import (
    BatchItem,
    Budget,
    CityReward,
    Entitlement,
    EntitlementTransition,
    PaymentBatch,
    Program,
    ProgramPair,
    SupportProject,
)

from .budgets import allocation_for, move_money
from .common import check_finance, city_of, money

CERTIFICATE_PROGRAM = {
    CertificateLevel.PROVINCIAL: ProgramKind.PROVINCIAL_CERTIFICATE,
    CertificateLevel.NATIONAL: ProgramKind.NATIONAL_CERTIFICATE,
}


def msg_in_batch() -> str:
    return _("The entitlement is in an open payment batch.")


ENTITLEMENT_WORKFLOW = workflow.Workflow(
    name="entitlement",
    model=Entitlement,
    record=EntitlementTransition,
    subject="entitlement",
    statuses=EntitlementStatus,
    verbs=EntitlementVerb,
    table=ENTITLEMENT_TRANSITIONS,
    acts=ENTITLEMENT_ACTS,
    reason_required=frozenset({EntitlementVerb.CANCEL}),
    noun=("奖补", "The entitlement"),
)


def entitlement_move(
    entitlement: Entitlement,
    verb: str,
    *,
    actor: User | None = None,
    reason: str = "",
    apply: Callable[..., Any] | None = None,
) -> Entitlement:
    """Apply ``verb`` to an entitlement the caller has locked in the app's one lock order
    (batch, entitlements, allocations), through the kernel."""
    return workflow.transition(
        ENTITLEMENT_WORKFLOW, actor=actor, obj=entitlement, verb=verb, reason=reason,
        apply=apply, locked=True,
    )


def entitlement_record(
    entitlement: Entitlement, verb: str, *, actor: User | None = None, reason: str = ""
) -> Any:
    """Record a step that keeps the entitlement's status (its creation, a repayment)."""
    return workflow.record(
        ENTITLEMENT_WORKFLOW, entitlement, verb=verb, actor=actor, reason=reason,
        from_status="" if verb == EntitlementVerb.EARN else entitlement.status,
    )


def _offset(program, enterprise):
    """What the firm already has under programs paired with ``program`` as highest-only, and
    the note saying so; (0, "") when the pair pays both (the plan's default)."""
    pairs = ProgramPair.objects.filter(Q(first=program) | Q(second=program), highest_only=True)
    others = {p.second_id if p.first_id == program.pk else p.first_id for p in pairs}
    if not others or enterprise is None:
        return Decimal("0"), ""
    earlier = Entitlement.objects.filter(
        enterprise=enterprise, program_id__in=others
    ).exclude(status__in=(EntitlementStatus.CANCELLED, EntitlementStatus.RECOVERED))
    total = earlier.aggregate(total=Sum("full_amount"))["total"] or Decimal("0")
    names = "、".join(sorted({e.program.name for e in earlier.select_related("program")}))
    # Official wording kept as data with the award (it reaches the bank file's purpose).
    return total, (f"就高不重复，已获{names}，差额补齐" if total else "")


def entitlement_create(
    *,
    program: Program,
    year: int,
    enterprise: Enterprise | None = None,
    city: Region | None = None,
    amount: Decimal | int | str | None = None,
    certificate: Certificate | None = None,
    city_reward: CityReward | None = None,
    project: SupportProject | None = None,
    purpose: str = "",
) -> tuple[Entitlement, bool]:
    """Create the entitlement an event earned, or return the one that exists.

    Idempotent: the insert runs in a savepoint and a unique-key conflict returns the existing
    row, so repeated or simultaneous events leave exactly one. Under a highest-only pair the
    amount is the program's less what the firm holds under the paired program; a difference of
    nothing is recorded cancelled, so the event is still seen as handled. Returns (row, created).
    """
    existing = _existing(program, enterprise, city_reward, project)
    if existing is not None:
        return existing, False
    # A program without an amount (project support) is given one by its caller.
    full = money(amount if amount is not None else program.amount)  # type: ignore[arg-type]
    offset, note = _offset(program, enterprise)
    due = max(full - offset, Decimal("0.00"))
    if enterprise is not None:
        region, city = enterprise.region, city_of(enterprise.region)
        payee_name, payee_code = enterprise.name, enterprise.uscc
    else:
        # An award without a firm is a city's; paid to its finance bureau (payee name is data).
        region, payee_name, payee_code = city, f"{city.name}财政局", ""  # type: ignore[assignment,union-attr]
    entitlement = Entitlement(
        program=program, once_per_firm=program.once_per_firm, enterprise=enterprise,
        city=city, region=region, year=year, payee_name=payee_name, payee_code=payee_code,
        purpose=purpose or f"{year}年{program.name}", full_amount=full, amount=due,
        offset_note=note, certificate=certificate, city_reward=city_reward, project=project,
        status=EntitlementStatus.PENDING,
    )
    if due == 0:
        entitlement.status = EntitlementStatus.CANCELLED
        entitlement.cancel_reason = _("Highest only: nothing left to pay.")
    entitlement.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entitlement.save()
    except IntegrityError:
        existing = _existing(program, enterprise, city_reward, project)
        if existing is None:
            raise
        return existing, False
    entitlement_record(entitlement, EntitlementVerb.EARN, reason=purpose or entitlement.purpose)
    return entitlement, True


def _existing(program, enterprise, city_reward, project):
    if city_reward is not None:
        return Entitlement.objects.filter(city_reward=city_reward).first()
    if project is not None:
        return Entitlement.objects.filter(project=project).first()
    if program.once_per_firm:
        return Entitlement.objects.filter(
            program=program, enterprise=enterprise, once_per_firm=True
        ).first()
    return None


def _certificate_program(certificate):
    # Earned on the day the certificate is issued: the program valid then pays it.
    return Program.objects.valid_on(CERTIFICATE_PROGRAM[certificate.level], certificate.issued_on)


@transaction.atomic
def entitlement_from_certificate(
    *, certificate_id: int
) -> tuple[Entitlement | None, bool]:
    """React to a certificate issued: the award of its level's program, once per firm.

    Nothing when the program does not run in the certificate's year, or when the certificate
    was revoked for a reason that claws the award back. Returns (entitlement, created), or
    (None, False).
    """
    certificate = Certificate.objects.select_related("enterprise__region__parent").get(
        pk=certificate_id
    )
    if certificate.revocation_reason in CLAWBACK_REASONS:
        return None, False
    program = _certificate_program(certificate)
    if program is None:
        return None, False
    number = certificate.number
    with pghistory.context(event="certificate_issued", certificate=number):
        return entitlement_create(
            program=program,
            year=certificate.issued_on.year,
            enterprise=certificate.enterprise,
            certificate=certificate,
            purpose=f"{certificate.issued_on.year}年{program.name}（证书{number}）",
        )


@transaction.atomic
def entitlements_clawback(*, certificate_id: int, reason: str) -> list[Entitlement]:
    """React to a certificate revoked: for a clawback reason (falsified application, major
    incident) a paid award becomes a recovery due of its amount and an award not yet in an
    approved batch is cancelled, its reservation released. Other reasons leave awards alone.
    Idempotent. Returns the entitlements changed.
    """
    if reason not in CLAWBACK_REASONS:
        return []
    changed = []
    note = _("Certificate revoked (%(reason)s).") % {"reason": reason}
    ids = Entitlement.objects.filter(certificate_id=certificate_id).order_by("pk")
    with pghistory.context(event="certificate_revoked", reason=reason):
        for pk in ids.values_list("pk", flat=True):
            entitlement, batch = lock_with_batch(pk)
            if entitlement.status == EntitlementStatus.PAID:
                recovery_due(entitlement, note=note)
                changed.append(entitlement)
            elif entitlement.status in (EntitlementStatus.PENDING, EntitlementStatus.APPROVED):
                if cancel_if_free(entitlement, batch, reason=note):
                    changed.append(entitlement)
    return changed


def recovery_due(entitlement: Entitlement, *, note: str, actor: User | None = None) -> None:
    """Turn a paid entitlement, locked by the caller, into a recovery due of its amount."""

    def due(row):
        row.recovery_amount = row.amount
        row.recovery_reason = note[:200]

    entitlement_move(
        entitlement, EntitlementVerb.CLAW_BACK, actor=actor, reason=note, apply=due
    )


def _open_batch_id(entitlement_pk):
    return (
        BatchItem.objects.filter(entitlement_id=entitlement_pk, is_open=True)
        .values_list("batch_id", flat=True)
        .first()
    )


def lock_with_batch(entitlement_pk: int) -> tuple[Entitlement, PaymentBatch | None]:
    """Lock the open batch holding the entitlement (if any), then the entitlement: the one lock
    order of the app is batch, entitlements, allocations (``batch_transition`` takes it too),
    so a clawback and a batch decision see each other's result instead of both moving the same
    reserved money. Returns (entitlement, batch or None), both locked.

    Holding the batch, its item can neither leave nor close; without one, a batch may have
    taken the entitlement between the two reads, and its lock would now come out of order:
    refused, to be retried (the nightly reconcile retries a clawback).
    """
    batch_id = _open_batch_id(entitlement_pk)
    batch = PaymentBatch.objects.select_for_update().get(pk=batch_id) if batch_id else None
    entitlement = Entitlement.objects.select_for_update().get(pk=entitlement_pk)
    if _open_batch_id(entitlement_pk) != batch_id:
        raise InvalidTransition(
            _("The entitlement was just put in a batch; try again."), code="entitlement_changed"
        )
    return entitlement, batch


def cancel_if_free(
    entitlement: Entitlement, batch: PaymentBatch | None, *, reason: str, actor: User | None = None
) -> bool:
    """Cancel a pending or approved entitlement locked with its open ``batch`` by
    ``lock_with_batch``: one in a draft or submitted batch leaves it, one in an approved batch
    stays (its payment turns into a recovery when marked paid, and cancelling the batch
    cancels it). An approved one gives its reservation back. Returns whether it cancelled."""
    if batch is not None:
        if batch.status == BatchStatus.APPROVED:
            return False
        BatchItem.objects.filter(batch=batch, entitlement=entitlement).delete()
    if entitlement.status == EntitlementStatus.APPROVED:
        # An approved award holds its allocation.
        move_money(
            entitlement.allocation_id,  # type: ignore[arg-type]
            entitlement.amount, source="reserved", target=None,
        )

    def note(row):
        row.cancel_reason = reason[:200]

    entitlement_move(entitlement, EntitlementVerb.CANCEL, actor=actor, reason=reason, apply=note)
    return True


@transaction.atomic
def entitlement_approve(*, actor: User, entitlement: Entitlement, budget: Budget) -> Entitlement:
    """Approve a pending entitlement and reserve its amount in its city's block of ``budget``.

    Finance officers only. Locks the entitlement and the allocation; refuses when the block
    has less left than the amount. Records the transition. Returns the entitlement.
    """
    check_finance(actor)
    entitlement = workflow.lock(ENTITLEMENT_WORKFLOW, actor, entitlement)
    if entitlement.status != EntitlementStatus.PENDING:
        # A repeated approval answers as the kernel does: unchanged, or refused.
        return entitlement_move(entitlement, EntitlementVerb.APPROVE, actor=actor)
    # A budget of the year before may pay it (结转, carry-over); an older one may not.
    if budget.year < entitlement.year - 1:
        message = _(
            "The budget must be of the award's year (%(year)s) or the year before."
        ) % {"year": entitlement.year}
        raise DomainError(message, code="budget_year", fields={"budget": [message]})
    allocation = allocation_for(budget=budget, city=entitlement.city)

    def reserve(row):
        move_money(allocation.pk, row.amount, source=None, target="reserved")
        row.allocation = allocation
        row.approved_by = actor
        row.approved_at = timezone.now()

    with pghistory.context(user=actor.pk):
        return entitlement_move(
            entitlement, EntitlementVerb.APPROVE, actor=actor,
            reason=f"{budget} · {entitlement.city.name}", apply=reserve,
        )


@transaction.atomic
def entitlement_cancel(*, actor: User, entitlement: Entitlement, reason: str) -> Entitlement:
    """Cancel a pending or approved entitlement that is in no open batch, with a reason; an
    approved one gives its reservation back to the city's block."""
    check_finance(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), code="reason_required",
                          fields={"reason": [_("Give a reason.")]})
    Entitlement.objects.get_visible(actor, entitlement.pk)
    entitlement, batch = lock_with_batch(entitlement.pk)
    if entitlement.status not in (EntitlementStatus.PENDING, EntitlementStatus.APPROVED):
        # A repeated cancellation answers as the kernel does: unchanged, or refused.
        return entitlement_move(entitlement, EntitlementVerb.CANCEL, actor=actor, reason=reason)
    if batch is not None:
        raise InvalidTransition(msg_in_batch(), code="entitlement_in_batch")
    with pghistory.context(user=actor.pk):
        cancel_if_free(entitlement, None, reason=reason, actor=actor)
    return entitlement


@transaction.atomic
def entitlement_record_recovery(
    *, actor: User, entitlement: Entitlement, amount: Decimal | int | str, reference: str
) -> Entitlement:
    """Record money returned on a recovery due (追回); the whole due amount settles it.

    Finance officers only. The amount may not pass what is outstanding. Returns the row.
    """
    check_finance(actor)
    entitlement = workflow.lock(ENTITLEMENT_WORKFLOW, actor, entitlement)
    if entitlement.status != EntitlementStatus.RECOVERY_DUE:
        raise ENTITLEMENT_WORKFLOW.refusal(entitlement, EntitlementVerb.RECOVER)
    amount = money(amount)
    if amount <= 0 or amount > entitlement.recovery_outstanding:
        message = _("The amount must lie between 0.01 and %(most)s yuan.") % {
            "most": yuan(entitlement.recovery_outstanding)}
        raise DomainError(message, code="recovery_amount", fields={"amount": [message]})
    reference = (reference or "").strip()
    if not reference:
        message = _("Give the reference of the repayment.")
        raise DomainError(message, code="recovery_reference", fields={"reference": [message]})
    entitlement.recovered_amount += amount
    note = _("Recovered %(amount)s yuan, ref. %(reference)s.") % {
        "amount": yuan(amount), "reference": reference}
    if entitlement.recovered_amount == entitlement.recovery_amount:
        return entitlement_move(entitlement, EntitlementVerb.RECOVER, actor=actor, reason=note)
    with pghistory.context(user=actor.pk):
        entitlement.save(update_fields=["recovered_amount", "updated_at"])
        entitlement_record(entitlement, EntitlementVerb.RECOVER, actor=actor, reason=note)
    return entitlement


def entitlements_reconcile() -> dict[str, int]:
    """Re-derive what the certificate events should have produced, repairing a lost one.

    Every certificate not revoked for a clawback reason gets its award (creation is
    idempotent); every certificate revoked for one has its awards clawed back. Returns
    {"created": n, "clawed_back": n}.
    """
    created = clawed = 0
    certificates = Certificate.objects.order_by("pk").values_list(
        "pk", "status", "revocation_reason"
    )
    for pk, status, reason in certificates.iterator():
        if status == CertificateStatus.REVOKED and reason in CLAWBACK_REASONS:
            clawed += len(entitlements_clawback(certificate_id=pk, reason=reason))
            continue
        _entitlement, was_created = entitlement_from_certificate(certificate_id=pk)
        created += was_created
    return {"created": created, "clawed_back": clawed}
