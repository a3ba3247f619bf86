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
