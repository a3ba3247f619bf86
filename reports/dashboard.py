"""What the landing page shows each role, in its scope.

For an account that sees a region: that region summarised by the regions one level below it
(prefecture units under the province, counties under a prefecture) in a table with totals and,
from the province down to a prefecture, a map; the target progress of each region in compact
form; the monthly trend; what waits. Any region of the table drills down (``?region=<code>``).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gansu_sme import formatting
from gansu_sme.inbox import inbox_items
from registry.choices import RegionLevel

from . import charts, selectors
from .choices import ReportKind

INBOX_SHOWN = 20

# What the map can colour the regions by: (key, label, attribute of an AreaRow).
MAP_METRICS = (
    ("certified", gettext_lazy("Provincial 专精特新 firms"), "certified"),
    ("little_giant", gettext_lazy("National little giants"), "little_giant"),
    ("pool", gettext_lazy("Pool entries"), "pool"),
    ("enterprises", gettext_lazy("Enterprises"), "enterprises"),
)
MAP_DEFAULT = "certified"


def _link(region_code, metric):
    query = {"region": region_code}
    if metric != MAP_DEFAULT:
        query["metric"] = metric
    return f"{reverse('home')}?{urlencode(query)}#summary"


def _describe(row, month_label):
    text = _(
        "%(region)s: %(enterprises)s enterprises, %(pool)s in the pool, %(certified)s "
        "provincial 专精特新 firms, %(giants)s little giants"
    ) % {
        "region": row.region.name,
        "enterprises": formatting.number(row.enterprises),
        "pool": formatting.number(row.pool),
        "certified": formatting.number(row.certified),
        "giants": formatting.number(row.little_giant),
    }
    if row.revenue is not None:
        text += _("; operating revenue of %(month)s %(amount)s 10k yuan") % {
            "month": month_label,
            "amount": formatting.wanyuan(row.revenue),
        }
    return text


def _map(summary, metric):
    """The map of the prefectures: coloured by ``metric`` when the focus is the province,
    the focus outlined when it is a prefecture; none for a county."""
    focus = summary.focus
    if focus.level == RegionLevel.COUNTY:
        return None
    attribute = dict((key, attr) for key, _label, attr in MAP_METRICS)[metric]
    month_label = formatting.month(*summary.month)
    if focus.level == RegionLevel.PROVINCE:
        by_code = {row.region.code: row for row in summary.rows}
        selected = None
    else:
        by_code = {focus.code: summary.total}
        selected = focus.code

    def describe(code):
        row = by_code.get(code)
        return _describe(row, month_label) if row else ""

    def link(code):
        # Only regions the user sees, and only where there is something below to show.
        return _link(code, metric) if code in by_code else None

    svg, legend = charts.map_chart(
        values={code: getattr(row, attribute) for code, row in by_code.items()},
        describe=describe,
        link=link,
        selected=selected,
    )
    return {"svg": svg, "legend": legend}


def _target_cells(items):
    """Each target as one small bar: (label, actual, target, percent, bar height 0–100)."""
    cells = []
    for item in items:
        share = item.percent
        cells.append(
            {
                "metric": item.target.get_metric_display(),
                "actual": item.actual,
                "target": item.target.value,
                "percent": share,
                "bar": 0 if share is None else int(min(max(share, 0), 100)),
                "met": share is not None and share >= 100,
            }
        )
    return cells


def dashboard_context(user, *, region_code=None, metric=None):
    """The landing page's figures for ``user``, summarising the region with ``region_code``
    (one the user sees; by default the user's own). Experts see only what waits for them."""
    # The same list the menu badge counts (gansu_sme.inbox), overdue first.
    inbox = inbox_items(user)
    context = {
        "can_read_registry": user.sees_regions,
        "inbox": inbox,
        "inbox_shown": inbox[:INBOX_SHOWN],
        "notifications": list(selectors.notification_list(user=user).unread()[:5]),
    }
    if not context["can_read_registry"]:
        return context
    focus = selectors.region_focus(user=user, code=region_code)
    if focus is None:
        return context
    metric = metric if metric in {key for key, _label, _attr in MAP_METRICS} else MAP_DEFAULT
    today = timezone.localdate()
    summary = selectors.area_summary(focus=focus, today=today)
    for row in summary.rows:
        row.target_cells = _target_cells(row.targets)
    targets_met = sum(row.targets_met for row in summary.rows)
    targets_set = sum(len(row.targets) for row in summary.rows)
    trend = selectors.monthly_trend(focus=focus, year=today.year, today=today)
    home_region = selectors.region_focus(user=user)
    context.update(
        {
            "year": today.year,
            "focus": focus,
            "home_region": home_region,
            # The way back up, from the user's own region to the focus' parent.
            "trail": _trail(focus, home_region),
            "summary": summary,
            "summary_month": formatting.month(*summary.month),
            "own_targets": _target_cells(summary.own_targets),
            "targets_met": targets_met,
            "targets_set": targets_set,
            "map": _map(summary, metric),
            "map_metric": metric,
            "map_metrics": [
                (key, label, _link(focus.code, key)) for key, label, _attr in MAP_METRICS
            ],
            "trend": trend,
            "trend_chart": charts.trend_chart(trend, year=today.year) if trend else None,
            "latest_reports": _latest_reports(user),
        }
    )
    return context


def _latest_reports(user):
    """The newest monthly and KPI report of the user's region, named in the reader's
    language: [(kind key, report, name)]."""
    latest = []
    for key, kind in (("monthly", ReportKind.MONTHLY), ("kpi", ReportKind.QUARTERLY_KPI)):
        report = selectors.report_latest(user=user, kind=kind)
        if report is not None:
            period = report.spec.period_shown(report.year, report.period)
            name = f"{report.region.name} {period} {report.get_kind_display()}"
            latest.append((key, report, name))
    return latest


def _trail(focus, home):
    """The regions from ``home`` down to the parent of ``focus``, each a link back up."""
    trail = []
    region = focus.parent
    while region is not None and home is not None and region.path.startswith(home.path):
        trail.append({"name": region.name, "url": _link(region.code, MAP_DEFAULT)})
        region = region.parent
    return list(reversed(trail))
