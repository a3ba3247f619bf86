"""The enterprise page's monitoring section, so that page needs no monitoring code of its own."""

from dataclasses import dataclass

from django import template

from registry.policies import REPORT_FILER_ROLES, report_verifiable_by
from registry.quality import flag_message as _flag_message
from registry.selectors.monitoring import enterprise_monitoring
from registry.tables.monitoring import (
    ANNUAL_FIGURES,
    MONTHLY_FIGURES,
    figure_headers,
    figure_rows,
    figures_chart,
    format_figure,
)

register = template.Library()


@register.filter
def flag_message(flag):
    """A data-quality flag in the reader's language."""
    return _flag_message(flag)


@dataclass(frozen=True)
class FigureTable:
    headers: list
    rows: list
    chart: dict
    chart_id: str


def _table(reports, names, *, monthly, chart_id):
    return FigureTable(
        headers=figure_headers(names),
        rows=figure_rows(reports, names),
        chart=figures_chart(reports, monthly=monthly),
        chart_id=chart_id,
    )


@register.inclusion_tag("registry/monitoring/enterprise_section.html", takes_context=True)
def enterprise_monitoring_section(context, enterprise):
    """Annual and recent monthly figures with their charts, and the size-class history."""
    user = context["request"].user
    figures = enterprise_monitoring(user=user, enterprise=enterprise)
    return {
        "enterprise": enterprise,
        "can_file": user.has_role(*REPORT_FILER_ROLES),
        "annual": _table(
            figures.annual, ANNUAL_FIGURES, monthly=False, chart_id=f"annual-{enterprise.pk}"
        ),
        "monthly": _table(
            figures.monthly, MONTHLY_FIGURES, monthly=True, chart_id=f"monthly-{enterprise.pk}"
        ),
        "scale_changes": figures.scale_changes,
    }


@register.filter
def can_verify_reports(user):
    """Whether the navigation offers the verification queue (待核实) to ``user``."""
    return report_verifiable_by(user)


@register.filter
def figure(value, name):
    """A figure as the tables show it, e.g. ``{{ report.taxes|figure:"taxes" }}``."""
    return format_figure(name, value)
