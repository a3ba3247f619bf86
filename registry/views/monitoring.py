"""Browser pages of monitoring reports: thin adapters over the selectors and services."""


from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gansu_sme import exceptions
from registry import policies
from registry.choices import REPORT_EDITABLE, ReportStatus
from registry.filtersets.monitoring import MonitoringReportFilterSet
from registry.forms.monitoring import MonitoringFiguresForm, MonitoringReportForm, ReturnForm
from registry.quality import flag_message
from registry.selectors import monitoring as selectors
from registry.services import monitoring as services
from registry.tables.monitoring import (
    MonitoringReportTable,
    VerificationQueueTable,
    detail_figures,
)

from .base import RegistryListView, allowed_if, call_service, can_read, get_enterprise


def can_file(user):
    return user.has_role(*policies.REPORT_FILER_ROLES)


can_verify = policies.report_verifiable_by


def _get_report(request, pk):
    return selectors.monitoring_report_get(user=request.user, pk=pk)


def _back(request, report):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("registry:monitoring-detail", pk=report.pk)


class MonitoringList(RegistryListView):
    table_class = MonitoringReportTable
    filterset_class = MonitoringReportFilterSet
    template_name = "registry/monitoring/list.html"
    partial_template_name = "registry/monitoring/partials/results.html"
    # Latest periods first, the latest filed first within a period: an order one index serves
    # (sorting by the firm's name would sort every report of the period on each page).
    default_ordering = ("-year", "-period", "-id")
    export_listing = "monitoring_reports"
    export_title = "运行监测"

    def get_queryset(self):
        return selectors.monitoring_report_list(user=self.request.user)


class MonitoringQueue(RegistryListView):
    """Reports waiting for the user's verification, oldest first (the selector's order)."""

    table_class = VerificationQueueTable
    template_name = "registry/monitoring/queue.html"

    def allowed(self, user):
        return can_verify(user)

    def get_queryset(self):
        return selectors.monitoring_report_queue(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "next": self.request.get_full_path()}


def _render_detail(request, report, return_form=None, status=200):
    user = request.user
    context = {
        "report": report,
        "figures": detail_figures(report),
        "transitions": selectors.monitoring_report_transitions(report=report),
        "can_edit": can_file(user) and report.status in REPORT_EDITABLE,
        "can_submit": can_file(user) and report.status in REPORT_EDITABLE,
        "can_correct": can_file(user) and report.status == ReportStatus.VERIFIED,
        "can_verify": can_verify(user, report) and report.status == ReportStatus.SUBMITTED,
        "return_form": return_form or ReturnForm(),
        "correct_query": urlencode(
            {"period_kind": report.period_kind, "year": report.year, "period": report.period}
        ),
    }
    return render(request, "registry/monitoring/detail.html", context, status=status)


@allowed_if(can_read)
def monitoring_detail(request, pk):
    return _render_detail(request, _get_report(request, pk))


def _saved_message(request, result):
    if result.report.status == ReportStatus.SUBMITTED:
        messages.success(request, _("The report has been submitted for verification."))
    elif result.outcome == services.UNCHANGED:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("The report has been saved."))
    for flag in result.report.flags:
        messages.warning(request, flag_message(flag))


def _initial_for_period(request, enterprise):
    """The form's first values: the period asked for and, for a correction, its figures."""
    initial = {
        key: request.GET[key] for key in ("period_kind", "year", "period") if key in request.GET
    }
    try:
        key = (initial["period_kind"], int(initial["year"]), int(initial.get("period", 0)))
    except (KeyError, ValueError):
        return initial
    current = selectors.monitoring_report_current(
        user=request.user, enterprise=enterprise, period_kind=key[0], year=key[1], period=key[2]
    )
    if current is not None:
        initial.update(
            {name: getattr(current, name) for name in MonitoringFiguresForm.figure_names}
        )
    return initial


@allowed_if(can_file)
def monitoring_create(request, uscc):
    """File figures for a period; a verified period gets a correction, an open one is updated."""
    enterprise = get_enterprise(request, uscc)
    form = MonitoringReportForm(
        request.POST or None, initial=_initial_for_period(request, enterprise)
    )
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            services.monitoring_report_save,
            actor=request.user,
            enterprise=enterprise,
            period_kind=form.cleaned_data["period_kind"],
            year=form.cleaned_data["year"],
            period=form.cleaned_data["period"],
            figures=form.figures(),
            submit="submit" in request.POST,
        )
        if result is not None:
            _saved_message(request, result)
            return redirect("registry:monitoring-detail", pk=result.report.pk)
    return render(
        request, "registry/monitoring/form.html", {"form": form, "enterprise": enterprise}
    )


@allowed_if(can_file)
def monitoring_edit(request, pk):
    report = _get_report(request, pk)
    if report.status not in REPORT_EDITABLE:
        messages.error(request, _("Only a draft or returned report can be edited."))
        return redirect("registry:monitoring-detail", pk=report.pk)
    initial = {name: getattr(report, name) for name in MonitoringFiguresForm.figure_names}
    form = MonitoringFiguresForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            services.monitoring_report_update,
            actor=request.user,
            report=report,
            figures=form.figures(),
            submit="submit" in request.POST,
        )
        if result is not None:
            _saved_message(request, result)
            return redirect("registry:monitoring-detail", pk=result.report.pk)
    context = {"form": form, "enterprise": report.enterprise, "report": report}
    return render(request, "registry/monitoring/form.html", context)


def _change(request, pk, service, done, **kwargs):
    report = _get_report(request, pk)
    try:
        changed = service(actor=request.user, report=report, **kwargs)
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except exceptions.DomainError as exc:
        messages.error(request, exc.message)
        return _back(request, report)
    messages.success(request, done)
    return _back(request, changed)


@require_POST
@allowed_if(can_file)
def monitoring_submit(request, pk):
    return _change(
        request, pk, services.monitoring_report_submit,
        _("The report has been submitted for verification."),
    )


@require_POST
@allowed_if(can_verify)
def monitoring_verify(request, pk):
    return _change(
        request, pk, services.monitoring_report_verify, _("The report has been verified.")
    )


@require_POST
@allowed_if(can_verify)
def monitoring_return(request, pk):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        report = _get_report(request, pk)
        return _render_detail(request, report, return_form=form, status=400)
    return _change(
        request, pk, services.monitoring_report_return,
        _("The report has been returned to its filers."),
        reason=form.cleaned_data["reason"],
    )
