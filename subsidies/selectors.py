"""Read queries of the subsidy app beyond a plain filter: the ledger and page lookups."""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from certification.choices import CLAWBACK_REASONS, CertificateStatus
from gansu_sme.exceptions import OutOfScope
from registry.models import Enterprise
from subsidies.choices import PAID_STATUSES, AccountStatus, EntitlementStatus
from subsidies.models import (
    Allocation,
    BatchItem,
    Budget,
    CityReward,
    Entitlement,
    PaymentBatch,
    Program,
    ReceivingAccount,
    SupportProject,
)

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
LEDGER_COLUMNS = ("entitled", "approved", "in_batch", "paid", "recovered", "remaining")


def _get(queryset, user, **lookup):
    row = queryset.visible_to(user).filter(**lookup).first()
    if row is None:
        raise OutOfScope()
    return row


def program_list() -> QuerySet[Program]:
    return Program.objects.all()


def budget_list(*, user: User) -> QuerySet[Budget]:
    return Budget.objects.visible_to(user)


def budget_get(*, user: User, pk: int) -> Budget:
    return _get(Budget.objects.all(), user, pk=pk)


def allocation_list(*, user: User) -> QuerySet[Allocation]:
    return Allocation.objects.visible_to(user).select_related("budget", "city")


def entitlement_list(*, user: User) -> QuerySet[Entitlement]:
    return (
        Entitlement.objects.visible_to(user)
        .select_related("program", "city", "enterprise", "allocation__budget")
        .annotate(in_open_batch=Exists(BatchItem.objects.filter(
            entitlement=OuterRef("pk"), is_open=True
        )))
    )


def entitlement_get(*, user: User, pk: int) -> Entitlement:
    return _get(entitlement_list(user=user), user, pk=pk)


def enterprise_awards(*, user: User, enterprise: Enterprise) -> QuerySet[Entitlement]:
    """The awards of one firm that ``user`` may see, newest first."""
    return entitlement_list(user=user).filter(enterprise=enterprise)


def batch_list(*, user: User) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.visible_to(user).select_related(
        "created_by", "approved_by"
    ).annotate(
        total=Coalesce(Sum("items__amount"), ZERO),
    )


def batch_detail_list(*, user: User) -> QuerySet[PaymentBatch]:
    """Batches with their items and the items' entitlements, for pages showing one batch."""
    return batch_list(user=user).prefetch_related(
        Prefetch("items", queryset=BatchItem.objects.select_related("entitlement"))
    )


def batch_get(*, user: User, pk: int) -> PaymentBatch:
    return _get(batch_detail_list(user=user), user, pk=pk)


def batch_items(*, batch: PaymentBatch) -> QuerySet[BatchItem]:
    return batch.items.select_related(
        "entitlement__program", "entitlement__city", "entitlement__enterprise", "account"
    ).order_by("entitlement__city__code", "entitlement_id")


def batch_candidates(*, user: User) -> QuerySet[Entitlement]:
    """Approved entitlements in no open batch, their certificate not revoked for a clawback
    reason: what a batch may take."""
    return entitlement_list(user=user).filter(
        status=EntitlementStatus.APPROVED, in_open_batch=False  # type: ignore[misc]  # annotated above
    ).exclude(
        certificate__status=CertificateStatus.REVOKED,
        certificate__revocation_reason__in=CLAWBACK_REASONS,
    ).order_by("city__code", "pk")


def city_reward_list(*, user: User) -> QuerySet[CityReward]:
    return CityReward.objects.visible_to(user).select_related("city", "computed_by")


def city_reward_get(*, user: User, pk: int) -> CityReward:
    return _get(city_reward_list(user=user), user, pk=pk)


def project_list(*, user: User) -> QuerySet[SupportProject]:
    return SupportProject.objects.visible_to(user).select_related(
        "enterprise__region", "submitted_by"
    )


def project_get(*, user: User, pk: int) -> SupportProject:
    return _get(project_list(user=user), user, pk=pk)


def ledger(
    *, user: User, entitlements: QuerySet[Entitlement] | None = None
) -> Iterator[dict[str, Any]]:
    """Money per program, year and city, in yuan, from the entitlements ``user`` sees.

    entitled: every award not cancelled; approved: approved and not yet paid (its money
    reserved or committed); in_batch: in an open batch; paid: paid out (recovered awards
    included); recovered: money returned; remaining: entitled less paid, still to be paid.
    ``entitlements`` narrows the rows (a FilterSet's queryset). One query.
    """
    rows = entitlements if entitlements is not None else Entitlement.objects.visible_to(user)
    in_batch = Exists(BatchItem.objects.filter(entitlement=OuterRef("pk"), is_open=True))
    live = ~Q(status=EntitlementStatus.CANCELLED)

    def total(condition, field="amount"):
        return Coalesce(Sum(field, filter=condition), ZERO)

    result = (
        rows.alias(open_item=in_batch)
        .values("program_id", "program__name", "year", "city_id", "city__code", "city__name")
        .annotate(
            entitled=total(live),
            approved=total(Q(status=EntitlementStatus.APPROVED)),
            in_batch=total(Q(open_item=True)),
            paid=total(Q(status__in=PAID_STATUSES)),
            recovered=total(Q(recovered_amount__gt=0), "recovered_amount"),
        )
        .order_by("-year", "program_id", "city__code")
    )
    for row in result:
        yield {**row, "remaining": row["entitled"] - row["paid"]}


# --- receiving accounts --------------------------------------------------------------------


def account_list(*, user: User) -> QuerySet[ReceivingAccount]:
    return ReceivingAccount.objects.visible_to(user).select_related(
        "enterprise", "city", "recorded_by", "confirmed_by"
    )


def account_get(*, user: User, pk: int) -> ReceivingAccount:
    return _get(account_list(user=user), user, pk=pk)


def payee_key(row: Entitlement | ReceivingAccount) -> tuple[str, int | None]:
    """Who ``row`` (an entitlement or an account) pays or is paid: a firm, else a city."""
    if row.enterprise_id is not None:
        return ("enterprise", row.enterprise_id)
    return ("city", row.city_id)


def payee_accounts(
    entitlements: Iterable[Entitlement],
) -> dict[tuple[str, int | None], dict[str, ReceivingAccount]]:
    """{payee: {status: account}} of the confirmed and pending accounts of the payees of
    ``entitlements`` (a firm's, else the city's for a city reward): one query."""
    entitlements = list(entitlements)
    firms = {e.enterprise_id for e in entitlements if e.enterprise_id is not None}
    cities = {e.city_id for e in entitlements if e.enterprise_id is None}
    found: dict[tuple[str, int | None], dict[str, ReceivingAccount]] = {}
    if not firms and not cities:
        return found
    rows = ReceivingAccount.objects.filter(
        Q(enterprise_id__in=firms) | Q(city_id__in=cities, enterprise__isnull=True),
        status__in=(AccountStatus.CONFIRMED, AccountStatus.PENDING),
    )
    for account in rows:
        found.setdefault(payee_key(account), {})[account.status] = account
    return found


def current_account(entitlement: Entitlement) -> ReceivingAccount | None:
    """The confirmed account the payee of ``entitlement`` is paid into, if any."""
    return payee_accounts([entitlement]).get(payee_key(entitlement), {}).get(
        AccountStatus.CONFIRMED
    )
