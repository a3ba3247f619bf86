"""The figures certification supplies to the registry's targets and plans: certificates valid
on a day and national recommendations, counted per region. The certification app registers
these in ``registry.metrics`` (``CertificationConfig.ready``), since the registry below it may
not import it."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from certification.choices import CertificateLevel, CertificateStatus
from certification.models import Certificate, NationalRecommendation
from gansu_sme.querysets import scoped
from registry.choices import PeriodKind, PlanMetric, ReportStatus, TargetMetric
from registry.models import MonitoringReport, PlanTarget
from registry.selectors.plans import rd_intensity


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def certified_at(day: datetime.date) -> Q:
    """Certificates valid on ``day``: issued by then, not yet ended, not revoked before it."""
    return Q(issued_on__lte=day, valid_until__gte=day) & ~Q(
        status=CertificateStatus.REVOKED, revoked_at__lt=_midnight(day + datetime.timedelta(1))
    )


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def certified_counts(
    *, day: datetime.date, user: User | None = None, within: str | None = None
) -> dict[tuple[str, str], int]:
    """Certificates valid on ``day`` per region subtree and level, of the certificates
    ``user`` sees (or of the region at path ``within``): one grouped query. Keys are
    ``(region path, level)``."""
    rows = (
        scoped(Certificate.objects, user=user, within=within)
        .filter(certified_at(day))
        .order_by()
        .values_list("enterprise__region__path", "level")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[str, str], int] = {}
    for path, level, n in rows:
        for ancestor in _ancestors(path):
            counts[(ancestor, level)] = counts.get((ancestor, level), 0) + n
    return counts


def _level_counter(level):
    def count(*, day, user=None, within=None):
        return {
            path: n
            for (path, row_level), n in certified_counts(day=day, user=user, within=within).items()
            if row_level == level
        }

    return count


# Yearly targets: certificates of the level valid on the day counted.
TARGET_COUNTERS = {
    TargetMetric.CERTIFIED: _level_counter(CertificateLevel.PROVINCIAL),
    TargetMetric.LITTLE_GIANT: _level_counter(CertificateLevel.NATIONAL),
}


def _valid(level):
    def figure(*, target: PlanTarget, within: str, day: datetime.date, year: int) -> int:
        return Certificate.objects.within(within).filter(certified_at(day), level=level).count()

    return figure


def _recommended(*, target: PlanTarget, within: str, day: datetime.date, year: int) -> int:
    """National recommendations made in the plan's years up to the day counted."""
    return NationalRecommendation.objects.filter(
        enterprise__region__path__startswith=within,
        year__gte=target.plan.first_year, year__lte=day.year,
    ).count()


def _rd_srdi(
    *, target: PlanTarget, within: str, day: datetime.date, year: int
) -> Decimal | None:
    """R&D intensity of the firms holding a valid SRDI certificate (either level) at the end
    of ``year``, from their verified annual reports of ``year``."""
    certified = Certificate.objects.filter(
        certified_at(datetime.date(year, 12, 31)), enterprise=OuterRef("enterprise")
    )
    rows = (
        MonitoringReport.objects.within(within)
        .filter(Exists(certified), period_kind=PeriodKind.YEAR, year=year,
                status=ReportStatus.VERIFIED)
        .values("rd_expense", "main_business_revenue")
    )
    return rd_intensity(list(rows))


PLAN_FIGURES = {
    PlanMetric.CERTIFIED: _valid(CertificateLevel.PROVINCIAL),
    PlanMetric.LITTLE_GIANTS: _valid(CertificateLevel.NATIONAL),
    PlanMetric.RECOMMENDED: _recommended,
    PlanMetric.RD_SRDI: _rd_srdi,
}
