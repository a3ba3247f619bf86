"""Browser pages of the financing app: thin adapters over its selectors and services."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import Role
from financing import selectors, services
from financing.filtersets import FinancingNeedFilterSet, MatchingEventFilterSet
from financing.forms import (
    ContactForm,
    CreditAdmitForm,
    CreditRatingForm,
    EventForm,
    GrantForm,
    NeedForm,
    NeedImportForm,
    OptionalReasonForm,
    PutNeedsForm,
    ReasonForm,
)
from financing.imports import NEED_COLUMNS, NOTES, TITLE
from financing.models import MatchOutcome
from financing.tables import CreditCultivationTable, FinancingNeedTable, MatchingEventTable
from gansu_sme import exceptions
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.excel.writer import write_template
from gansu_sme.lists import ObjectListView
from gansu_sme.views import ActionView, allowed_if, call_service
from registry import selectors as registry_selectors
from registry.services import export_record


def can_read(user):
    """Staff who see a region, and the staff of financial institutions (whose rows the
    querysets narrow to what firms shared with them)."""
    return user.sees_regions or user.role == Role.INSTITUTION_STAFF


def sees_regions(user):
    return user.sees_regions


def _need_url(need):
    return reverse("financing:need-detail", args=[need.pk])


def _event_url(event):
    return reverse("financing:event-detail", args=[event.pk])


# --- needs ---------------------------------------------------------------------------------


class NeedList(ObjectListView):
    table_class = FinancingNeedTable
    filterset_class = FinancingNeedFilterSet
    template_name = "financing/need_list.html"
    export_listing = "financing_needs"
    export_title = "融资需求"
    log_export = staticmethod(export_record)

    def allowed(self, user):
        return can_read(user)

    def get_queryset(self):
        return selectors.need_list(user=self.request.user)

    def get_context_data(self, **context):
        user = self.request.user
        return {**context, "can_file": services.may_file(user)}


def _render_need(request, need, forms=None, status=200):
    actions = services.need_actions(request.user, need)
    forms = forms or {}
    return render(request, "financing/need_detail.html", {
        "need": need,
        "outcomes": selectors.need_outcomes(user=request.user, need=need),
        "transitions": selectors.need_transitions(need=need),
        "action_forms": {
            verb: forms.get(verb) or ReasonForm(prefix=verb) for verb in actions
        },
    }, status=status)


@allowed_if(can_read)
def need_detail(request, pk):
    return _render_need(request, selectors.need_get(user=request.user, pk=pk))


class NeedAction(ActionView):
    form_class = ReasonForm
    object_name = "need"

    def allowed(self, user):
        return services.may_file(user) or services.may_organise(user)

    def get_object(self):
        return selectors.need_get(user=self.request.user, pk=self.kwargs["pk"])

    def success_url(self, result):
        return _need_url(result)

    def refused(self, need, form):
        return _render_need(self.request, need, {self.form_prefix: form}, status=400)


class NeedWithdraw(NeedAction):
    form_prefix = "withdraw"
    service = services.need_withdraw
    success_message = gettext_lazy("The need has been withdrawn.")


class NeedClose(NeedAction):
    form_prefix = "close"
    service = services.need_close
    success_message = gettext_lazy("The need has been closed as unmet.")


need_withdraw = NeedWithdraw.as_view()
need_close = NeedClose.as_view()


def _form_page(request, form, *, title, back, enterprise=None, multipart=False):
    return render(request, "financing/form.html", {
        "form": form, "title": title, "back": back, "enterprise": enterprise,
        "multipart": multipart,
    }, status=400 if form.is_bound else 200)


@allowed_if(services.may_file)
def need_file(request, uscc):
    enterprise = registry_selectors.enterprise_get(user=request.user, uscc=uscc)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = call_service(form, services.need_file, actor=request.user, enterprise=enterprise,
                            **form.cleaned_data)
        if need is not None:
            messages.success(request, _("The financing need has been filed."))
            return redirect(_need_url(need))
    return _form_page(
        request, form, title=_("File a financing need"), enterprise=enterprise,
        back=reverse("registry:enterprise-detail", args=[enterprise.uscc]),
    )


@allowed_if(services.may_file)
def need_import(request):
    form = NeedImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.need_import(actor=request.user, upload=form.cleaned_data["file"])
        except exceptions.ANSWERED_BY_STATUS:
            raise
        except exceptions.DomainError as exc:
            form.add_error("file", str(exc.message))
        if result is not None and not result.errors:
            messages.success(
                request, _("%(count)s financing needs have been filed.") % {"count": result.created}
            )
            return redirect(reverse("financing:need-list"))
    status = 400 if form.is_bound else 200
    return render(request, "financing/need_import.html", {
        "form": form, "result": result, "notes": NOTES,
    }, status=status)


@allowed_if(services.may_file)
def need_import_template(request):
    workbook = write_template(NEED_COLUMNS, title=TITLE, notes=NOTES)
    return FileResponse(workbook, as_attachment=True, filename=f"{TITLE}导入模板.xlsx",
                        content_type=XLSX_CONTENT_TYPE)


# --- matching events -----------------------------------------------------------------------


class EventList(ObjectListView):
    table_class = MatchingEventTable
    filterset_class = MatchingEventFilterSet
    template_name = "financing/event_list.html"

    def allowed(self, user):
        return can_read(user)

    def get_queryset(self):
        return selectors.event_list(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "can_organise": services.may_organise(self.request.user)}


@allowed_if(services.may_organise)
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = call_service(form, services.event_create, actor=request.user,
                             **form.cleaned_data)
        if event is not None:
            messages.success(request, _("The matching event has been created."))
            return redirect(_event_url(event))
    return _form_page(request, form, title=_("New matching event"),
                      back=reverse("financing:event-list"))


OUTCOME_FORMS = {
    "contact": ContactForm,
    "review": OptionalReasonForm,
    "grant": GrantForm,
    "refuse": ReasonForm,
}
OUTCOME_SERVICES = {
    "contact": services.outcome_contact,
    "review": services.outcome_review,
    "grant": services.outcome_grant,
    "refuse": services.outcome_refuse,
}


def _outcome_form(verb, event, outcome, data=None):
    form_class = OUTCOME_FORMS[verb]
    kwargs = {"prefix": f"{verb}-{outcome.pk}"}
    if form_class in (ContactForm, GrantForm):
        kwargs["event"] = event
        if outcome.institution_id:
            kwargs["initial"] = {"institution": outcome.institution_id}
    return form_class(data, **kwargs)


def _render_event(request, event, *, refused=None, put_form=None, status=200):
    outcomes = list(selectors.event_outcomes(user=request.user, event=event))
    organiser = services.may_organise(request.user)
    rows = []
    for outcome in outcomes:
        verbs = services.outcome_actions(request.user, outcome) if organiser else []
        forms = {}
        for verb in verbs:
            if refused and refused[0] == outcome.pk and refused[1] == verb:
                forms[verb] = refused[2]
            else:
                forms[verb] = _outcome_form(verb, event, outcome)
        rows.append((outcome, forms))
    candidates = selectors.need_candidates(user=request.user, event=event)
    return render(request, "financing/event_detail.html", {
        "event": event,
        "institutions": event.institutions.all(),
        "rows": rows,
        "put_form": put_form or (PutNeedsForm(candidates=candidates) if organiser else None),
        "can_organise": organiser,
    }, status=status)


@allowed_if(can_read)
def event_detail(request, pk):
    return _render_event(request, selectors.event_get(user=request.user, pk=pk))


@require_POST
@allowed_if(services.may_organise)
def event_put_needs(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    candidates = selectors.need_candidates(user=request.user, event=event)
    form = PutNeedsForm(request.POST, candidates=candidates)
    if form.is_valid():
        outcomes = call_service(form, services.event_put_needs, actor=request.user, event=event,
                                needs=form.cleaned_data["needs"])
        if outcomes is not None:
            messages.success(request, _("The needs have been put to the event."))
            return redirect(_event_url(event))
    return _render_event(request, event, put_form=form, status=400)


@require_POST
@allowed_if(services.may_organise)
def outcome_act(request, pk, outcome_pk, verb):
    if verb not in OUTCOME_SERVICES:
        raise Http404
    event = selectors.event_get(user=request.user, pk=pk)
    outcome = MatchOutcome.objects.visible_to(request.user).filter(
        event=event, pk=outcome_pk
    ).first()
    if outcome is None:
        raise Http404
    form = _outcome_form(verb, event, outcome, request.POST)
    if form.is_valid():
        result = call_service(form, OUTCOME_SERVICES[verb], actor=request.user,
                              outcome=outcome, **form.cleaned_data)
        if result is not None:
            messages.success(request, _("The outcome has been recorded."))
            return redirect(f"{_event_url(event)}#outcome-{outcome.pk}")
    return _render_event(request, event, refused=(outcome.pk, verb, form), status=400)


# --- report and credit cultivation ---------------------------------------------------------


@allowed_if(sees_regions)
def financing_report(request):
    report = selectors.financing_report(user=request.user, day=timezone.localdate())
    return render(request, "financing/report.html", {
        "report": report, "totals": selectors.report_totals(report),
    })


class CreditList(ObjectListView):
    table_class = CreditCultivationTable
    template_name = "financing/credit_list.html"

    def allowed(self, user):
        return sees_regions(user)

    def get_queryset(self):
        return selectors.credit_list(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "can_write": services.may_keep_credit_list(self.request.user)}


def _credit_form(request, form_class, service, title, done):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("enterprise").strip().upper()
        enterprise = registry_selectors.enterprise_list(user=request.user).filter(
            uscc=code
        ).first()
        if enterprise is None:
            form.add_error("enterprise", _("No enterprise of your region has this credit code."))
        elif call_service(form, service, actor=request.user, enterprise=enterprise,
                          **data) is not None:
            messages.success(request, done)
            return redirect("financing:credit-list")
    return _form_page(request, form, title=title, back=reverse("financing:credit-list"))


@allowed_if(services.may_keep_credit_list)
def credit_admit(request):
    return _credit_form(request, CreditAdmitForm, services.credit_admit,
                        _("Admit to the credit-cultivation list"),
                        _("The enterprise has been admitted to the credit-cultivation list."))


@allowed_if(services.may_keep_credit_list)
def credit_rate(request):
    return _credit_form(request, CreditRatingForm, services.credit_rating_record,
                        _("Record a credit rating"), _("The credit rating has been recorded."))
