"""Read paths of reports, notifications and the dashboard."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from certification.choices import CertificateLevel
from certification.models import Certificate
from gansu_sme.exceptions import OutOfScope
from registry.choices import PeriodKind, PoolEntryStatus, PoolKind, ReportStatus
from registry.models import MonitoringReport, PoolEntry, Region

from .choices import ReportKind
from .figures import certified_at, target_figures
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


def funnel(*, user: User) -> dict[str, int]:
    """Active 专精特新 pool entries → firms with a valid provincial certificate → national
    little giants, in the user's region and below, today."""
    today = timezone.localdate()
    valid = Certificate.objects.visible_to(user).filter(certified_at(today))
    return {
        "pool": PoolEntry.objects.visible_to(user)
        .filter(pool=PoolKind.ZJTX, status=PoolEntryStatus.ACTIVE)
        .count(),
        "certified": valid.filter(level=CertificateLevel.PROVINCIAL).count(),
        "little_giant": valid.filter(level=CertificateLevel.NATIONAL).count(),
    }


def target_rows(*, user: User, year: int) -> list[dict[str, Any]]:
    """This year's targets of the user's region and the regions one level below, with the
    actual figure now, counted as the KPI report counts them (``figures.target_figures``)."""
    region = _user_region(user)
    if region is None:
        return []
    depth = region.path.count("/")
    rows = []
    for item in target_figures(user=user, year=year, as_of=timezone.now()):
        target = item.target
        if target.region.path.count("/") > depth + 1:
            continue
        share = item.percent
        rows.append(
            {
                "region": target.region.name,
                "metric": target.get_metric_display(),
                "target": target.value,
                "actual": item.actual,
                "percent": share,
                "bar": 0 if share is None else int(min(max(share, 0), 100)),
            }
        )
    return rows


def monthly_trend(*, user: User, year: int) -> list[dict[str, Any]]:
    """Filed monthly totals (the verified report, else the submitted one) of operating
    revenue and taxes (万元) and employees, per month of ``year``, in the user's region and
    below: one grouped query."""
    verified = MonitoringReport.objects.filter(
        enterprise=OuterRef("enterprise"), period_kind=PeriodKind.MONTH, year=year,
        period=OuterRef("period"), status=ReportStatus.VERIFIED,
    )
    rows = (
        MonitoringReport.objects.visible_to(user)
        .alias(has_verified=Exists(verified))
        .filter(period_kind=PeriodKind.MONTH, year=year)
        .filter(
            Q(status=ReportStatus.VERIFIED) | Q(status=ReportStatus.SUBMITTED, has_verified=False)
        )
        .order_by("period")
        .values("period")
        .annotate(
            operating_revenue=Sum("operating_revenue"),
            taxes=Sum("taxes"),
            employees=Sum("employees"),
        )
    )
    return list(rows)
