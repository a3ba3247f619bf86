"""Read queries of the financing app: lists and pages in the user's scope, the report of
needs and grants, and the credit-cultivation figure the registry's plan page counts."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from accounts.models import User
from certification.models import Certificate
from certification.selectors.targets import certified_at
from financing.choices import NeedKind, NeedStatus, OutcomeStatus
from financing.models import (
    CreditCultivation,
    CreditRating,
    FinancialInstitution,
    FinancingNeed,
    MatchingEvent,
    MatchOutcome,
)
from gansu_sme.exceptions import OutOfScope
from gansu_sme.querysets import scoped
from registry.choices import PlanMetric, RegionLevel
from registry.models import Enterprise, PlanTarget, Region

ZERO = Decimal(0)


def institution_list(*, user: User) -> QuerySet[FinancialInstitution]:
    return FinancialInstitution.objects.visible_to(user).select_related("region")


def need_list(*, user: User) -> QuerySet[FinancingNeed]:
    """The needs ``user`` sees, with what the list shows: the firm, its region, the sum granted."""
    return (
        FinancingNeed.objects.visible_to(user)
        .select_related("enterprise__region__parent")
        .annotate(
            granted_total=Sum(
                "outcomes__granted_amount", filter=Q(outcomes__status=OutcomeStatus.GRANTED)
            )
        )
    )


def need_get(*, user: User, pk: int) -> FinancingNeed:
    need = need_list(user=user).select_related("filed_by").filter(pk=pk).first()
    if need is None:
        raise OutOfScope()
    return need


def need_outcomes(*, user: User, need: FinancingNeed) -> QuerySet[MatchOutcome]:
    return (
        MatchOutcome.objects.visible_to(user)
        .filter(need=need)
        .select_related("event", "institution")
        .order_by("event__held_on", "id")
    )


def need_transitions(*, need: FinancingNeed) -> QuerySet:
    return need.transitions.select_related("actor").order_by("at", "id")


def enterprise_needs(*, user: User, enterprise: Enterprise) -> QuerySet[FinancingNeed]:
    """The needs of one firm that ``user`` sees, each with its outcomes, newest first."""
    return need_list(user=user).filter(enterprise=enterprise).prefetch_related(
        Prefetch(
            "outcomes",
            queryset=MatchOutcome.objects.select_related("event", "institution").order_by(
                "event__held_on", "id"
            ),
        )
    )


def event_list(*, user: User) -> QuerySet[MatchingEvent]:
    return (
        MatchingEvent.objects.visible_to(user)
        .select_related("region")
        .annotate(
            need_count=Count("outcomes", distinct=True),
            granted_count=Count(
                "outcomes", filter=Q(outcomes__status=OutcomeStatus.GRANTED), distinct=True
            ),
        )
    )


def event_get(*, user: User, pk: int) -> MatchingEvent:
    event = event_list(user=user).filter(pk=pk).first()
    if event is None:
        raise OutOfScope()
    return event


def event_outcomes(*, user: User, event: MatchingEvent) -> QuerySet[MatchOutcome]:
    """The outcomes of an event whose needs ``user`` sees."""
    return (
        MatchOutcome.objects.visible_to(user)
        .filter(event=event)
        .select_related("need__enterprise__region", "institution")
        .order_by("need__enterprise__name", "id")
    )


def need_candidates(*, user: User, event: MatchingEvent) -> QuerySet[FinancingNeed]:
    """Open needs ``user`` sees that are not yet put to ``event``."""
    already = MatchOutcome.objects.filter(event=event, need=OuterRef("pk"))
    return (
        FinancingNeed.objects.visible_to(user)
        .filter(status__in=(NeedStatus.FILED, NeedStatus.MATCHING))
        .exclude(Exists(already))
        .select_related("enterprise")
        .order_by("enterprise__name", "id")
    )


def credit_list(*, user: User) -> QuerySet[CreditCultivation]:
    """The firms on the credit-cultivation list ``user`` sees, with their latest rating."""
    latest = CreditRating.objects.filter(enterprise=OuterRef("enterprise")).order_by("-year")

    return (
        CreditCultivation.objects.visible_to(user)
        .select_related("enterprise__region__parent")
        .annotate(
            latest_year=Subquery(latest.values("year")[:1]),
            latest_stars=Subquery(latest.values("stars")[:1]),
            latest_body=Subquery(latest.values("rating_body")[:1]),
        )
    )


def enterprise_ratings(*, user: User, enterprise: Enterprise) -> QuerySet[CreditRating]:
    return CreditRating.objects.visible_to(user).filter(enterprise=enterprise)


# --- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    needs: int
    amount: Decimal
    granted_count: int
    granted_amount: Decimal


@dataclass(frozen=True)
class FinancingReport:
    by_region: list[ReportRow]
    by_kind: list[ReportRow]
    by_institution: list[ReportRow]
    srdi_firms_with_needs: int
    srdi_firms_met: int

    @property
    def srdi_share_met(self) -> Decimal | None:
        if not self.srdi_firms_with_needs:
            return None
        return (Decimal(self.srdi_firms_met) * 100 / self.srdi_firms_with_needs).quantize(
            Decimal("0.1")
        )


def _prefecture_of(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else path


def financing_report(
    *, user: User | None = None, within: str | None = None, day: datetime.date
) -> FinancingReport:
    """Needs and grants of the needs ``user`` sees (or of the region at path ``within``): by
    prefecture, by kind, by granting institution; and of the firms holding a valid SRDI
    certificate on ``day`` that filed a need, how many had one met. Five grouped queries."""
    needs = scoped(FinancingNeed.objects, user=user, within=within).exclude(
        status=NeedStatus.WITHDRAWN
    )
    granted = scoped(MatchOutcome.objects, user=user, within=within).filter(
        status=OutcomeStatus.GRANTED
    )
    names = dict(
        Region.objects.filter(level__in=(RegionLevel.PROVINCE, RegionLevel.PREFECTURE))
        .values_list("path", "name")
    )

    region_needs: dict[str, list] = {}
    for path, n, amount in (
        needs.order_by().values_list("enterprise__region__path")
        .annotate(n=Count("id"), amount=Sum("amount"))
    ):
        row = region_needs.setdefault(_prefecture_of(path), [0, ZERO, 0, ZERO])
        row[0] += n
        row[1] += amount or ZERO
    for path, n, amount in (
        granted.order_by().values_list("need__enterprise__region__path")
        .annotate(n=Count("id"), amount=Sum("granted_amount"))
    ):
        row = region_needs.setdefault(_prefecture_of(path), [0, ZERO, 0, ZERO])
        row[2] += n
        row[3] += amount or ZERO
    by_region = [
        ReportRow(path, names.get(path, path), *values)
        for path, values in sorted(region_needs.items())
    ]

    kinds: dict[str, list] = {}
    for kind, n, amount in (
        needs.order_by().values_list("kind").annotate(n=Count("id"), amount=Sum("amount"))
    ):
        kinds.setdefault(kind, [0, ZERO, 0, ZERO])[:2] = [n, amount or ZERO]
    for kind, n, amount in (
        granted.order_by().values_list("need__kind")
        .annotate(n=Count("id"), amount=Sum("granted_amount"))
    ):
        kinds.setdefault(kind, [0, ZERO, 0, ZERO])[2:] = [n, amount or ZERO]
    labels = dict(NeedKind.choices)
    by_kind = [ReportRow(k, str(labels.get(k, k)), *v) for k, v in sorted(kinds.items())]

    by_institution = [
        ReportRow(str(pk), f"{name} {branch}".strip(), 0, ZERO, n, amount or ZERO)
        for pk, name, branch, n, amount in (
            granted.order_by()
            .values_list("institution_id", "institution__name", "institution__branch")
            .annotate(n=Count("id"), amount=Sum("granted_amount"))
            .order_by("-amount")
        )
    ]

    certified = Certificate.objects.filter(certified_at(day), enterprise=OuterRef("enterprise"))
    srdi = (
        needs.filter(Exists(certified))
        .order_by()
        .aggregate(
            firms=Count("enterprise", distinct=True),
            met=Count("enterprise", distinct=True, filter=Q(status=NeedStatus.MET)),
        )
    )
    return FinancingReport(
        by_region=by_region,
        by_kind=by_kind,
        by_institution=by_institution,
        srdi_firms_with_needs=srdi["firms"],
        srdi_firms_met=srdi["met"],
    )


def _totals(rows: list[ReportRow]) -> dict[str, Decimal | int]:
    return {
        "needs": sum(r.needs for r in rows),
        "amount": sum((r.amount for r in rows), ZERO),
        "granted_count": sum(r.granted_count for r in rows),
        "granted_amount": sum((r.granted_amount for r in rows), ZERO),
    }


def report_totals(report: FinancingReport) -> dict[str, Decimal | int]:
    return _totals(report.by_kind)


# --- the plan's target ---------------------------------------------------------------------


def credit_cultivated_figure(
    *, target: PlanTarget, within: str, day: datetime.date, year: int
) -> int:
    """Firms of the region at path ``within`` on the credit-cultivation list by ``day``."""
    return CreditCultivation.objects.within(within).filter(admitted_on__lte=day).count()


PLAN_FIGURES = {PlanMetric.CREDIT_CULTIVATED: credit_cultivated_figure}


# --- the monthly report --------------------------------------------------------------------


def financing_period_figures(
    *, within: str, start: datetime.date, end: datetime.date
) -> dict[str, int | Decimal]:
    """What the monthly report says of financing in the region at path ``within``: needs
    filed in ``[start, end)`` and their amount, grants made then and their amount (万元),
    needs still open and firms on the credit-cultivation list at ``end``."""
    needs = FinancingNeed.objects.within(within)
    filed = needs.filter(filed_at__date__gte=start, filed_at__date__lt=end).aggregate(
        n=Count("id"), amount=Sum("amount")
    )
    granted = MatchOutcome.objects.within(within).filter(
        status=OutcomeStatus.GRANTED, granted_on__gte=start, granted_on__lt=end
    ).aggregate(n=Count("id"), amount=Sum("granted_amount"))
    return {
        "filed": filed["n"],
        "filed_amount": filed["amount"] or ZERO,
        "granted": granted["n"],
        "granted_amount": granted["amount"] or ZERO,
        "open": needs.filter(status__in=(NeedStatus.FILED, NeedStatus.MATCHING)).count(),
        "credit_cultivated": CreditCultivation.objects.within(within)
        .filter(admitted_on__lt=end).count(),
    }
