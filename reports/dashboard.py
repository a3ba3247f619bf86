"""What the landing page shows each role, in its scope."""

from django.db.models import Count, Window
from django.utils import timezone

from certification import selectors as certification_selectors

from . import charts, selectors
from .choices import ReportKind

WAITING_SHOWN = 10


def dashboard_context(user):
    """Funnel, targets, trends and what waits, for an account that sees a region; for one that
    sees none (experts) only what waits for them."""
    # The count comes with the first rows (a window over the same rows, which
    # ``certification.selectors.waiting_count`` counts for the navigation), not from a query
    # of its own. The navigation's count stays a query of its own: its tag takes no value
    # from the page.
    waiting = list(
        certification_selectors.applications_waiting_for(user).annotate(
            waiting_total=Window(Count("pk"))
        )[:WAITING_SHOWN]
    )
    context = {
        "can_read_registry": user.sees_regions,
        "waiting": waiting,
        "waiting_count": waiting[0].waiting_total if waiting else 0,
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
