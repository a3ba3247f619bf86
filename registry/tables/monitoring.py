"""Tables and charts of monitoring figures (one source for both, so they show the same numbers),
and the monitoring list's column spec."""

from dataclasses import dataclass

import django_tables2 as tables
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gansu_sme import formatting, lists
from gansu_sme.excel.columns import Column as SheetColumn
from registry import imports
from registry.choices import PeriodKind, ReportStatus
from registry.figures import COUNT, FIGURES_BY_NAME, FLAG
from registry.quality import flag_message

from .enterprises import REGION_CELL, region_label

# Columns of an enterprise's annual table, then of its monthly table.
ANNUAL_FIGURES = (
    "operating_revenue", "main_business_revenue", "taxes", "total_profit", "rd_expense",
    "employees", "rd_staff", "land_area", "energy_consumption", "cnc_ratio",
)
MONTHLY_FIGURES = (
    "operating_revenue", "main_business_revenue", "output_value", "taxes", "total_profit",
    "employees",
)
# Key figures over time: amounts on the left axis, employees on the right.
CHART_AMOUNTS = ("operating_revenue", "taxes", "rd_expense")
CHART_PERSONS = "employees"
# Everything the detail page lists, in the order of the statistics form.
DETAIL_FIGURES = tuple(FIGURES_BY_NAME)


# A figure's label in the language of the page that shows it, for columns declared at import.
figure_label = lazy(lambda name: str(FIGURES_BY_NAME[name].label), str)


def format_figure(name, value):
    """A figure as the tables show it: thousands separators, two decimals for amounts."""
    if value is None:
        return "—"
    kind = FIGURES_BY_NAME[name].kind
    if kind == FLAG:
        return gettext("Yes") if value else gettext("No")
    if kind == COUNT:
        return formatting.number(value)
    return formatting.number(value, 2)


@dataclass(frozen=True)
class Row:
    report: object
    cells: list


def figure_headers(names):
    return [FIGURES_BY_NAME[name].label for name in names]


def figure_rows(reports, names):
    return [Row(r, [format_figure(n, getattr(r, n)) for n in names]) for r in reports]


def detail_figures(report):
    """(label with unit, shown value) of every figure of a report."""
    return [
        (FIGURES_BY_NAME[name].label, format_figure(name, getattr(report, name)))
        for name in DETAIL_FIGURES
    ]


def _number(value):
    return None if value is None else float(value)


def _x(report):
    if report.period_kind == PeriodKind.YEAR:
        return str(report.year)
    return f"{report.year}-{report.period:02d}"


def figures_chart(reports, *, monthly=False):
    """A Plotly figure of the key figures of ``reports`` over time, labelled in the page's
    language; the values are those of the tables on the same page.
    """
    x = [_x(r) for r in reports]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": str(FIGURES_BY_NAME[name].label),
            "x": x,
            "y": [_number(getattr(r, name)) for r in reports],
        }
        for name in CHART_AMOUNTS
    ]
    traces.append({
        "type": "bar",
        "name": str(FIGURES_BY_NAME[CHART_PERSONS].label),
        "x": x,
        "y": [_number(getattr(r, CHART_PERSONS)) for r in reports],
        "yaxis": "y2",
        "width": 0.35,
        "marker": {"color": "rgba(20, 72, 154, 0.18)"},
    })
    return {
        "data": traces,
        "layout": {
            "xaxis": {
                "title": {"text": gettext("Month") if monthly else gettext("Year")},
                "type": "category",
            },
            "yaxis": {"title": {"text": gettext("Amount (10k yuan)")}, "rangemode": "tozero"},
            "yaxis2": {
                "title": {"text": gettext("Employees (persons)")},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
            },
            "legend": {"orientation": "h", "y": -0.25},
            "margin": {"t": 20, "r": 60, "b": 40, "l": 60},
            "height": 360,
        },
    }


REPORT_STATUS_LABELS = {
    ReportStatus.DRAFT: "草稿",
    ReportStatus.SUBMITTED: "已报送",
    ReportStatus.VERIFIED: "已核实",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.SUPERSEDED: "已被更正",
}
ENTERPRISE_CELL = (
    '<a href="{% url \'registry:enterprise-detail\' record.enterprise.uscc %}">'
    '{{ record.enterprise.name }}</a><br>'
    '<span class="mono small muted">{{ record.enterprise.uscc }}</span>'
)
PERIOD_CELL = (
    '{% load i18n %}<a href="{% url \'registry:monitoring-detail\' record.pk %}" '
    'data-report="{{ record.pk }}">{{ record.period_label }}</a>{% if record.revision %} '
    '<span class="muted small">{% blocktranslate with n=record.revision %}correction {{ n }}'
    '{% endblocktranslate %}</span>{% endif %}'
)


class MonitoringReportTable(lists.Table):
    """Monitoring reports: the page's columns, and the export's (the import template's first,
    so that an exported list uploads again; no totals row, which would not)."""

    enterprise = lists.TemplateColumn(
        ENTERPRISE_CELL, verbose_name=_("Enterprise"), empty_values=()
    )
    region = lists.TemplateColumn(
        REGION_CELL, accessor="enterprise__region", verbose_name=_("Region")
    )
    period = lists.TemplateColumn(
        PERIOD_CELL, verbose_name=_("Period"), empty_values=(),
        attrs={"td": {"class": "nowrap"}},
    )
    status = lists.TemplateColumn(
        '{% include "registry/monitoring/partials/status_badge.html" with report=record %}',
        verbose_name=_("Status"),
    )
    operating_revenue = lists.MoneyColumn(
        verbose_name=figure_label("operating_revenue")
    )
    flags = lists.TemplateColumn(
        '{% if value %}<span class="badge badge-flag">{{ value|length }}</span>'
        '{% else %}—{% endif %}',
        verbose_name=_("Data-quality flags"), empty_values=(),
    )
    updated_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name=_("Updated at"), attrs={"td": {"class": "nowrap"}}
    )

    export_specs = imports.MONITORING_COLUMNS + (
        SheetColumn("status", "状态", width=10),
        SheetColumn("revision", "更正次数（次）", width=10),
        SheetColumn("flags", "数据质量提示", width=40),
        SheetColumn("region", "所属地区（区划代码）", width=24),
        SheetColumn("submitted_at", "报送时间", width=20),
        SheetColumn("verified_at", "核实时间", width=20),
    )
    export_totals = False

    class Meta(lists.Table.Meta):
        row_attrs = {"class": "report-row"}
        empty_text = _("No report matches these filters.")

    def render_operating_revenue(self, value):
        return format_figure("operating_revenue", value)

    def value_uscc(self, report):
        return report.enterprise.uscc

    def value_enterprise_name(self, report):
        return report.enterprise.name

    def value_period(self, report):
        return report.period or None

    def value_status(self, report):
        return REPORT_STATUS_LABELS.get(report.status, report.status)

    def value_revision(self, report):
        return report.revision

    def value_flags(self, report):
        return "；".join(flag_message(flag) for flag in report.flags) or None

    def value_region(self, report):
        return region_label(report.enterprise.region)

    def value_submitted_at(self, report):
        return report.submitted_at and timezone.localtime(report.submitted_at)

    def value_verified_at(self, report):
        return report.verified_at and timezone.localtime(report.verified_at)


class VerificationQueueTable(lists.Table):
    """Submitted reports waiting for the county's verification, each with its two actions."""

    enterprise = lists.TemplateColumn(
        ENTERPRISE_CELL, verbose_name=_("Enterprise"), empty_values=()
    )
    period = lists.TemplateColumn(
        PERIOD_CELL.replace("{% if record.revision %} ", "{% if record.revision %}<br>"),
        verbose_name=_("Period"), empty_values=(), attrs={"td": {"class": "nowrap"}},
    )
    operating_revenue = lists.MoneyColumn(
        verbose_name=figure_label("operating_revenue")
    )
    employees = tables.Column(
        verbose_name=figure_label("employees"),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    flags = lists.TemplateColumn(
        '{% load i18n %}{% include "registry/monitoring/partials/flags.html" with '
        "report=record %}{% if not record.flags %}<span class=\"muted\">"
        '{% translate "None" %}</span>{% endif %}',
        verbose_name=_("Data-quality flags"), empty_values=(),
    )
    submitted_at = lists.MomentColumn(
        verbose_name=_("Submitted at"), attrs={"td": {"class": "nowrap"}}
    )
    actions = lists.TemplateColumn(
        template_name="registry/monitoring/partials/queue_actions.html",
        verbose_name=_("Verify or return"), empty_values=(),
    )

    class Meta(lists.Table.Meta):
        # "stack": one card per report on a phone; officials verify from the field too.
        attrs = {"class": "data-table queue stack"}
        row_attrs = {"class": "report-row", "id": lambda record: f"report-{record.pk}"}

    def render_operating_revenue(self, value):
        return format_figure("operating_revenue", value)

    def render_employees(self, value):
        return format_figure("employees", value)
