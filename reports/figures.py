"""The figures of the reports (``reports.builders`` composes them per kind), per region.

Every figure is an aggregate query over the rows of the region and the regions below it
(``within(region.path)``, the rule under every user's ``visible_to``), so a county's
report, its city's and the province's add up. Amounts stay
Decimals and are stored as strings, percentages are rounded half up to two decimals; both are
what the tests recompute with plain SQL.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from certification.choices import CertificateLevel, CertificateStatus
from certification.models import Certificate
from certification.selectors.targets import certified_at
from registry import metrics as kept
from registry.choices import (
    PeriodKind,
    PoolEntryStatus,
    PoolKind,
    PoolTier,
    ReportStatus,
    SizeClass,
    TargetMetric,
)
from registry.models import Enterprise, MonitoringReport, PoolEntry, Target
from registry.selectors.figures import figure_totals
from registry.selectors.targets import target_progress

from .choices import (
    INFORMATIZATION_TARGET,
    MONITORING_DUE_DAY,
    RD_TARGET_ABOVE_SCALE,
    RD_TARGET_ZJTX,
)

ECONOMY_FIGURES = ("operating_revenue", "taxes", "employees")
# Reports whose figures still wait for the verifying official: their flags are open.
FLAGS_OPEN = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)
EXPIRING_WITHIN_DAYS = 90


@dataclass(frozen=True)
class Period:
    """A report period of ``span_months`` months, the ``number``-th of its year: ``start``
    inclusive, ``end`` exclusive (dates, local time)."""

    span_months: int
    year: int
    number: int

    @property
    def start(self):
        return datetime.date(self.year, self.span_months * (self.number - 1) + 1, 1)

    @property
    def end(self):
        month = self.start.month + self.span_months
        return datetime.date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def last_day(self):
        return self.end - datetime.timedelta(days=1)

    @property
    def start_at(self):
        return _midnight(self.start)

    @property
    def end_at(self):
        return _midnight(self.end)

    @property
    def months(self):
        """The (year, month) pairs the period covers."""
        first = self.start.month
        return [(self.year, first + i) for i in range(self.span_months)]

    def previous_month(self):
        year, month = self.months[-1]
        return (year, month - 1) if month > 1 else (year - 1, 12)


def filing_closes(year, month):
    """The day a month's monitoring reports are due: day 15 of the following month."""
    if month == 12:
        return datetime.date(year + 1, 1, MONITORING_DUE_DAY)
    return datetime.date(year, month + 1, MONITORING_DUE_DAY)


def still_filing(year, month, today=None):
    """Whether the month's reports are still being filed on ``today``: the month has not
    ended, or its reports are not yet due. Its totals are partial, not a fall."""
    today = today or timezone.localdate()
    return today <= filing_closes(year, month)


def last_closed_month(today=None):
    """The latest (year, month) whose filing has closed by ``today``."""
    today = today or timezone.localdate()
    year, month = today.year, today.month - 1
    while True:
        if month == 0:
            year, month = year - 1, 12
        if not still_filing(year, month, today):
            return year, month
        month -= 1


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def percent(part, whole):
    """``part`` as a percentage of ``whole``, two decimals, or None when ``whole`` is 0/None."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def growth(current, previous):
    if current is None or not previous:
        return None
    return percent(Decimal(current) - Decimal(previous), previous)


def as_text(value):
    """JSON keeps amounts and percentages exact as strings."""
    return None if value is None else str(value)


def filed_reports(region, kind, year, period):
    """The figures that count for a firm and period: the verified report, or the submitted one
    while none is verified. Drafts and returned reports are not filed; a superseded one was
    replaced by its verified correction."""
    same = MonitoringReport.objects.filter(
        enterprise=OuterRef("enterprise"), period_kind=kind, year=year, period=period,
        status=ReportStatus.VERIFIED,
    )
    return (
        MonitoringReport.objects.within(region.path)
        .alias(verified=Exists(same))
        .filter(period_kind=kind, year=year, period=period)
        .filter(Q(status=ReportStatus.VERIFIED) | Q(status=ReportStatus.SUBMITTED, verified=False))
    )


def _kept(region, kind, year, number, names):
    """The kept figures ``names`` of the region and below for one period, as
    ``filed_reports`` would aggregate them (``registry.selectors.figures``): counts 0 and
    sums None where nothing was filed. One small query."""
    totals = figure_totals(periods=[(kind, year, number)], metrics_wanted=names,
                           within=region.path)
    return {
        name: totals.get(
            (region.path, kind, year, number, name),
            None if name in kept.SUM_METRICS else 0,
        )
        for name in names
    }


def _economy(region, kind, year, number):
    totals = _kept(region, kind, year, number, [kept.FILED, *ECONOMY_FIGURES])
    return {"reports": totals[kept.FILED], **{name: totals[name] for name in ECONOMY_FIGURES}}


def pool_sizes(region, period):
    """Entries in each pool and tier at the end of the period, counted as the KPI report
    counts the targets (``target_progress(as_of=...)``): admitted before the period ended and
    not closed before it. ``firms`` counts each enterprise once, though it may have an entry
    in both pools."""
    in_pool = PoolEntry.objects.within(region.path).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=period.end_at),
        admitted_at__lt=period.end_at,
    )
    rows = in_pool.order_by().values_list("pool", "tier").annotate(n=Count("id"))
    counts = {(pool, tier): n for pool, tier, n in rows}
    sizes = {}
    for pool in PoolKind.values:
        tiers = {tier: counts.get((pool, tier), 0) for tier in PoolTier.values}
        sizes[pool] = {**tiers, "total": sum(tiers.values())}
    sizes["firms"] = in_pool.aggregate(n=Count("enterprise", distinct=True))["n"]
    return sizes


def pool_moves(region, period):
    """Admissions (new entries, promotions not counted) and closings recorded in the period."""
    entries = PoolEntry.objects.within(region.path)
    admitted = entries.filter(
        admitted_at__gte=period.start_at, admitted_at__lt=period.end_at, promoted_from__isnull=True
    ).count()
    closed = dict(
        entries.filter(closed_at__gte=period.start_at, closed_at__lt=period.end_at)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {
        "admitted": admitted,
        "promoted": closed.get(PoolEntryStatus.PROMOTED, 0),
        "graduated": closed.get(PoolEntryStatus.GRADUATED, 0),
        "removed": closed.get(PoolEntryStatus.REMOVED, 0),
    }


def monitoring_rates(region, kind, year, number):
    """Of the region's active firms, how many filed the period's report (a month's, or a
    year's annual report) and how many of those were verified."""
    expected = Enterprise.objects.within(region.path).filter(is_active=True).count()
    filed = _kept(region, kind, year, number, [kept.FILED_ACTIVE, kept.VERIFIED_ACTIVE])
    counts = {"submitted": filed[kept.FILED_ACTIVE], "verified": filed[kept.VERIFIED_ACTIVE]}
    return {
        "expected": expected,
        "submitted": counts["submitted"],
        "verified": counts["verified"],
        "submission_rate": as_text(percent(counts["submitted"], expected)),
        "verification_rate": as_text(percent(counts["verified"], counts["submitted"])),
    }


def economy(region, period):
    """Totals of the filed monthly figures and their growth on the month before and on the
    same month a year earlier (as filed then: the firms filing may differ)."""
    year, month = period.months[-1]
    now = _economy(region, PeriodKind.MONTH, year, month)
    before = _economy(region, PeriodKind.MONTH, *period.previous_month())
    last_year = _economy(region, PeriodKind.MONTH, year - 1, month)
    return {
        "reports": now["reports"],
        **{name: as_text(now[name]) for name in ECONOMY_FIGURES},
        "previous_month": {name: as_text(before[name]) for name in ECONOMY_FIGURES},
        "same_month_last_year": {name: as_text(last_year[name]) for name in ECONOMY_FIGURES},
        "growth_on_previous_month": {
            name: as_text(growth(now[name], before[name])) for name in ECONOMY_FIGURES
        },
        "growth_year_on_year": {
            name: as_text(growth(now[name], last_year[name])) for name in ECONOMY_FIGURES
        },
    }


def annual_economy(region, year):
    """Totals of the year's filed annual reports and their growth on the year before (as filed
    then: the firms filing may differ)."""
    now = _economy(region, PeriodKind.YEAR, year, 0)
    last_year = _economy(region, PeriodKind.YEAR, year - 1, 0)
    return {
        "reports": now["reports"],
        **{name: as_text(now[name]) for name in ECONOMY_FIGURES},
        "previous_year": {name: as_text(last_year[name]) for name in ECONOMY_FIGURES},
        "growth_year_on_year": {
            name: as_text(growth(now[name], last_year[name])) for name in ECONOMY_FIGURES
        },
    }


def _annual(region, year):
    return MonitoringReport.objects.within(region.path).filter(
        period_kind=PeriodKind.YEAR, year=year, status=ReportStatus.VERIFIED
    )


def _above_scale_smes():
    # Above scale and not large, as classified from each firm's latest verified annual report.
    return Q(enterprise__is_above_scale=True) & ~Q(enterprise__size_class=SizeClass.LARGE)


def _rd(reports, target):
    totals = reports.filter(
        rd_expense__isnull=False, main_business_revenue__isnull=False
    ).aggregate(
        firms=Count("enterprise", distinct=True),
        rd_expense=Sum("rd_expense"),
        main_business_revenue=Sum("main_business_revenue"),
    )
    intensity = percent(totals["rd_expense"], totals["main_business_revenue"])
    return {
        "firms": totals["firms"],
        "rd_expense": as_text(totals["rd_expense"]),
        "main_business_revenue": as_text(totals["main_business_revenue"]),
        "intensity": as_text(intensity),
        "target": str(target),
        "met": None if intensity is None else intensity >= Decimal(str(target)),
    }


def rd_intensity(region, period, year=None):
    """R&D expense against main-business revenue in the verified annual reports of ``year``
    (by default the last complete year before the period): of above-scale SMEs (target
    1.5 %) and of 专精特新 SMEs, the firms holding a valid certificate at the period's end
    (target 3 %)."""
    year = period.year - 1 if year is None else year
    reports = _annual(region, year)
    certified = Certificate.objects.filter(
        certified_at(period.last_day), enterprise=OuterRef("enterprise")
    )
    return {
        "year": year,
        "above_scale": _rd(reports.filter(_above_scale_smes()), RD_TARGET_ABOVE_SCALE),
        "zjtx": _rd(reports.filter(Exists(certified)), RD_TARGET_ZJTX),
    }


def informatization(region, period, year=None):
    """Digital R&D tools, CNC ratio, cloud and e-commerce among above-scale SMEs, from the
    verified annual reports of ``year`` (by default the last complete year before the
    period); the plan's goal is 50 % for the first two."""
    year = period.year - 1 if year is None else year
    totals = _annual(region, year).filter(_above_scale_smes()).aggregate(
        firms=Count("id"),
        digital_yes=Count("id", filter=Q(uses_digital_rd_tools=True)),
        digital_answered=Count("id", filter=Q(uses_digital_rd_tools__isnull=False)),
        cnc_average=Avg("cnc_ratio"),
        cnc_answered=Count("id", filter=Q(cnc_ratio__isnull=False)),
        cloud_yes=Count("id", filter=Q(uses_cloud=True)),
        cloud_answered=Count("id", filter=Q(uses_cloud__isnull=False)),
        ecommerce_yes=Count("id", filter=Q(uses_ecommerce=True)),
        ecommerce_answered=Count("id", filter=Q(uses_ecommerce__isnull=False)),
    )
    target = Decimal(str(INFORMATIZATION_TARGET))
    digital = percent(totals["digital_yes"], totals["digital_answered"])
    cnc = totals["cnc_average"]
    cnc = None if cnc is None else Decimal(cnc).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {
        "year": year,
        "firms": totals["firms"],
        "digital_rd_tools": {
            "yes": totals["digital_yes"], "answered": totals["digital_answered"],
            "rate": as_text(digital), "target": str(target),
            "met": None if digital is None else digital >= target,
        },
        "cnc_ratio": {
            "answered": totals["cnc_answered"], "average": as_text(cnc), "target": str(target),
            "met": None if cnc is None else cnc >= target,
        },
        "cloud": {
            "yes": totals["cloud_yes"], "answered": totals["cloud_answered"],
            "rate": as_text(percent(totals["cloud_yes"], totals["cloud_answered"])),
        },
        "ecommerce": {
            "yes": totals["ecommerce_yes"], "answered": totals["ecommerce_answered"],
            "rate": as_text(percent(totals["ecommerce_yes"], totals["ecommerce_answered"])),
        },
    }


def quality_flags(region):
    """Data-quality flags on reports not yet verified (any period), by rule, when generated."""
    by_rule = {}
    flagged = 0
    rows = (
        MonitoringReport.objects.within(region.path)
        .filter(status__in=FLAGS_OPEN)
        .exclude(flags=[])
        .values_list("flags", flat=True)
    )
    for flags in rows.iterator():
        flagged += 1
        for flag in flags:
            by_rule[flag["rule"]] = by_rule.get(flag["rule"], 0) + 1
    return {
        "reports": flagged, "flags": sum(by_rule.values()), "by_rule": dict(sorted(by_rule.items()))
    }


def certificates(region, period):
    """Issued, revoked and ended in the period; valid at its end, and of those the ones ending
    within 90 days."""
    certs = Certificate.objects.within(region.path)
    valid = certs.filter(certified_at(period.last_day))
    horizon = period.last_day + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    return {
        "issued": certs.filter(issued_on__gte=period.start, issued_on__lt=period.end).count(),
        "revoked": certs.filter(
            revoked_at__gte=period.start_at, revoked_at__lt=period.end_at
        ).count(),
        "expired": certs.filter(
            valid_until__gte=period.start, valid_until__lt=period.end
        ).exclude(status=CertificateStatus.REVOKED).count(),
        "valid_provincial": valid.filter(level=CertificateLevel.PROVINCIAL).count(),
        "valid_national": valid.filter(level=CertificateLevel.NATIONAL).count(),
        "expiring_90_days": valid.filter(valid_until__lt=horizon).count(),
    }


def _annual_reports_in(user, within, year, as_of):
    """Region paths (with every region above) that hold a verified annual report of ``year``;
    none while the year has not ended at ``as_of``, as its annual reports cannot exist yet."""
    if as_of < _midnight(datetime.date(year + 1, 1, 1)):
        return set()
    totals = figure_totals(
        periods=[(PeriodKind.YEAR, year, 0)], metrics_wanted=[kept.VERIFIED], user=user,
        within=within,
    )
    return {path for (path, *_rest), n in totals.items() if n}


@dataclass(frozen=True)
class TargetFigure:
    target: Target
    # None while the figure cannot be said yet (net new above-scale firms before the year's
    # verified annual reports).
    actual: int | None

    @property
    def percent(self):
        return percent(self.actual, self.target.value)


def target_figures(*, year, as_of, user=None, within=None):
    """Every target of ``year`` the user sees (or of the region at path ``within``, for the
    KPI report), with its actual figure at the moment ``as_of``, one rule for the KPI report
    and the dashboard:

    - pool sizes: entries in the pool at ``as_of``, certified firms and little giants:
      certificates valid on the last day before ``as_of`` (both ``target_progress``);
    - net new above-scale firms: from the verified annual reports of the year and the year
      before, so None ("annual reports pending") until the year has ended and the region has
      a verified annual report of it.

    Costs at most five queries whatever the number of targets, regions and firms.
    """
    progress = target_progress(user=user, within=within, year=year, as_of=as_of)
    metrics = {item.target.metric for item in progress}
    reported = (
        _annual_reports_in(user, within, year, as_of)
        if TargetMetric.NET_NEW_ABOVE_SCALE in metrics
        else set()
    )
    rows = []
    for item in progress:
        target, actual = item.target, item.actual
        if target.metric == TargetMetric.NET_NEW_ABOVE_SCALE and (
            target.region.path not in reported
        ):
            actual = None
        rows.append(TargetFigure(target=target, actual=actual))
    return rows
