"""The figures kept per region × period (``RegionFigure``): computed from the monitoring
reports, and read back summed over a region's subtree.

``figures_from_source`` is the one definition of every kept figure: the services write what it
returns (``registry.services.figures``) and the tests compare the kept rows with it. It answers
in two set-based statements whatever the number of regions and periods asked for, each
grouping the reports by the region of their enterprise (the leaf the rows are kept for).
"""

from collections.abc import Collection, Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from accounts.models import User
from gansu_sme.querysets import scoped
from registry import metrics, sizeclass
from registry.choices import PeriodKind, ReportStatus
from registry.models import Enterprise, Industry, MonitoringReport, RegionFigure

# (period_kind, year, period), as MonitoringReport keys a report's period.
PeriodKey = tuple[str, int, int]
# (region id, period_kind, year, period, metric) → value.
FigureKey = tuple[int, str, int, int, str]

_FILED_METRICS = (
    metrics.FILED, metrics.FILED_ACTIVE, metrics.VERIFIED_ACTIVE, metrics.VERIFIED,
    metrics.OPERATING_REVENUE, metrics.TAXES, metrics.EMPLOYEES,
)
_ANNUAL_METRICS = (
    metrics.DIRECTORY_SIZE, metrics.DIRECTORY_ENTRIES, metrics.DIRECTORY_EXITS,
    metrics.SME_RD_EXPENSE, metrics.SME_RD_REVENUE, metrics.SME_DIGITAL_YES,
    metrics.SME_DIGITAL_ANSWERED, metrics.SME_CNC_SUM, metrics.SME_CNC_ANSWERED,
)
# The size class's figures (``registry.sizeclass``) as report columns.
_SIZE_FIGURES = {"Y": "employees", "R": "operating_revenue", "Z": "total_assets"}


def _tables():
    quote = connection.ops.quote_name
    return quote(MonitoringReport._meta.db_table), quote(Enterprise._meta.db_table)


def _scope_sql(region_ids, periods, params):
    """SQL conditions (on ``m`` the report, ``e`` its enterprise) for the regions and periods
    asked for; None for either means all."""
    where = []
    if region_ids is not None:
        where.append("e.region_id = ANY(%s)")
        params.append(sorted(region_ids))
    if periods is not None:
        kinds, years, numbers = zip(*sorted(periods), strict=True) if periods else ((), (), ())
        where.append(
            "(m.period_kind, m.year, m.period) IN "
            "(SELECT * FROM unnest(%s::varchar[], %s::int[], %s::int[]))"
        )
        params.extend([list(kinds), list(years), list(numbers)])
    return "".join(f" AND {condition}" for condition in where)


def _filed(region_ids, periods):
    """Per region and period, over the reports that count (``reports.figures.filed_reports``:
    the verified report, else the submitted one while none is verified; the database allows
    one of each per firm and period): how many, of active firms, verified, and the sums."""
    reports, enterprises = _tables()
    params: list = []
    scope = _scope_sql(region_ids, periods, params)
    columns = (
        "m.enterprise_id, m.period_kind, m.year, m.period, m.status, m.operating_revenue,"
        " m.taxes, m.employees, e.region_id, e.is_active"
    )
    verified, submitted = ReportStatus.VERIFIED.value, ReportStatus.SUBMITTED.value
    sql = f"""
        WITH filed AS (
            SELECT {columns} FROM {reports} m JOIN {enterprises} e ON e.id = m.enterprise_id
            WHERE m.status = %s {scope}
            UNION ALL
            SELECT {columns} FROM {reports} m JOIN {enterprises} e ON e.id = m.enterprise_id
            WHERE m.status = %s {scope} AND NOT EXISTS (
                SELECT 1 FROM {reports} v WHERE v.enterprise_id = m.enterprise_id
                AND v.period_kind = m.period_kind AND v.year = m.year AND v.period = m.period
                AND v.status = %s)
        )
        SELECT region_id, period_kind, year, period,
            count(*),
            count(*) FILTER (WHERE is_active),
            count(*) FILTER (WHERE is_active AND status = %s),
            count(*) FILTER (WHERE status = %s),
            sum(operating_revenue), sum(taxes), sum(employees)
        FROM filed GROUP BY region_id, period_kind, year, period
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [verified, *params, submitted, *params, verified, verified, verified]
        )
        for region_id, kind, year, period, *values in cursor.fetchall():
            for metric, value in zip(_FILED_METRICS, values, strict=True):
                yield (region_id, kind, year, period, metric), value


def _large_sql(params):
    """SQL true for a report (``m``) whose figures class an industrial firm as large: it
    reaches every ceiling of the standard's industrial rule (``sizeclass.classify``)."""
    ceiling = sizeclass.RULESETS[sizeclass.CURRENT_RULESET][sizeclass.INDUSTRIAL].ceiling
    conditions = []
    for figure, floor in sorted(ceiling.items()):
        conditions.append(f"m.{_SIZE_FIGURES[figure]} >= %s")
        params.append(floor)
    return f"COALESCE({' AND '.join(conditions)}, false)"


def _annual(region_ids, years):
    """Per region and year, over the verified annual reports: by the rule of
    ``registry.selectors.scale`` (``directory_moves`` and ``directory_size``) firms in the
    directory, entries and exits; and the plan's figures of above-scale SMEs
    (``registry.selectors.plans``)."""
    reports, enterprises = _tables()
    industrial = [
        pk for pk, code in Industry.objects.values_list("pk", "code")
        if sizeclass.is_industrial(code)
    ]
    params: list = [industrial, sizeclass.ABOVE_SCALE_THRESHOLD]
    large = _large_sql(params)
    params += [PeriodKind.YEAR.value, ReportStatus.VERIFIED.value]
    scope = ""
    if region_ids is not None:
        scope += " AND e.region_id = ANY(%s)"
        params.append(sorted(region_ids))
    current = ""
    if years is not None:
        # A year's moves compare its reports with the year before's.
        scope += " AND m.year = ANY(%s)"
        params.append(sorted({*years, *(year - 1 for year in years)}))
        current = "WHERE cur.year = ANY(%s)"
        params.append(sorted(years))
    sme = "cur.above AND NOT cur.large"
    both = f"{sme} AND cur.rd_expense IS NOT NULL AND cur.main_business_revenue IS NOT NULL"
    sql = f"""
        WITH annual AS (
            SELECT m.enterprise_id, m.year, e.region_id, e.founded_on,
                COALESCE(e.industry_id = ANY(%s) AND m.main_business_revenue >= %s, false)
                    AS above,
                {large} AS large,
                m.rd_expense, m.main_business_revenue, m.uses_digital_rd_tools, m.cnc_ratio
            FROM {reports} m JOIN {enterprises} e ON e.id = m.enterprise_id
            WHERE m.period_kind = %s AND m.status = %s {scope}
        )
        SELECT cur.region_id, cur.year,
            count(*) FILTER (WHERE cur.above),
            count(*) FILTER (WHERE cur.above AND CASE
                WHEN prev.enterprise_id IS NOT NULL THEN NOT prev.above
                ELSE extract(year FROM cur.founded_on) = cur.year END),
            count(*) FILTER (WHERE NOT cur.above AND prev.above),
            sum(cur.rd_expense) FILTER (WHERE {both}),
            sum(cur.main_business_revenue) FILTER (WHERE {both}),
            count(*) FILTER (WHERE {sme} AND cur.uses_digital_rd_tools),
            count(*) FILTER (WHERE {sme} AND cur.uses_digital_rd_tools IS NOT NULL),
            sum(cur.cnc_ratio) FILTER (WHERE {sme}),
            count(*) FILTER (WHERE {sme} AND cur.cnc_ratio IS NOT NULL)
        FROM annual cur LEFT JOIN annual prev
            ON prev.enterprise_id = cur.enterprise_id AND prev.year = cur.year - 1
        {current}
        GROUP BY cur.region_id, cur.year
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for region_id, year, *values in cursor.fetchall():
            for metric, value in zip(_ANNUAL_METRICS, values, strict=True):
                yield (region_id, PeriodKind.YEAR.value, year, 0, metric), value


def figures_from_source(
    *,
    region_ids: Collection[int] | None = None,
    periods: Collection[PeriodKey] | None = None,
) -> dict[FigureKey, Decimal | int]:
    """Every kept figure of the regions with ``region_ids`` (the regions enterprises belong
    to) and the ``periods``, recomputed from the monitoring reports; None for all. Counts of 0
    and sums over nothing are left out, as they are not kept. Two queries."""
    found: dict[FigureKey, Decimal | int] = {}
    rows = list(_filed(region_ids, periods))
    years = (
        None if periods is None
        else {year for kind, year, _period in periods if kind == PeriodKind.YEAR}
    )
    if years is None or years:
        rows.extend(_annual(region_ids, years))
    for key, value in rows:
        if value:
            found[key] = value
        elif value is not None and key[4] in metrics.SUM_METRICS:
            # A sum of zeros is a figure; a count of nothing is not kept.
            found[key] = value
    return found


def periods_q(periods: Iterable[PeriodKey]) -> Q:
    """Rows of any of ``periods`` (none: no rows)."""
    condition = Q(pk__in=[])
    for kind, year, period in periods:
        condition |= Q(period_kind=kind, year=year, period=period)
    return condition


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def figure_totals(
    *,
    periods: Iterable[PeriodKey],
    metrics_wanted: Iterable[str],
    user: User | None = None,
    within: str | None = None,
    depth: int | None = None,
) -> dict[tuple[str, str, int, int, str], Decimal | int]:
    """The kept figures of the regions ``user`` sees (or the region at path ``within`` and
    below), summed per region subtree: keyed by ``(region path, period_kind, year, period,
    metric)`` for every region above a kept row (with ``depth``, only the region at that depth,
    0 the province, or the row's own region where it lies higher). Counts come as int, sums
    of amounts as Decimal; a figure with no kept row is absent (0, or None for a sum). One
    query."""
    rows = (
        scoped(RegionFigure.objects, user=user, within=within)
        .filter(periods_q(periods), metric__in=list(metrics_wanted))
        .values_list("region__path", "period_kind", "year", "period", "metric", "value")
    )
    totals: dict[tuple[str, str, int, int, str], Decimal | int] = {}
    for path, kind, year, period, metric, value in rows:
        number: Decimal | int = int(value) if metric in metrics.INTEGER_METRICS else value
        paths = _ancestors(path) if depth is None else ["/".join(path.split("/")[: depth + 1])]
        for ancestor in paths:
            key = (ancestor, kind, year, period, metric)
            totals[key] = totals.get(key, 0) + number
    return totals
