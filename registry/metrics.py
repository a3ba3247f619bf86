"""Where the actual figure of a metric comes from when the registry does not hold it.

The registry counts what it holds itself (pool entries, entries into the statistics directory,
annual figures). Certificates and national recommendations belong to the certification app,
which sits above the registry: it registers its counters here in its ``AppConfig.ready()``, so
the registry reads them without importing it (the layers contract). A metric nobody has
registered is shown as pending, never as zero.

Two kinds of source:

- a target counter, for the yearly targets (``registry.choices.TargetMetric``): called as
  ``counter(day=, user=, within=)``, it returns ``{region path: count}`` for every region
  of the rows ``user`` sees (or of the region at path ``within``) with its subtree's total
  on ``day``;
- a plan figure, for the targets of a plan (``registry.choices.PlanMetric``): called as
  ``figure(target=, within=, day=, year=)``, it returns the figure (an int, or a Decimal
  percentage) of the region at path ``within`` and below: stocks on ``day``, annual figures
  from the verified reports of ``year`` (``registry.selectors.plans``), or None when it
  cannot be said.

And the figures kept per region × period (``RegionFigure``, ``FIGURE_METRICS`` below): the
aggregates of monitoring reports the dashboard, the targets and the reports read, maintained by
``registry.services.figures`` whenever a report or an enterprise changes and rebuilt nightly.
"""

from collections.abc import Callable

_TARGET_COUNTERS: dict[str, Callable] = {}
_PLAN_FIGURES: dict[str, Callable] = {}


def register_target_counter(metric: str, counter: Callable) -> None:
    _TARGET_COUNTERS[metric] = counter


def target_counter(metric: str) -> Callable | None:
    return _TARGET_COUNTERS.get(metric)


def register_plan_figure(metric: str, figure: Callable) -> None:
    _PLAN_FIGURES[metric] = figure


def plan_figure(metric: str) -> Callable | None:
    return _PLAN_FIGURES.get(metric)


# Figures kept per region × period in ``RegionFigure``, computed from the monitoring reports
# (``registry.selectors.figures.figures_from_source``). Of every period kind, over the reports
# that count for a firm and period (``reports.figures.filed_reports``: the verified one, else
# the submitted one):
FILED = "filed"  # filed reports (one per firm)
FILED_ACTIVE = "filed_active"  # of active firms
VERIFIED_ACTIVE = "verified_active"  # of active firms, verified
VERIFIED = "verified"  # verified reports of any firm
OPERATING_REVENUE = "operating_revenue"  # summed, 万元
TAXES = "taxes"  # summed, 万元
EMPLOYEES = "employees"  # summed, persons
# Of years only, by the rule of ``registry.selectors.scale``: firms in the directory of
# above-scale industry, entries into it and exits from it in the year.
DIRECTORY_SIZE = "directory_size"
DIRECTORY_ENTRIES = "directory_entries"
DIRECTORY_EXITS = "directory_exits"
# Of years only, over the verified annual reports of above-scale industrial SMEs (above scale
# and not large, both judged on the report's own figures: ``plans.sme_annual_reports``): R&D
# expense and main-business revenue of the reports giving both, digital R&D tools (yes, and
# answered), CNC ratio (summed, and answered).
SME_RD_EXPENSE = "sme_rd_expense"
SME_RD_REVENUE = "sme_rd_revenue"
SME_DIGITAL_YES = "sme_digital_yes"
SME_DIGITAL_ANSWERED = "sme_digital_answered"
SME_CNC_SUM = "sme_cnc_sum"
SME_CNC_ANSWERED = "sme_cnc_answered"

FIGURE_METRICS = (
    FILED, FILED_ACTIVE, VERIFIED_ACTIVE, VERIFIED, OPERATING_REVENUE, TAXES, EMPLOYEES,
    DIRECTORY_SIZE, DIRECTORY_ENTRIES, DIRECTORY_EXITS,
    SME_RD_EXPENSE, SME_RD_REVENUE, SME_DIGITAL_YES, SME_DIGITAL_ANSWERED, SME_CNC_SUM,
    SME_CNC_ANSWERED,
)
# Sums: None (no row kept) where nothing was summed; the other figures are counts, 0 then.
SUM_METRICS = frozenset(
    {OPERATING_REVENUE, TAXES, EMPLOYEES, SME_RD_EXPENSE, SME_RD_REVENUE, SME_CNC_SUM}
)
# Read back as int; the others (sums of amounts and percentages) as Decimal.
INTEGER_METRICS = frozenset(FIGURE_METRICS) - {
    OPERATING_REVENUE, TAXES, SME_RD_EXPENSE, SME_RD_REVENUE, SME_CNC_SUM,
}
