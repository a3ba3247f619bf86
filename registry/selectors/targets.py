"""Targets and how far each region has come towards them."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from gansu_sme.querysets import scoped
from registry import metrics as kept
from registry.choices import PeriodKind, PoolKind, PoolTier, TargetMetric
from registry.metrics import target_counter
from registry.models import PoolEntry, Target
from registry.selectors.figures import figure_totals

# Tier metrics count the tiered 专精特新 pool; the 规下转规上 pool has its own metric.
TIER_METRICS = {
    TargetMetric.POOL_COUNTY: PoolTier.COUNTY,
    TargetMetric.POOL_CITY: PoolTier.CITY,
    TargetMetric.POOL_PROVINCE: PoolTier.PROVINCE,
}
# Counted here from the registry's own rows; any other metric (certified firms, 小巨人) by
# the counter its app registers in ``registry.metrics``.
OWN_METRICS = frozenset({*TIER_METRICS, TargetMetric.POOL_SCALE_UP,
                         TargetMetric.NET_NEW_ABOVE_SCALE})
METRIC_ORDER = {metric: index for index, metric in enumerate(TargetMetric.values)}


def target_list(*, user: User | None = None, within: str | None = None) -> QuerySet[Target]:
    """Targets of the user's region (or of the region at path ``within``) and the regions
    below it."""
    return scoped(Target.objects, user=user, within=within).select_related(
        "region__parent", "set_by"
    )


@dataclass(frozen=True)
class Progress:
    target: Target
    # None while no app counts the metric (``pending``).
    actual: int | None
    pending: bool = False

    @property
    def percent(self):
        """Share of the target reached, to one decimal; None when it cannot be said."""
        if self.actual is None or self.target.value == 0:
            return None
        share = Decimal(self.actual) * 100 / self.target.value
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def bar(self):
        """Width of the progress bar in percent, 0 to 100."""
        percent = self.percent
        if percent is None:
            return 0
        return int(min(max(percent, 0), 100))


def _ancestors(path):
    """``620000/620100/620102`` → the paths of the province, the city and the county."""
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _year_end(year):
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _pool_counts(user, within, year, as_of=None):
    """Entries in the pool per region subtree at ``as_of``: admitted before that moment and
    not closed before it. Without ``as_of``, at the end of ``year`` (now, for the current
    year): admitted in or before the year and not closed before it ended."""
    if as_of is None:
        in_pool = scoped(PoolEntry.objects, user=user, within=within).filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=_year_end(year)),
            admission_year__lte=year,
        )
    else:
        in_pool = scoped(PoolEntry.objects, user=user, within=within).filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=as_of), admitted_at__lt=as_of
        )
    counts = Counter()
    rows = (
        in_pool.order_by()
        .values_list("enterprise__region__path", "pool", "tier")
        .annotate(n=Count("id"))
    )
    for path, pool, tier, n in rows:
        if pool == PoolKind.SCALE_UP:
            key = TargetMetric.POOL_SCALE_UP
        else:
            key = next(metric for metric, t in TIER_METRICS.items() if t == tier)
        for ancestor in _ancestors(path):
            counts[(ancestor, key)] += n
    return counts


def _net_new(user, within, year):
    """Entries into the statistics directory minus exits in ``year`` per region subtree, from
    the kept figures (``registry.selectors.scale`` states the rule)."""
    totals = figure_totals(
        periods=[(PeriodKind.YEAR, year, 0)],
        metrics_wanted=[kept.DIRECTORY_ENTRIES, kept.DIRECTORY_EXITS],
        user=user, within=within,
    )
    counts: Counter = Counter()
    for (path, _kind, _year, _period, metric), n in totals.items():
        counts[path] += n if metric == kept.DIRECTORY_ENTRIES else -n
    return counts


def _day_counted(year, as_of):
    """The day a count of certificates is taken on: the last day before ``as_of``; without
    it, the year's last day, or today for the current year."""
    if as_of is not None:
        return timezone.localtime(as_of - datetime.timedelta(microseconds=1)).date()
    return min(datetime.date(year, 12, 31), timezone.localdate())


def target_progress(
    *,
    year: int,
    user: User | None = None,
    within: str | None = None,
    as_of: datetime.datetime | None = None,
) -> list[Progress]:
    """Every target of ``year`` the user may see (or of the region at path ``within``, for a
    region's report), with the actual figure, in aggregate queries.

    - pool sizes: 专精特新 entries per tier, and 规下转规上 entries of any tier, in the pool at
      the end of the year (or at the moment ``as_of``, when given, e.g. a quarter's end) in
      the target's region and below;
    - net new above-scale firms: entries into the statistics directory minus exits in the
      year (the rule of ``registry.selectors.scale``, which the city reward uses), read from
      the figures kept per region and year (``registry.selectors.figures``);
    - any other metric (certified firms and 小巨人: certificates valid on the last day counted)
      by the counter its app registered in ``registry.metrics``; with none registered the
      row is ``pending`` and the page says so instead of showing a number.

    Costs one query per metric source whatever the number of targets and regions. Rows come
    ordered by region path, then by metric in the order of ``TargetMetric``.
    """
    targets = list(target_list(user=user, within=within).filter(year=year))
    metrics = {t.metric for t in targets}
    pool_counts = (
        _pool_counts(user, within, year, as_of)
        if metrics & {*TIER_METRICS, TargetMetric.POOL_SCALE_UP}
        else Counter()
    )
    net_new = (
        _net_new(user, within, year)
        if TargetMetric.NET_NEW_ABOVE_SCALE in metrics
        else Counter()
    )
    day = _day_counted(year, as_of)
    counted = {
        metric: counter(day=day, user=user, within=within)
        for metric in metrics - OWN_METRICS
        if (counter := target_counter(metric)) is not None
    }
    progress = []
    for target in targets:
        path = target.region.path
        if target.metric not in OWN_METRICS:
            if target.metric not in counted:
                progress.append(Progress(target=target, actual=None, pending=True))
                continue
            actual = counted[target.metric].get(path, 0)
        elif target.metric == TargetMetric.NET_NEW_ABOVE_SCALE:
            actual = net_new[path]
        else:
            actual = pool_counts[(path, target.metric)]
        progress.append(Progress(target=target, actual=actual))
    progress.sort(key=lambda p: (p.target.region.path, METRIC_ORDER[p.target.metric]))
    return progress
