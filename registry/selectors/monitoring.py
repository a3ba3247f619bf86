"""Read paths of monitoring reports: lists, the verification queue, an enterprise's figures."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from gansu_sme.exceptions import OutOfScope
from registry.choices import PeriodKind, ReportStatus, SizeClass
from registry.models import Enterprise, MonitoringReport, MonitoringReportTransition
from registry.policies import REPORT_VERIFIER_ROLES

# Monthly reports an enterprise's page shows: the latest year's worth.
RECENT_MONTHS = 12


def monitoring_report_list(*, user: User) -> QuerySet[MonitoringReport]:
    """Reports the user may see, with what list pages and the API show eagerly loaded."""
    return MonitoringReport.objects.visible_to(user).select_related(
        "enterprise__region__parent", "enterprise__industry"
    )


def monitoring_report_get(*, user: User, pk: int) -> MonitoringReport:
    report = (
        monitoring_report_list(user=user)
        .select_related("created_by", "verified_by", "corrects")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise OutOfScope()
    return report


def monitoring_report_queue(*, user: User) -> QuerySet[MonitoringReport]:
    """Submitted reports waiting for this user's verification (待核实), oldest first.

    Only staff of the region an enterprise sits in verify its reports (county staff, or staff
    of a prefecture unit without counties), so the queue holds that region's reports alone.
    """
    if user.role not in REPORT_VERIFIER_ROLES or user.region_id is None:
        return MonitoringReport.objects.none()
    return (
        monitoring_report_list(user=user)
        .filter(status=ReportStatus.SUBMITTED, enterprise__region_id=user.region_id)
        .order_by("submitted_at", "id")
    )


def monitoring_report_transitions(
    *, report: MonitoringReport
) -> QuerySet[MonitoringReportTransition]:
    return report.transitions.select_related("actor")


def monitoring_report_current(
    *, user: User, enterprise: Enterprise, period_kind: str, year: int, period: int
) -> MonitoringReport | None:
    """The report of a period that counts now (verified, else the open one), or None."""
    reports = monitoring_report_list(user=user).filter(
        enterprise=enterprise, period_kind=period_kind, year=year, period=period
    ).exclude(status=ReportStatus.SUPERSEDED)
    return _current(reports).get((period_kind, year, period))


def _current(reports):
    """One report per period: the verified one where there is one, else the open one."""
    current = {}
    for report in reports:
        key = (report.period_kind, report.year, report.period)
        if key not in current or report.status == ReportStatus.VERIFIED:
            current[key] = report
    return current


@dataclass(frozen=True)
class ScaleChange:
    at: datetime
    size_class: str
    is_above_scale: bool
    figures_year: int | None

    @property
    def size_label(self):
        return SizeClass(self.size_class).label if self.size_class else ""


@dataclass(frozen=True)
class EnterpriseMonitoring:
    # The report that counts for each year, oldest first; then for the latest months.
    annual: list
    monthly: list
    # When the derived size class, above-scale status or figures year changed, newest first.
    scale_changes: list


def enterprise_monitoring(*, user: User, enterprise: Enterprise) -> EnterpriseMonitoring:
    """An enterprise's annual and recent monthly figures and the history of its size class.

    One query for the reports and one for the history, whatever their number.
    """
    reports = (
        monitoring_report_list(user=user)
        .filter(enterprise=enterprise, period_kind__in=(PeriodKind.YEAR, PeriodKind.MONTH))
        .exclude(status=ReportStatus.SUPERSEDED)
        .order_by("year", "period")
    )
    current = list(_current(reports).values())
    annual = [r for r in current if r.period_kind == PeriodKind.YEAR]
    monthly = [r for r in current if r.period_kind == PeriodKind.MONTH][-RECENT_MONTHS:]
    return EnterpriseMonitoring(annual, monthly, enterprise_scale_changes(enterprise=enterprise))


def enterprise_scale_changes(*, enterprise: Enterprise) -> list[ScaleChange]:
    """Each change of the derived figures, from the history the database triggers record."""
    events = (
        Enterprise.pgh_event_model.objects.filter(  # type: ignore[attr-defined]  # pghistory
            pgh_obj_id=enterprise.pk
        )
        .order_by("pgh_id")
        .values_list("pgh_created_at", "size_class", "is_above_scale", "figures_year")
    )
    changes, last = [], ("", False, None)
    for at, *derived in events:
        if tuple(derived) != last:
            changes.append(ScaleChange(at, *derived))
            last = tuple(derived)
    changes.reverse()
    return changes
