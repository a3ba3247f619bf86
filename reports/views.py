"""Browser pages: the report list, a report's figures and its workbook, the notifications."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gansu_sme.lists import ObjectListView
from gansu_sme.views import allowed_if

from . import selectors
from .dashboard import dashboard_context
from .filtersets import ReportFilterSet
from .services import notifications
from .tables import ReportTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_read(user):
    # Reports are per region; accounts that see no region (experts) have none to read.
    return user.sees_regions


class ReportList(ObjectListView):
    table_class = ReportTable
    filterset_class = ReportFilterSet
    template_name = "reports/report_list.html"
    default_ordering = ("-year", "-period", "kind", "region__path", "pk")

    def allowed(self, user):
        return can_read(user)

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)


def _report(request, pk, **options):
    return selectors.report_get(user=request.user, pk=pk, **options)


@allowed_if(can_read)
def report_detail(request, pk):
    report = _report(request, pk)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "rows": report.rows,
            "period": report.spec.period_shown(report.year, report.period),
        },
    )


def xlsx_response(report):
    response = HttpResponse(bytes(report.xlsx), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report-{report.pk}.xlsx\"; "
        f"filename*=UTF-8''{quote(report.filename)}"
    )
    return response


@allowed_if(can_read)
def report_download(request, pk):
    return xlsx_response(_report(request, pk, with_workbook=True))


class NotificationList(ObjectListView):
    """The user's notifications, newest first; a feed rather than a table."""

    table_class = None
    template_name = "reports/notification_list.html"

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)


@login_required
def notification_badge(request):
    """The unread count for the navigation, fetched by htmx after the page has loaded."""
    unread = selectors.unread_count(request.user)
    return render(request, "reports/partials/badge.html", {"unread": unread})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark read, then follow the notification's link (or go back to the list)."""
    notification = notifications.notification_mark_read(
        actor=request.user, notification_id=pk
    )
    target = notification.link if request.POST.get("follow") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reports:notification-list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("reports:notification-list")


@login_required
def home(request):
    """The landing page: the dashboard of the official's region (``?region=<code>`` drills
    down to a region below it, ``?metric=`` picks what the map shows) and what waits for them.

    Registry pages and the dashboard's figures serve accounts that see a region; experts see
    none and get only what waits for them.
    """
    context = dashboard_context(
        request.user,
        region_code=request.GET.get("region"),
        metric=request.GET.get("metric"),
    )
    return render(request, "reports/home.html", context)
