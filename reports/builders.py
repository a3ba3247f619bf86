"""The figures of each report kind for one region and period, as stored in ``Report.data``.

One builder per kind (``reports.specs`` names it); each is a composition of the aggregate
queries in ``reports.figures``, all scoped to the region and below.
"""

from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Sum

from registry.choices import PeriodKind
from registry.selectors.plans import plan_progress

from . import figures
from .figures import as_text


def awards_paid(region, period):
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


def financing(region, period):
    """Needs filed and grants made in the period, open needs and firms in credit cultivation
    (``financing.selectors.financing_period_figures``), or None without the financing app."""
    if not apps.is_installed("financing"):
        return None
    from financing.selectors import financing_period_figures

    figures_ = financing_period_figures(within=region.path, start=period.start, end=period.end)
    return {key: as_text(value) if isinstance(value, Decimal) else value
            for key, value in figures_.items()}


def targets(region, period):
    """Every target of the period's year in the region and below, with the actual figure at
    the period's end (``figures.target_figures``): pool sizes then, certificates valid on
    its last day, net new above-scale firms None while the year's annual reports are
    pending."""
    return [
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


def plans(region, period):
    """The targets of the plans (the 2018 plan's §一(二)) on the period's last day
    (``registry.selectors.plans.plan_progress``): the region's figures, computed or entered
    by hand with their source."""
    rows = []
    for item in plan_progress(within=region.path, on=period.last_day):
        target, figure = item.target, item.figure
        rows.append({
            "plan": target.plan.document,
            "plan_years": f"{target.plan.first_year}–{target.plan.last_year}",
            "clause": target.clause,
            "metric": target.metric,
            "unit": "percent" if item.is_percent else "firms",
            "target": as_text(target.value),
            "due_year": target.due_year,
            "actual": as_text(item.actual),
            "percent": as_text(item.percent),
            "met": item.met,
            "whole_region": item.whole_region,
            "figures_year": item.figures_year,
            "entered_by_hand": item.entered_by_hand,
            "source": None if figure is None else figure.source,
            "entered_by": None if figure is None else str(figure.entered_by),
            "entered_at": None if figure is None else figure.entered_at.isoformat(),
            "pending": item.pending,
        })
    return rows


def monthly_data(region, period):
    year, month = period.months[-1]
    return {
        "pool": figures.pool_sizes(region, period),
        "pool_moves": figures.pool_moves(region, period),
        "monitoring": figures.monitoring_rates(region, PeriodKind.MONTH, year, month),
        "economy": figures.economy(region, period),
        "rd": figures.rd_intensity(region, period),
        "informatization": figures.informatization(region, period),
        "quality_flags": figures.quality_flags(region),
        "certificates": figures.certificates(region, period),
        "awards": awards_paid(region, period),
        "financing": financing(region, period),
    }


def kpi_data(region, period):
    """The targets at the quarter's end, the plans' targets, and the plan's rates from the
    last complete year."""
    return {
        "targets": targets(region, period),
        "plans": plans(region, period),
        "rd": figures.rd_intensity(region, period),
        "informatization": figures.informatization(region, period),
    }


def annual_data(region, period):
    """The year in review: the pools at its end and their moves during it, its annual reports
    (filed, verified, their totals against the year before), the targets at its end, the
    plan's rates from its own verified annual reports, certificates and awards of the year."""
    year = period.year
    return {
        "pool": figures.pool_sizes(region, period),
        "pool_moves": figures.pool_moves(region, period),
        "monitoring": figures.monitoring_rates(region, PeriodKind.YEAR, year, 0),
        "economy": figures.annual_economy(region, year),
        "targets": targets(region, period),
        "rd": figures.rd_intensity(region, period, year=year),
        "informatization": figures.informatization(region, period, year=year),
        "quality_flags": figures.quality_flags(region),
        "certificates": figures.certificates(region, period),
        "awards": awards_paid(region, period),
    }
