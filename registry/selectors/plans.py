"""The targets of multi-year plans (the 2018 plan's §一(二)) and how far a region has come.

Each metric is either computed from the registry's own rows (or, for certificates and
national recommendations, by the counter the certification app registers in
``registry.metrics``), or entered by hand with its source (``PlanFigure``) where the figure
lies outside the registry, such as shares of industrial value added. ``METRIC_RULES`` says
which, and in what terms; the targets page shows these words.

Dates: a plan's target is judged at the end of its due year. Stock figures (pool, certificates)
are taken on ``day``: the due year's last day, or the day asked about when earlier. Figures from
verified annual reports come from ``figures_year``: the due year once its annual reports can
exist (from the following January), else the last complete year.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from registry import metrics as kept
from registry import sizeclass
from registry.choices import PeriodKind, PlanMetric, PoolKind, ReportStatus
from registry.metrics import plan_figure
from registry.models import MonitoringReport, Plan, PlanFigure, PlanTarget, PoolEntry
from registry.selectors.figures import figure_totals

COUNT, PERCENT = "count", "percent"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class MetricRule:
    kind: str
    # False: entered by hand, with its source.
    computed: bool
    definition: Promise


METRIC_RULES: dict[str, MetricRule] = {
    PlanMetric.ABOVE_SCALE_FIRMS: MetricRule(COUNT, True, _(
        "Firms in the statistics directory of above-scale industry for the figures"
        " year: their verified annual report puts them at or above 2,000 10k yuan of"
        " main-business revenue.")),
    PlanMetric.NEW_ABOVE_SCALE: MetricRule(COUNT, True, _(
        "Entries into the statistics directory in each year of the plan up to the figures"
        " year, added up: a firm enters in the year its verified annual report first reaches"
        " 2,000 10k yuan (below it the year before, or founded that year).")),
    PlanMetric.POOL_FIRMS: MetricRule(COUNT, True, _(
        "Firms with an entry of any tier in the SRDI cultivation pool on the day counted.")),
    PlanMetric.CERTIFIED: MetricRule(COUNT, True, _(
        "Provincial SRDI certificates valid on the day counted.")),
    PlanMetric.LITTLE_GIANTS: MetricRule(COUNT, True, _(
        "National little giant certificates valid on the day counted.")),
    PlanMetric.RECOMMENDED: MetricRule(COUNT, True, _(
        "Firms the province recommended to the national little giant list in the plan's"
        " years.")),
    PlanMetric.RD_ABOVE_SCALE: MetricRule(PERCENT, True, _(
        "R&D expense against main-business revenue, summed over the verified annual reports"
        " of the figures year of above-scale industrial SMEs (not large by the size"
        " standard).")),
    PlanMetric.RD_SRDI: MetricRule(PERCENT, True, _(
        "R&D expense against main-business revenue, summed over the verified annual reports"
        " of the figures year of firms holding a valid SRDI certificate at that year's end.")),
    PlanMetric.DIGITAL_RD_TOOLS: MetricRule(PERCENT, True, _(
        "Share of above-scale SMEs answering yes to digital R&D design tools in the verified"
        " annual reports of the figures year, of those that answered.")),
    PlanMetric.CNC_RATIO: MetricRule(PERCENT, True, _(
        "Average CNC ratio of key processes of above-scale SMEs in the verified annual"
        " reports of the figures year, of those that answered.")),
    PlanMetric.CREDIT_CULTIVATED: MetricRule(COUNT, True, _(
        "Firms admitted to the provincial credit-cultivation list by the day counted.")),
    PlanMetric.VALUE_ADDED_SHARE: MetricRule(PERCENT, False, _(
        "Value added is not collected by the registry: entered by hand from the statistics"
        " bureau's publication, with its source.")),
}


def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, two decimals; None when ``whole`` is 0 or None."""
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def figures_year(due_year: int, on: datetime.date) -> int:
    """The year of the annual reports a target due in ``due_year`` is judged by on ``on``."""
    return min(due_year, on.year - 1)


def judged_on(due_year: int, on: datetime.date) -> datetime.date:
    return min(on, datetime.date(due_year, 12, 31))


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
        datetime.timedelta(days=1)
    )


def sme_annual_reports(within: str, year: int) -> list[dict]:
    """The verified annual reports of ``year`` in the region at path ``within`` and below of
    above-scale industrial SMEs: above scale and not large, both judged on that report's own
    figures. One query."""
    rows = (
        MonitoringReport.objects.within(within)
        .filter(period_kind=PeriodKind.YEAR, year=year, status=ReportStatus.VERIFIED)
        .values(
            "enterprise_id", "enterprise__industry__code", "main_business_revenue",
            "operating_revenue", "total_assets", "employees", "rd_expense",
            "uses_digital_rd_tools", "cnc_ratio",
        )
    )
    kept = []
    for row in rows:
        code = row["enterprise__industry__code"]
        if not sizeclass.is_above_scale(code, row["main_business_revenue"]):
            continue
        size = sizeclass.size_class(
            code, employees=row["employees"], revenue=row["operating_revenue"],
            assets=row["total_assets"],
        )
        if size != sizeclass.LARGE:
            kept.append(row)
    return kept


def rd_intensity(rows: list[dict]) -> Decimal | None:
    """Summed R&D expense against summed main-business revenue, of the rows with both."""
    both = [r for r in rows if r["rd_expense"] is not None
            and r["main_business_revenue"] is not None]
    return ratio(sum((r["rd_expense"] for r in both), Decimal(0)),
                 sum((r["main_business_revenue"] for r in both), Decimal(0)))


def _kept_years(metric, within, years):
    """A kept figure (``registry.selectors.figures``) of the region at path ``within``,
    summed over ``years``: the rule of ``registry.selectors.scale``, one query."""
    totals = figure_totals(
        periods=[(PeriodKind.YEAR, y, 0) for y in years], metrics_wanted=[metric], within=within,
    )
    return sum(n for (path, *_rest), n in totals.items() if path == within)


def _above_scale_firms(*, target, within, day, year):
    return _kept_years(kept.DIRECTORY_SIZE, within, [year])


def _new_above_scale(*, target, within, day, year):
    return _kept_years(kept.DIRECTORY_ENTRIES, within, range(target.plan.first_year, year + 1))


def _pool_firms(*, target, within, day, year):
    end = _end_of(day)
    return (
        PoolEntry.objects.within(within)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end), pool=PoolKind.ZJTX,
                admitted_at__lt=end)
        .aggregate(n=Count("enterprise", distinct=True))["n"]
    )


def _sme_figures(within, year, names):
    """Kept figures of the above-scale SMEs' verified annual reports of ``year`` (the rows
    ``sme_annual_reports`` returns, summed per region), of the region at path ``within``."""
    totals = figure_totals(
        periods=[(PeriodKind.YEAR, year, 0)], metrics_wanted=names, within=within,
    )
    return [totals.get((within, PeriodKind.YEAR, year, 0, name)) for name in names]


def _rd_above_scale(*, target, within, day, year):
    rd, revenue = _sme_figures(within, year, [kept.SME_RD_EXPENSE, kept.SME_RD_REVENUE])
    return ratio(rd, revenue)


def _digital_rd_tools(*, target, within, day, year):
    yes, answered = _sme_figures(
        within, year, [kept.SME_DIGITAL_YES, kept.SME_DIGITAL_ANSWERED]
    )
    return ratio(yes or 0, answered)


def _cnc_ratio(*, target, within, day, year):
    total, answered = _sme_figures(within, year, [kept.SME_CNC_SUM, kept.SME_CNC_ANSWERED])
    if not answered:
        return None
    return (total / answered).quantize(Decimal("0.01"), ROUND_HALF_UP)


# The metrics the registry computes from its own rows; certification registers the others.
OWN_FIGURES: dict[str, Callable] = {
    PlanMetric.ABOVE_SCALE_FIRMS: _above_scale_firms,
    PlanMetric.NEW_ABOVE_SCALE: _new_above_scale,
    PlanMetric.POOL_FIRMS: _pool_firms,
    PlanMetric.RD_ABOVE_SCALE: _rd_above_scale,
    PlanMetric.DIGITAL_RD_TOOLS: _digital_rd_tools,
    PlanMetric.CNC_RATIO: _cnc_ratio,
}


@dataclass(frozen=True)
class PlanProgress:
    target: PlanTarget
    # The region counted (its path): the plan's region, or the user's part of it.
    within: str
    day: datetime.date
    figures_year: int
    actual: int | Decimal | None
    # The hand-entered figure shown, for a metric the registry does not compute.
    figure: PlanFigure | None = None
    # No app computes the metric (certification not installed).
    pending: bool = False
    rule: MetricRule = field(default=METRIC_RULES[PlanMetric.CERTIFIED])

    @property
    def is_percent(self) -> bool:
        return self.rule.kind == PERCENT

    @property
    def entered_by_hand(self) -> bool:
        return not self.rule.computed

    @property
    def whole_region(self) -> bool:
        """Whether the figure covers the plan's whole region (a city's is its part of it)."""
        return self.within == self.target.plan.region.path

    @property
    def percent(self) -> Decimal | None:
        """Share of the target reached, one decimal; a region's part of a provincial count
        is not compared with the provincial target (None)."""
        if self.actual is None or not self.target.value:
            return None
        if not self.is_percent and not self.whole_region:
            return None
        return (Decimal(self.actual) * HUNDRED / self.target.value).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def met(self) -> bool | None:
        if self.actual is None or (not self.is_percent and not self.whole_region):
            return None
        return Decimal(self.actual) >= self.target.value

    @property
    def bar(self) -> int:
        percent = self.percent
        if percent is None:
            return 0
        return int(min(max(percent, Decimal(0)), Decimal(100)))


def plan_list() -> list[Plan]:
    return list(Plan.objects.select_related("region").prefetch_related("targets"))


def _latest_figures(targets, day):
    """The latest hand-entered figure of each target as of ``day`` (one query)."""
    latest: dict[int, PlanFigure] = {}
    figures = (
        PlanFigure.objects.filter(target__in=targets, as_of__lte=day)
        .select_related("entered_by")
        .order_by("target_id", "-as_of", "-entered_at")
    )
    for figure in figures:
        latest.setdefault(figure.target_id, figure)
    return latest


def plan_progress(
    *, user: User | None = None, within: str | None = None, on: datetime.date | None = None
) -> list[PlanProgress]:
    """Every target of every plan, with the figure of the region at path ``within`` (or the
    user's region) on ``on`` (today by default): see the module docstring for the dates and
    ``METRIC_RULES`` for each metric. A user below the plan's region sees the figures of
    their own region, as its part of the plan. Plans of a region the user is not in are left
    out."""
    on = on or timezone.localdate()
    if within is None:
        within = user.scope_path if user is not None else None
        if within is None:
            return []
    rows = []
    for plan in plan_list():
        if not within.startswith(plan.region.path):
            continue
        targets = list(plan.targets.all())
        figures = _latest_figures(
            [t for t in targets if not METRIC_RULES[t.metric].computed],
            judged_on(plan.last_year, on),
        )
        for target in targets:
            rule = METRIC_RULES[target.metric]
            day = judged_on(target.due_year, on)
            year = figures_year(target.due_year, on)
            common: dict[str, Any] = {
                "target": target, "within": within, "day": day, "figures_year": year,
                "rule": rule,
            }
            if not rule.computed:
                # The statistics bureau's figure is the plan region's, whoever reads it.
                figure = figures.get(target.pk)
                rows.append(PlanProgress(
                    actual=None if figure is None else figure.value, figure=figure,
                    **{**common, "within": plan.region.path},
                ))
                continue
            compute = OWN_FIGURES.get(target.metric) or plan_figure(target.metric)
            if compute is None:
                rows.append(PlanProgress(actual=None, pending=True, **common))
                continue
            actual = compute(target=target, within=within, day=day, year=year)
            rows.append(PlanProgress(actual=actual, **common))
    return rows
