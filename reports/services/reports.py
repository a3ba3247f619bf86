"""Generating and storing reports: once per kind × period × region, replaced when re-run."""

import datetime
import io
import json
from decimal import Decimal, InvalidOperation

import xlsxwriter
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from gansu_sme.dbrouting import replica_reads
from gansu_sme.excel.writer import escape_cell
from registry.models import Region

from .. import layout
from ..figures import Period
from ..models import Report
from ..specs import SPECS, last_complete_period, spec_for


def _cell(sheet, row, col, value, kind, formats):
    """A figure as a number in the format of its kind (thousands separators, two decimals for
    money, one for percentages), so superiors can add it up; text stays text."""
    if value is None or value == "":
        return
    if kind in formats and not isinstance(value, bool):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is not None:
            # A float holds a two-decimal figure exactly enough for Excel, which keeps doubles.
            sheet.write_number(row, col, float(number), formats[kind])
            return
    sheet.write_string(row, col, escape_cell(str(value)))


def _workbook(spec, region, period, data, generated_at):
    """The XLSX: a cover sheet (what, where, when, how counted) and the figures sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 16})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header = book.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True}
    )
    # An official document sent to superiors: Chinese whatever the reader's language.
    with translation.override("zh-hans"):
        cover = book.add_worksheet("封面")
        cover.set_column(0, 0, 18)
        cover.set_column(1, 1, 70)
        named = Report(kind=spec.kind, year=period.year, period=period.number, region=region)
        cover.write_string(0, 0, escape_cell(named.title_zh), title)
        lines = [
            ("报告期", named.period_label),
            ("地区", f"{region.name}（{region.code}）"),
            ("统计范围", "本地区及所辖地区"),
            ("生成时间", timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")),
            ("口径说明", spec.notes_zh),
        ]
        for row, (label, text) in enumerate(lines, start=2):
            cover.write_string(row, 0, label, bold)
            cover.write_string(row, 1, escape_cell(text), wrap)
        sheet = book.add_worksheet("指标")
        for col, (name, width) in enumerate((
            ("类别", 34), ("指标", 44), ("数值", 16), ("单位", 10), ("目标", 10),
            (spec.result_column_zh, 12),
        )):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, name, header)
        sheet.freeze_panes(1, 0)
        formats = {
            layout.COUNT: book.add_format({"num_format": "#,##0"}),
            layout.AMOUNT: book.add_format({"num_format": "#,##0.00"}),
            layout.YUAN: book.add_format({"num_format": "#,##0.00"}),
            layout.PERCENT: book.add_format({"num_format": "0.0"}),
        }
        for number, row in enumerate(spec.rows(data), start=1):
            sheet.write_string(number, 0, escape_cell(row.section))
            sheet.write_string(number, 1, escape_cell(row.label))
            _cell(sheet, number, 2, row.value, row.kind, formats)
            sheet.write_string(number, 3, escape_cell(row.unit))
            _cell(sheet, number, 4, row.target, row.kind, formats)
            if isinstance(row.met, bool):
                sheet.write_string(number, 5, "是" if row.met else "否")
            else:
                _cell(sheet, number, 5, row.met, layout.PERCENT, formats)
    book.close()
    return buffer.getvalue()


def report_generate(*, kind: str, year: int, period: int, region_id: int) -> Report:
    """Compute one report and store it, replacing the stored one of the same kind, period and
    region (unique constraint, upsert), so any number of runs leave one row.

    The figures are read before the write, outside any transaction of this function, so that
    with a read replica they come from it (``gansu_sme.dbrouting``); a caller inside a
    transaction reads them from the primary.

    Preconditions: the period has a valid number for the kind. Side effects: one Report row
    written (figures and workbook). Returns the report.
    """
    spec = spec_for(kind)
    window = spec.period(year, period)
    generated_at = timezone.now()
    with replica_reads():
        region = Region.objects.get(pk=region_id)
        data = {
            "kind": kind,
            "year": year,
            "period": period,
            "region": {"code": region.code, "name": region.name, "level": region.level},
            "generated_at": generated_at.isoformat(),
            **spec.builder(region, window),
        }
    workbook = _workbook(spec, region, window, data, generated_at)
    report, _ = Report.objects.update_or_create(
        kind=kind,
        year=year,
        period=period,
        region=region,
        defaults={
            "data": data,
            "xlsx": workbook,
            "generated_at": generated_at,
        },
    )
    return report


def report_regions() -> QuerySet[Region]:
    """The regions a report is made for: the province, every prefecture unit, every county."""
    return Region.objects.order_by("path")


def reports_generate_due(*, kind: str, today: datetime.date | None = None) -> Period:
    """Enqueue the generation of the last complete period's report for every region, one task
    per region (each its own transaction and retry), once the surrounding transaction commits.

    Returns the period.
    """
    from reports import tasks

    window = last_complete_period(kind, today)
    region_ids = list(report_regions().values_list("pk", flat=True))

    def enqueue():
        for region_id in region_ids:
            tasks.report_generate_task.delay(kind, window.year, window.number, region_id)

    transaction.on_commit(enqueue)
    return window


SCHEDULE_TIMEZONE = "Asia/Shanghai"
DUE_TASK = "reports.tasks.reports_generate_due_task"


def report_schedules_install() -> None:
    """Give every report kind its periodic task, from its spec's schedule.

    Run after every migrate, so a new kind is scheduled by declaring its spec. A row already
    there keeps its timing (officials may change it in the admin); only the task it runs is
    set. Idempotent.
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for spec in SPECS.values():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=spec.schedule.minute,
            hour=spec.schedule.hour,
            day_of_month=spec.schedule.day_of_month,
            month_of_year=spec.schedule.month_of_year,
            day_of_week="*",
            timezone=SCHEDULE_TIMEZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=spec.schedule_name,
            defaults={"task": DUE_TASK, "args": "[]", "kwargs": json.dumps({"kind": spec.kind})},
            create_defaults={
                "task": DUE_TASK,
                "args": "[]",
                "kwargs": json.dumps({"kind": spec.kind}),
                "crontab": crontab,
                "enabled": True,
            },
        )
