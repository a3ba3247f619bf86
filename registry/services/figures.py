"""Keeping the figures per region × period (``RegionFigure``) equal to their source.

Whatever changes what a kept figure counts (a monitoring report filed, submitted, verified,
returned or corrected; an enterprise moved, reclassed or deactivated) names the enterprises
and periods it touched; once its transaction commits, the figures of their regions and those
periods are recomputed from the reports (``figures_from_source``), never adjusted by
increments, so running it twice, late, or after a concurrent change still ends equal to the
source. A refresh that fails after the commit is logged and left to the nightly reconcile
(``region_figures_reconcile``), which recomputes everything and counts what differed.
"""

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from registry.choices import PeriodKind
from registry.models import Enterprise, MonitoringReport, RegionFigure
from registry.selectors.figures import PeriodKey, figures_from_source, periods_q

logger = logging.getLogger(__name__)


def _with_dependents(periods: Iterable[PeriodKey]) -> set[PeriodKey]:
    """``periods`` and the periods whose figures depend on them: a year's directory entries
    and exits compare its annual reports with those of the year before."""
    found = set()
    for kind, year, period in periods:
        found.add((kind, year, period))
        if kind == PeriodKind.YEAR:
            found.add((kind, year + 1, 0))
    return found


@transaction.atomic
def region_figures_refresh(
    *,
    region_ids: Collection[int] | None = None,
    periods: Collection[PeriodKey] | None = None,
) -> int:
    """Recompute the kept figures of the regions with ``region_ids`` in ``periods`` (None:
    all) from the monitoring reports, write those that differ and drop those no longer
    there. Returns how many rows differed (0 when they were equal)."""
    if (region_ids is not None and not region_ids) or (periods is not None and not periods):
        return 0
    source = figures_from_source(region_ids=region_ids, periods=periods)
    kept = RegionFigure.objects.all()
    if region_ids is not None:
        kept = kept.filter(region_id__in=list(region_ids))
    if periods is not None:
        kept = kept.filter(periods_q(periods))
    stored = {
        (region_id, kind, year, period, metric): (pk, value)
        for pk, region_id, kind, year, period, metric, value in kept.values_list(
            "pk", "region_id", "period_kind", "year", "period", "metric", "value"
        )
    }
    changed = [
        RegionFigure(region_id=key[0], period_kind=key[1], year=key[2], period=key[3],
                     metric=key[4], value=value)
        for key, value in source.items()
        if key not in stored or stored[key][1] != value
    ]
    gone = [pk for key, (pk, _value) in stored.items() if key not in source]
    if changed:
        # An upsert: a concurrent refresh of the same figures may have written them first.
        RegionFigure.objects.bulk_create(
            changed, batch_size=2000, update_conflicts=True,
            unique_fields=["region", "period_kind", "year", "period", "metric"],
            update_fields=["value"],
        )
    if gone:
        RegionFigure.objects.filter(pk__in=gone).delete()
    return len(changed) + len(gone)


def region_figures_reconcile() -> int:
    """Recompute every kept figure from the monitoring reports (nightly): rewrite those that
    differ and log how many did. Returns that number; 0 when the services kept them equal."""
    differed = region_figures_refresh()
    if differed:
        logger.warning("region figures: %d rows differed from the source and were rewritten",
                       differed)
    else:
        logger.info("region figures: equal to the source")
    return differed


def region_figures_refresh_touched(
    *,
    enterprise_ids: Collection[int] = (),
    periods: Collection[PeriodKey] = (),
    region_ids: Collection[int] = (),
    every_period_of: Collection[int] = (),
) -> int:
    """Recompute now the figures that reports of ``enterprise_ids`` in ``periods`` count in,
    and every figure the reports of ``every_period_of`` (enterprises) count in: in those
    enterprises' regions (and ``region_ids``), in those periods and the ones that depend on
    them. Returns how many rows differed."""
    periods = set(periods)
    if every_period_of:
        periods |= set(
            MonitoringReport.objects.filter(enterprise__in=list(every_period_of))
            .order_by()
            .values_list("period_kind", "year", "period")
            .distinct()
        )
    enterprises = {*enterprise_ids, *every_period_of}
    regions = set(region_ids) | set(
        Enterprise.objects.filter(pk__in=list(enterprises)).values_list("region_id", flat=True)
    )
    return region_figures_refresh(region_ids=regions, periods=_with_dependents(periods))


_PENDING = "_region_figures_pending"


@dataclass
class _Touched:
    """What the services of one transaction touched, refreshed once it commits."""

    enterprise_ids: set[int] = field(default_factory=set)
    periods: set[PeriodKey] = field(default_factory=set)
    region_ids: set[int] = field(default_factory=set)
    every_period_of: set[int] = field(default_factory=set)
    callback: Callable[[], None] | None = None

    def refresh(self) -> int:
        return region_figures_refresh_touched(
            enterprise_ids=self.enterprise_ids, periods=self.periods,
            region_ids=self.region_ids, every_period_of=self.every_period_of,
        )


def _pending() -> _Touched:
    """The refresh that runs once the current transaction commits: one per transaction,
    however many rows its services touched (an import touches thousands). Outside a
    transaction, a refresh the caller runs at once."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Touched()
    pending = getattr(connection, _PENDING, None)
    # A refresh registered in a transaction or savepoint since rolled back is gone from the
    # connection's list: start another.
    if pending is None or not any(
        callback is pending.callback for _sids, callback, _robust in connection.run_on_commit
    ):
        touched = _Touched()

        def run() -> None:
            setattr(connection, _PENDING, None)
            touched.refresh()

        touched.callback = run
        setattr(connection, _PENDING, touched)
        # Robust: the change has committed whatever happens here; the nightly reconcile
        # repairs a refresh that failed.
        transaction.on_commit(run, robust=True)
        return touched
    return pending


def _after_commit(touched: _Touched) -> None:
    """Run the refresh now when no transaction will commit it."""
    if touched.callback is None:
        touched.refresh()


def region_figures_touch_reports(*, reports: Iterable[MonitoringReport]) -> None:
    """After the current transaction commits, recompute the figures the ``reports`` count in:
    their enterprises' regions, their periods (and for an annual report the next year's)."""
    enterprise_ids, periods = set(), set()
    for report in reports:
        enterprise_ids.add(report.enterprise_id)
        periods.add((report.period_kind, report.year, report.period))
    if periods:
        touched = _pending()
        touched.enterprise_ids |= enterprise_ids
        touched.periods |= periods
        _after_commit(touched)


def region_figures_touch_enterprise(
    *, enterprise: Enterprise, region_ids: Iterable[int] = ()
) -> None:
    """After the current transaction commits, recompute every figure ``enterprise``'s reports
    count in, in its region and in ``region_ids`` (the one it left, when moved)."""
    touched = _pending()
    touched.every_period_of.add(enterprise.pk)
    touched.region_ids.update(region_ids)
    _after_commit(touched)
