"""Demo reports and reminders: the latest monthly and quarterly reports of every region and
today's reminders, generated from the demo data as the scheduled tasks would (in process, so
``load_demo`` needs no worker). Safe to re-run: reports are replaced, reminders deduplicated."""

from dataclasses import dataclass

from reports.choices import ReportKind
from reports.services.notifications import notifications_remind
from reports.services.reports import report_generate, report_regions
from reports.specs import last_complete_period


@dataclass(frozen=True)
class DemoReportsResult:
    reports: int
    notifications: int


def demo_reports_load(today=None):
    count = 0
    region_ids = list(report_regions().values_list("pk", flat=True))
    for kind in (ReportKind.MONTHLY, ReportKind.QUARTERLY_KPI):
        period = last_complete_period(kind, today)
        for region_id in region_ids:
            report_generate(
                kind=kind, year=period.year, period=period.number, region_id=region_id
            )
            count += 1
    return DemoReportsResult(reports=count, notifications=notifications_remind(today=today))
