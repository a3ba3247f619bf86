"""What the landing page shows each role, in its scope."""

from django.utils import timezone

from gansu_sme.inbox import inbox_items

from . import charts, selectors
from .choices import ReportKind

INBOX_SHOWN = 20


def dashboard_context(user):
    """Funnel, targets, trends and what waits, for an account that sees a region; for one that
    sees none (experts) only what waits for them."""
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
    year = timezone.localdate().year
    funnel = selectors.funnel(user=user)
    targets = selectors.target_rows(user=user, year=year)
    trend = selectors.monthly_trend(user=user, year=year)
    context.update(
        {
            "year": year,
            "funnel": funnel,
            "funnel_chart": charts.funnel_chart(funnel),
            "targets": targets,
            "targets_chart": charts.targets_chart(targets) if targets else None,
            "trend": trend,
            "trend_chart": charts.trend_chart(trend) if trend else None,
            "latest_monthly": selectors.report_latest(user=user, kind=ReportKind.MONTHLY),
            "latest_kpi": selectors.report_latest(user=user, kind=ReportKind.QUARTERLY_KPI),
        }
    )
    return context
