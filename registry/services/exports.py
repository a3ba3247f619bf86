"""Excel exports of the registry's lists: what a list page shows under its filters, logged.

Each list is exported through the FilterSet and the selector of its page (and API), so the rows
are those the page shows, scoped by ``visible_to`` alike; the columns start with the import
template's, so an exported list can be edited and uploaded again. Rows are read with a
server-side cursor and written by openpyxl in write-only mode into a temporary file: memory
stays flat whatever the number of rows. Every export is recorded with who, which list, which
filters and how many rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import IO, Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from gansu_sme.excel.columns import Column
from gansu_sme.excel.writer import write_rows
from registry import imports, selectors
from registry.choices import PoolEntryStatus, PoolKind, RegionLevel, ReportStatus, SizeClass
from registry.figures import FIGURE_NAMES
from registry.filtersets import EnterpriseFilterSet, PoolEntryFilterSet
from registry.filtersets.monitoring import MonitoringReportFilterSet
from registry.models import ExportRecord

# Rows fetched per round trip of the server-side cursor.
CHUNK_ROWS = 2_000
# Parameters that choose a page of the list rather than its rows.
NOT_FILTERS = frozenset({"page"})

SIZE_LABELS = {SizeClass.LARGE: "大型", SizeClass.MEDIUM: "中型", SizeClass.SMALL: "小型",
               SizeClass.MICRO: "微型"}
POOL_STATUS_LABELS = {
    PoolEntryStatus.ACTIVE: "在库",
    PoolEntryStatus.PROMOTED: "已晋级",
    PoolEntryStatus.GRADUATED: "已毕业",
    PoolEntryStatus.REMOVED: "已出库",
}


@dataclass(frozen=True)
class Listing:
    """One exportable list: its FilterSet, selector, columns and how a row fills them."""

    key: str
    title: str
    filterset: type
    # The page's selector: select(user) -> the queryset in the user's scope.
    select: Callable[[User], QuerySet[Any]]
    columns: tuple
    values: Callable[[Any], dict[str, Any]]  # values(row) -> {column key: value}
    # The page's order when no ``ordering`` filter is given (None: the model's).
    order: tuple = ()


def _label(column_choices, value):
    return dict(column_choices).get(value, value or None)


def _region(region):
    if region.level == RegionLevel.COUNTY:
        return f"{region.code} {region.parent.name}{region.name}"
    return f"{region.code} {region.name}"


def _enterprise_values(enterprise):
    return {
        **{c.key: getattr(enterprise, c.key) for c in imports.ENTERPRISE_COLUMNS},
        "region": _region(enterprise.region),
        "industry": f"{enterprise.industry.code} {enterprise.industry.name}",
        "is_active": "在册" if enterprise.is_active else "已停用",
        "size_class": SIZE_LABELS.get(enterprise.size_class),
        "is_above_scale": enterprise.is_above_scale,
        "figures_year": enterprise.figures_year,
        "updated_at": timezone.localtime(enterprise.updated_at),
    }


ENTERPRISES = Listing(
    key="enterprises",
    title="企业名录",
    filterset=EnterpriseFilterSet,
    select=lambda user: selectors.enterprise_list(user=user),
    columns=imports.ENTERPRISE_COLUMNS + (
        Column("is_active", "状态", width=10),
        Column("size_class", "企业规模（按最近核实年报）", width=14),
        Column("is_above_scale", "规上企业（是/否）", width=12),
        Column("figures_year", "规模依据年度（年）", width=12),
        Column("updated_at", "更新时间", width=20),
    ),
    values=_enterprise_values,
)


def _pool_values(entry):
    return {
        "uscc": entry.enterprise.uscc,
        "enterprise_name": entry.enterprise.name,
        **{c.key: getattr(entry, c.key) for c in imports.POOL_COLUMNS[2:]},
        "pool": _label(imports.POOL_LABELS, entry.pool),
        "tier": _label(imports.TIER_LABELS, entry.tier),
        "track": _label(imports.TRACK_LABELS, entry.track),
        "category": _label(imports.CATEGORY_LABELS, entry.category),
        "suggested_category": _label(imports.CATEGORY_LABELS, entry.suggested_category),
        "status": POOL_STATUS_LABELS.get(entry.status, entry.status),
        "region": _region(entry.enterprise.region),
        "admitted_at": timezone.localtime(entry.admitted_at),
        "closed_at": entry.closed_at and timezone.localtime(entry.closed_at),
        "statistics_registered": (
            entry.statistics_registered if entry.pool == PoolKind.SCALE_UP else None
        ),
    }


POOL_ENTRIES = Listing(
    key="pool_entries",
    title="培育库",
    filterset=PoolEntryFilterSet,
    select=lambda user: selectors.pool_entry_list(user=user),
    columns=imports.POOL_COLUMNS + (
        Column("status", "状态", width=10),
        Column("suggested_category", "系统建议类别", width=12),
        Column("region", "所属地区（区划代码）", width=24),
        Column("admitted_at", "入库时间", width=20),
        Column("closed_at", "出库或晋级时间", width=20),
    ),
    values=_pool_values,
)

REPORT_STATUS_LABELS = {
    ReportStatus.DRAFT: "草稿",
    ReportStatus.SUBMITTED: "已报送",
    ReportStatus.VERIFIED: "已核实",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.SUPERSEDED: "已被更正",
}


def _report_values(report):
    values = {name: getattr(report, name) for name in FIGURE_NAMES}
    return {
        **values,
        "uscc": report.enterprise.uscc,
        "enterprise_name": report.enterprise.name,
        "year": report.year,
        "period_kind": _label(imports.PERIOD_KIND_LABELS, report.period_kind),
        "period": report.period or None,
        "status": REPORT_STATUS_LABELS.get(report.status, report.status),
        "revision": report.revision,
        "flags": "；".join(flag.get("message", "") for flag in report.flags) or None,
        "region": _region(report.enterprise.region),
        "submitted_at": report.submitted_at and timezone.localtime(report.submitted_at),
        "verified_at": report.verified_at and timezone.localtime(report.verified_at),
    }


MONITORING_REPORTS = Listing(
    key="monitoring_reports",
    title="运行监测",
    filterset=MonitoringReportFilterSet,
    select=lambda user: selectors.monitoring_report_list(user=user),
    columns=imports.MONITORING_COLUMNS + (
        Column("status", "状态", width=10),
        Column("revision", "更正次数（次）", width=10),
        Column("flags", "数据质量提示", width=40),
        Column("region", "所属地区（区划代码）", width=24),
        Column("submitted_at", "报送时间", width=20),
        Column("verified_at", "核实时间", width=20),
    ),
    values=_report_values,
    order=("-year", "-period", "enterprise__name"),
)

LISTINGS = {
    listing.key: listing for listing in (ENTERPRISES, MONITORING_REPORTS, POOL_ENTRIES)
}


def export_listing(
    *, actor: User, listing: str, params: QueryDict
) -> tuple[IO[bytes], str, int]:
    """Write the rows of ``listing`` that its page shows the actor under ``params``.

    Returns (temporary file, download name, row count) and records an ExportRecord with the
    filters as given. Filter values the page would refuse are ignored as the page ignores them.
    """
    spec = LISTINGS[listing]
    # The FilterSet offers the regions in the user's scope; it only needs the request's user.
    filterset = spec.filterset(
        params, queryset=spec.select(actor), request=SimpleNamespace(user=actor)
    )
    rows = filterset.qs
    rows = rows.order_by(*(rows.query.order_by or spec.order or rows.model._meta.ordering), "pk")
    workbook, count = write_rows(
        spec.columns,
        (spec.values(row) for row in rows.iterator(chunk_size=CHUNK_ROWS)),
        title=spec.title,
    )
    filters = {
        name: values if len(values) > 1 else values[0]
        for name, values in params.lists()
        if name not in NOT_FILTERS and any(values)
    }
    ExportRecord.objects.create(user=actor, listing=listing, filters=filters, row_count=count)
    name = f"{spec.title}_{timezone.localtime():%Y%m%d_%H%M}.xlsx"
    return workbook, name, count
