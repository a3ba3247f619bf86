"""Tables and charts of monitoring figures: one source for both, so they show the same numbers."""

from dataclasses import dataclass

from django.utils import translation

from registry.choices import PeriodKind
from registry.figures import COUNT, FIGURES_BY_NAME, FLAG

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


def format_figure(name, value):
    """A figure as the tables show it: thousands separators, two decimals for amounts."""
    if value is None:
        return "—"
    kind = FIGURES_BY_NAME[name].kind
    if kind == FLAG:
        chinese = (translation.get_language() or "").startswith("zh")
        return ("是" if value else "否") if chinese else ("Yes" if value else "No")
    if kind == COUNT:
        return f"{value:,}"
    return f"{value:,.2f}"


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
    """A Plotly figure of the key figures of ``reports`` over time, labelled in Chinese.

    The axes carry the statistics form's Chinese indicator names and units whatever the page's
    language, as the printed forms do; the values are those of the tables on the same page.
    """
    x = [_x(r) for r in reports]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": FIGURES_BY_NAME[name].zh_label,
            "x": x,
            "y": [_number(getattr(r, name)) for r in reports],
        }
        for name in CHART_AMOUNTS
    ]
    traces.append({
        "type": "bar",
        "name": FIGURES_BY_NAME[CHART_PERSONS].zh_label,
        "x": x,
        "y": [_number(getattr(r, CHART_PERSONS)) for r in reports],
        "yaxis": "y2",
        "width": 0.35,
        "marker": {"color": "rgba(20, 72, 154, 0.18)"},
    })
    return {
        "data": traces,
        "layout": {
            "xaxis": {"title": {"text": "月份" if monthly else "年度"}, "type": "category"},
            "yaxis": {"title": {"text": "金额（万元）"}, "rangemode": "tozero"},
            "yaxis2": {
                "title": {"text": "从业人员（人）"},
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
