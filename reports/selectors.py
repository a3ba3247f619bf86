"""Read paths of reports, notifications and the dashboard."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import User
from certification.choices import CertificateLevel
from certification.selectors.targets import certified_counts
from gansu_sme.exceptions import OutOfScope
from registry import metrics as kept
from registry.choices import PeriodKind, PoolEntryStatus, PoolKind
from registry.models import Enterprise, PoolEntry, Region
from registry.selectors.figures import figure_totals

from .choices import ReportKind
from .figures import (
    TargetFigure,
    last_closed_month,
    percent,
    still_filing,
    target_figures,
)
from .models import Notification, Report


def report_list(*, user: User) -> QuerySet[Report]:
    """Reports of the user's region and below, without the figures and the workbook."""
    return Report.objects.visible_to(user).select_related("region__parent").defer("data", "xlsx")


def report_get(*, user: User, pk: int, with_workbook: bool = False) -> Report:
    reports = Report.objects.visible_to(user).select_related("region")
    if not with_workbook:
        reports = reports.defer("xlsx")
    report = reports.filter(pk=pk).first()
    if report is None:
        raise OutOfScope()
    return report


def report_latest(*, user: User, kind: str = ReportKind.MONTHLY) -> Report | None:
    """The newest report of ``kind`` for the user's own region (the province for accounts
    without a region that see everything), or None."""
    reports = report_list(user=user).filter(kind=kind)
    path = user.scope_path
    reports = reports.filter(region__path=path) if path else reports.filter(region__parent=None)
    return reports.order_by("-year", "-period").first()


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user)


def unread_count(user: User) -> int:
    """Unread notifications of the user; one query, for the navigation badge."""
    return Notification.objects.visible_to(user).unread().count()


def _user_region(user):
    if user.scope_path:
        return user.region
    return Region.objects.filter(parent=None).first()


def region_focus(*, user: User, code: str | None = None) -> Region | None:
    """The region the dashboard summarises: the one with ``code`` if the user sees it (else
    OutOfScope), by default the user's own region (the province for accounts that see every
    region)."""
    if code:
        region = Region.objects.visible_to(user).filter(code=code).first()
        if region is None:
            raise OutOfScope()
        return region
    return _user_region(user)


@dataclass
class AreaRow:
    """One line of the dashboard's summary: a region below the focus (or the focus itself,
    for a county), its figures, and its targets of the year."""

    region: Region
    has_children: bool = False
    enterprises: int = 0
    pool: int = 0
    certified: int = 0
    little_giant: int = 0
    # Filed figures of the month whose filing has closed (``AreaSummary.month``).
    revenue: Decimal | None = None
    filed: int = 0
    expected: int = 0
    targets: list[TargetFigure] = field(default_factory=list)

    @property
    def filing_rate(self) -> Decimal | None:
        return percent(self.filed, self.expected)

    @property
    def targets_met(self) -> int:
        return sum(1 for item in self.targets if item.percent is not None and item.percent >= 100)


@dataclass
class AreaSummary:
    focus: Region
    month: tuple[int, int]
    rows: list[AreaRow]
    total: AreaRow
    # Targets set for the focus region itself (the province's own, or a city's).
    own_targets: list[TargetFigure]


def _under(path: str, depth: int) -> str:
    """The ancestor of ``path`` at ``depth`` (0 the province), or ``path`` if it is above."""
    return "/".join(path.split("/")[: depth + 1])


def area_summary(*, focus: Region, today: datetime.date | None = None) -> AreaSummary:
    """The focus region's figures by the regions one level below it (prefecture units under
    the province, counties under a prefecture; a county is its own single row), with a totals
    row: active enterprises, active 专精特新 pool entries, valid provincial and national
    certificates today, the month whose filing has closed (operating revenue filed, firms that
    filed out of active firms), and each region's targets of the year with their progress.

    ``focus`` must come from ``region_focus`` (scoped to the user). Costs the same number of
    queries whatever the number of regions and firms.
    """
    today = today or timezone.localdate()
    path = focus.path
    children = list(Region.objects.filter(parent=focus).order_by("path"))
    regions = children or [focus]
    depth = path.count("/") + (1 if children else 0)
    rows = {region.path: AreaRow(region=region) for region in regions}
    with_children = set(
        Region.objects.filter(parent__in=children).values_list("parent__path", flat=True)
    )
    for row in rows.values():
        row.has_children = row.region.path in with_children

    def add(queryset, attribute):
        for region_path, value in queryset:
            row = rows.get(_under(region_path, depth))
            if row is not None and value is not None:
                setattr(row, attribute, (getattr(row, attribute) or 0) + value)

    add(
        Enterprise.objects.within(path).filter(is_active=True).order_by()
        .values_list("region__path").annotate(n=Count("id")),
        "enterprises",
    )
    add(
        PoolEntry.objects.within(path).filter(pool=PoolKind.ZJTX, status=PoolEntryStatus.ACTIVE)
        .order_by().values_list("enterprise__region__path").annotate(n=Count("id")),
        "pool",
    )
    year, month = last_closed_month(today)
    # The month's filed figures, from the figures kept per region (registry.selectors.figures).
    attributes = {kept.OPERATING_REVENUE: "revenue", kept.FILED_ACTIVE: "filed"}
    filed = figure_totals(
        periods=[(PeriodKind.MONTH, year, month)], metrics_wanted=list(attributes),
        within=path, depth=depth,
    )
    for (region_path, _kind, _year, _month, metric), value in filed.items():
        area = rows.get(region_path)
        if area is not None:
            setattr(area, attributes[metric], value)
    certified = certified_counts(day=today, within=path)
    for row in rows.values():
        # Every active firm is expected to file its monthly report.
        row.expected = row.enterprises
        row.certified = certified.get((row.region.path, CertificateLevel.PROVINCIAL), 0)
        row.little_giant = certified.get((row.region.path, CertificateLevel.NATIONAL), 0)

    own_targets = []
    for item in target_figures(within=path, year=today.year, as_of=timezone.now()):
        target_path = item.target.region.path
        if target_path in rows:
            rows[target_path].targets.append(item)
        elif target_path == path:
            own_targets.append(item)

    total = AreaRow(region=focus, has_children=bool(children))
    for row in rows.values():
        for name in ("enterprises", "pool", "certified", "little_giant", "filed", "expected"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        if row.revenue is not None:
            total.revenue = (total.revenue or Decimal(0)) + row.revenue
    return AreaSummary(
        focus=focus, month=(year, month), rows=list(rows.values()), total=total,
        own_targets=own_targets,
    )


# Below this share of the firms that filed an earlier month, a month's totals are partial.
FILED_SHARE = Decimal("0.9")


def monthly_trend(
    *, focus: Region, year: int, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Filed monthly totals (the verified report, else the submitted one) of operating
    revenue and taxes (万元), employees and filing firms, per month of ``year``, in the focus
    region and below: one query of the kept figures (``registry.selectors.figures``). A month
    still being filed (``figures.still_filing``) is marked ``incomplete``, as is a month fewer
    firms have filed than ``FILED_SHARE`` of the most that filed an earlier month: its totals
    are partial and must not read as a fall."""
    today = today or timezone.localdate()
    names = (kept.OPERATING_REVENUE, kept.TAXES, kept.EMPLOYEES)
    totals = figure_totals(
        periods=[(PeriodKind.MONTH, year, month) for month in range(1, 13)],
        metrics_wanted=[*names, kept.FILED], within=focus.path,
    )
    rows = [
        {
            "period": month,
            **{name: totals.get((focus.path, PeriodKind.MONTH, year, month, name))
               for name in names},
            "firms": totals[(focus.path, PeriodKind.MONTH, year, month, kept.FILED)],
        }
        for month in range(1, 13)
        if (focus.path, PeriodKind.MONTH, year, month, kept.FILED) in totals
    ]
    trend, most_firms = [], 0
    for row in rows:
        # Partial too: a month fewer firms have filed than FILED_SHARE of the most that filed
        # a month before it, whatever the date (late filers, a deadline extended).
        firms = int(row["firms"] or 0)
        partial = firms < FILED_SHARE * most_firms
        trend.append({**row, "incomplete": still_filing(year, row["period"], today) or partial})
        most_firms = max(most_firms, firms)
    return trend
