"""Generating and storing reports: once per kind × period × region, replaced when re-run."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import xlsxwriter
from django.apps import apps
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone, translation

from gansu_sme.excel.writer import escape_cell
from registry.models import Region

from .. import figures
from ..choices import ReportKind
from ..figures import Period, as_text
from ..layout import report_rows
from ..models import Report


def awards_paid(region: Region, period: Period) -> dict[str, Any]:
    """Awards paid in the period (entitlements of the subsidies app marked paid then), or None
    while the subsidies app is not installed."""
    if not apps.is_installed("subsidies"):
        return {"paid": None, "payments": None}
    from subsidies.choices import PAID_STATUSES

    entitlement = apps.get_model("subsidies", "Entitlement")
    totals = entitlement.objects.within(region.path).filter(
        status__in=PAID_STATUSES,
        paid_on__gte=period.start,
        paid_on__lt=period.end,
    ).aggregate(paid=Sum("amount"), payments=Count("id"))
    return {"paid": as_text(totals["paid"] or 0), "payments": totals["payments"]}


def monthly_data(region: Region, period: Period) -> dict[str, Any]:
    year, month = period.months[-1]
    return {
        "pool": figures.pool_sizes(region, period),
        "pool_moves": figures.pool_moves(region, period),
        "monitoring": figures.monitoring_rates(region, year, month),
        "economy": figures.economy(region, period),
        "rd": figures.rd_intensity(region, period),
        "informatization": figures.informatization(region, period),
        "quality_flags": figures.quality_flags(region),
        "certificates": figures.certificates(region, period),
        "awards": awards_paid(region, period),
    }


def kpi_data(region: Region, period: Period) -> dict[str, Any]:
    """Every target of the period's year in the region and below, with the actual figure at
    the quarter's end (``figures.target_figures``): pool sizes then, certificates valid on
    its last day, net new above-scale firms None while the year's annual reports are
    pending."""
    targets = [
        {
            "region": item.target.region.code,
            "region_name": item.target.region.name,
            "metric": item.target.metric,
            "target": item.target.value,
            "actual": item.actual,
            "percent": as_text(item.percent),
        }
        for item in figures.target_figures(
            within=region.path, year=period.year, as_of=period.end_at
        )
    ]
    return {
        "targets": targets,
        "rd": figures.rd_intensity(region, period),
        "informatization": figures.informatization(region, period),
    }


def _workbook(kind, region, period, data, generated_at):
    """The XLSX: a cover sheet (what, where, when, how counted) and the figures sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 16})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header = book.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True}
    )
    with translation.override("zh-hans"):
        cover = book.add_worksheet("封面")
        cover.set_column(0, 0, 18)
        cover.set_column(1, 1, 70)
        named = Report(kind=kind, year=period.year, period=period.number, region=region)
        period_label = named.period_label
        cover.write_string(0, 0, escape_cell(named.title_zh), title)
        lines = [
            ("报告期", period_label),
            ("地区", f"{region.name}（{region.code}）"),
            ("统计范围", "本地区及所辖地区"),
            ("生成时间", timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")),
            ("口径说明", _NOTES[kind]),
        ]
        for row, (label, text) in enumerate(lines, start=2):
            cover.write_string(row, 0, label, bold)
            cover.write_string(row, 1, escape_cell(text), wrap)
        sheet = book.add_worksheet("指标")
        last = "完成率（%）" if kind == ReportKind.QUARTERLY_KPI else "是否达标"
        for col, (name, width) in enumerate(
            (("类别", 34), ("指标", 44), ("数值", 16), ("单位", 10), ("目标", 10), (last, 12))
        ):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, name, header)
        sheet.freeze_panes(1, 0)
        for row, values in enumerate(report_rows(data, kind), start=1):
            for col, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, bool):
                    value = "是" if value else "否"
                if isinstance(value, int):
                    sheet.write_number(row, col, value)
                else:
                    # Stored figures are strings; written as text so nothing is re-rounded.
                    sheet.write_string(row, col, escape_cell(str(value)))
    book.close()
    return buffer.getvalue()


_NOTES = {
    ReportKind.MONTHLY: (
        "培育库规模按期末在库计（期末前入库且期末未出库），“全部培育库”按企业去重计；经济指标取当月已核实报表，未核实的取已报送报表；"
        "研发投入强度=研发费用/主营业务收入，取上一年度已核实年报，规上中小企业目标1.5%，专精特新中小企业"
        "（期末持有效证书）目标3%；信息化指标目标50%；数据质量标记为尚未核实报表上的标记（生成时）。"
    ),
    ReportKind.QUARTERLY_KPI: (
        "目标任务完成情况：培育库按季度末在库计（季度末前入库且季度末未出库），省级专精特新与国家级"
        "小巨人按季度末有效证书计算，净增规上企业按当年与上年已核实年报计算，年度结束且有已核实年报前"
        "显示“年报待核实”；完成率=实际/目标。"
    ),
}

_BUILDERS: dict[str, Callable[[Region, Period], dict[str, Any]]] = {
    ReportKind.MONTHLY: monthly_data, ReportKind.QUARTERLY_KPI: kpi_data
}


@transaction.atomic
def report_generate(*, kind: str, year: int, period: int, region_id: int) -> Report:
    """Compute one report and store it, replacing the stored one of the same kind, period and
    region (unique constraint, upsert), so any number of runs leave one row.

    Preconditions: the period has a valid number for the kind. Side effects: one Report row
    written (figures and workbook). Returns the report.
    """
    region = Region.objects.get(pk=region_id)
    window = Period(kind, year, period)
    generated_at = timezone.now()
    data = {
        "kind": kind,
        "year": year,
        "period": period,
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "generated_at": generated_at.isoformat(),
        **_BUILDERS[kind](region, window),
    }
    workbook = _workbook(kind, region, window, data, generated_at)
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

    window = figures.last_complete_period(kind, today)
    region_ids = list(report_regions().values_list("pk", flat=True))

    def enqueue():
        for region_id in region_ids:
            tasks.report_generate_task.delay(kind, window.year, window.number, region_id)

    transaction.on_commit(enqueue)
    return window

