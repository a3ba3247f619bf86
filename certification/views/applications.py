"""Browser pages of applications: review queues, the task list, the nomination form with its
live pre-check, the application page with its timeline, evidence and actions."""

from django.contrib import messages
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import Role
from certification import selectors
from certification.choices import ApplicationStatus, Verb
from certification.documents import region_label
from certification.filtersets.applications import ApplicationFilterSet
from certification.forms.applications import (
    ApplicationForm,
    AttachmentForm,
    OpinionForm,
    ReasonForm,
)
from certification.services import applications as services
from certification.services.attachments import attachment_add, can_attach
from certification.services.evaluations import evaluation_run
from certification.services.workflow import REASON_REQUIRED, allowed_verbs
from certification.tables import ApplicationTable, precheck_rows, summary_reasons
from gansu_sme import exceptions
from gansu_sme.lists import ObjectListView
from gansu_sme.views import allowed_if, call_service

# The verbs these pages carry out; the other verbs' buttons come from the decision pages.
PAGE_VERBS = tuple(services.VERB_SERVICES)
# Verbs that take a text with them, by the form that asks for it and the service's argument.
FORM_VERBS = {
    **{verb: (ReasonForm, "reason") for verb in REASON_REQUIRED},
    Verb.RECOMMEND: (OpinionForm, "opinion"),
}
DONE = {
    Verb.SUBMIT: gettext_lazy("The application has been submitted."),
    Verb.REVIEW: gettext_lazy("The county review has been recorded."),
    Verb.RECOMMEND: gettext_lazy("The application has been recommended to the province."),
    Verb.ACCEPT: gettext_lazy("The application has been accepted."),
    Verb.RETURN: gettext_lazy("The application has been returned."),
    Verb.WITHDRAW: gettext_lazy("The application has been withdrawn."),
}


def signed_in(user):
    # Rows are scoped by visible_to (experts see only what is assigned to them).
    return True


def _get(request, pk):
    return selectors.application_get(user=request.user, pk=pk)


class ApplicationList(ObjectListView):
    table_class = ApplicationTable
    filterset_class = ApplicationFilterSet
    template_name = "certification/applications/list.html"
    partial_template_name = "certification/applications/partials/results.html"
    default_ordering = ("-status_changed_at", "-pk")

    def get_queryset(self):
        # Rows are scoped by visible_to (experts see only what is assigned to them).
        return selectors.application_list(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "can_file": services.can_file(self.request.user)}


class ApplicationTasks(ApplicationList):
    filterset_class = None
    template_name = "certification/applications/tasks.html"
    empty_text = gettext_lazy("Nothing waits for you.")

    def get_queryset(self):
        # Overdue stages first: the selector's order.
        return selectors.applications_waiting_for(self.request.user)

    def get_context_data(self, **context):
        return {**context, "tasks": True}


def _precheck(request, form, enterprise, campaign):
    """Run the rule set over the figures and the entries on the form; nothing is saved."""
    try:
        evaluation = evaluation_run(
            actor=request.user,
            enterprise=enterprise,
            ruleset=campaign.ruleset,
            manual_inputs=form.manual_inputs(),
            declared_figures=form.declared_figures(),
            year=campaign.year - 1,
            save=False,
        )
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except exceptions.DomainError as exc:
        form.add_service_error(exc)
        return None
    return precheck_context(evaluation)


def precheck_context(evaluation):
    return {
        "evaluation": evaluation,
        "rows": precheck_rows(
            evaluation.results,
            evaluation.summary,
            {item.code: item for item in evaluation.ruleset.items.all()},
        ),
        "overall": summary_reasons(evaluation.summary),
    }


def _form_targets(form, application):
    if application is not None:
        return application.enterprise, application.campaign
    if form.is_valid():
        return form.cleaned_data["enterprise"], form.cleaned_data["campaign"]
    return None, None


def _form_page(request, form, application=None):
    precheck = None
    checking = request.method == "POST" and "check" in request.POST
    if checking and form.is_valid():
        enterprise, campaign = _form_targets(form, application)
        precheck = _precheck(request, form, enterprise, campaign)
    context = {"form": form, "application": application, "precheck": precheck}
    if request.htmx and checking:
        return render(request, "certification/applications/partials/precheck.html", context)
    status = 400 if request.method == "POST" and not checking else 200
    return render(request, "certification/applications/form.html", context, status=status)


@allowed_if(services.can_file)
def application_create(request):
    campaigns = selectors.campaigns_open_for_filing(user=request.user).select_related(
        "ruleset"
    ).prefetch_related("ruleset__items")
    form = ApplicationForm(
        request.POST or None, actor=request.user, campaigns=campaigns,
        initial={"campaign": request.GET.get("campaign"), "enterprise": request.GET.get("uscc")},
    )
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        application = call_service(
            form, services.application_create, actor=request.user, **form.service_fields()
        )
        if application is not None:
            messages.success(
                request, _("The draft has been saved. Attach the enterprise's signed application.")
            )
            return redirect("certification:application-detail", pk=application.pk)
    return _form_page(request, form)


@allowed_if(services.can_file)
def application_edit(request, pk):
    application = _get(request, pk)
    if application.status not in services.EDITABLE_STATUSES:
        messages.error(request, _("Only a draft application can be changed."))
        return redirect("certification:application-detail", pk=application.pk)
    form = ApplicationForm(request.POST or None, actor=request.user, application=application)
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        fields = form.service_fields()
        changed = call_service(
            form, services.application_update, actor=request.user, application=application,
            **fields,
        )
        if changed is not None:
            messages.success(request, _("The draft has been saved."))
            return redirect("certification:application-detail", pk=changed.pk)
    return _form_page(request, form, application)


@require_POST
@allowed_if(services.can_file)
def application_precheck(request, pk=None):
    """The live pre-check (htmx): the same partial the form's "check" button renders."""
    application = _get(request, pk) if pk is not None else None
    campaigns = selectors.campaigns_open_for_filing(user=request.user).prefetch_related(
        "ruleset__items"
    )
    form = ApplicationForm(
        request.POST, actor=request.user, campaigns=campaigns, application=application
    )
    precheck = None
    if form.is_valid():
        enterprise, campaign = _form_targets(form, application)
        precheck = _precheck(request, form, enterprise, campaign)
    return render(
        request, "certification/applications/partials/precheck.html",
        {"form": form, "application": application, "precheck": precheck},
    )


def _decision(user, application):
    """The panel score and the decision, once there is either; experts score on their own,
    so the panel's figures are not shown to them."""
    if user.role == Role.EXPERT:
        return None
    transition = selectors.application_decision(application=application)
    if transition is None and application.panel_score is None:
        return None
    return {"transition": transition, "pass_mark": application.campaign.ruleset.pass_mark}


def _render_detail(request, application, forms=None, status=200):
    user = request.user
    verbs = [verb for verb in allowed_verbs(user, application) if verb in PAGE_VERBS]
    forms = forms or {}
    evaluation = application.evaluation
    context = {
        "application": application,
        "transitions": selectors.application_transitions(application=application),
        "attachments": application.attachments.select_related("uploaded_by"),
        "verbs": verbs,
        "plain_verbs": [v for v in verbs if v not in FORM_VERBS],
        "reason_forms": {
            verb: forms.get(verb) or FORM_VERBS[verb][0](prefix=verb)
            for verb in verbs
            if verb in FORM_VERBS
        },
        "opinion": selectors.application_opinion(application=application),
        "decision": _decision(user, application),
        "attachment_form": forms.get("attachment") or AttachmentForm(),
        "can_attach": can_attach(user, application),
        "can_edit": services.can_file(user)
        and application.status in services.EDITABLE_STATUSES
        and Verb.SUBMIT in verbs,
        "precheck": precheck_context(evaluation) if evaluation is not None else None,
    }
    return render(request, "certification/applications/detail.html", context, status=status)


@allowed_if(signed_in)
def application_detail(request, pk):
    return _render_detail(request, _get(request, pk))


def _act(request, pk, verb):
    application = _get(request, pk)
    kwargs = {"expected_status": request.POST.get("expected_status") or None}
    if kwargs["expected_status"] not in (None, *ApplicationStatus.values):
        kwargs["expected_status"] = None
    if verb in FORM_VERBS:
        form_class, argument = FORM_VERBS[verb]
        form = form_class(request.POST, prefix=verb)
        if not form.is_valid():
            return _render_detail(request, application, {verb: form}, status=400)
        kwargs[argument] = form.cleaned_data[argument]
    try:
        changed = services.VERB_SERVICES[verb](
            actor=request.user, application=application, **kwargs
        )
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except exceptions.DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification:application-detail", pk=application.pk)
    messages.success(request, DONE[verb])
    return redirect("certification:application-detail", pk=changed.pk)


def action_view(verb):
    @require_POST
    @allowed_if(signed_in)
    def view(request, pk):
        return _act(request, pk, verb)

    view.__name__ = f"application_{verb}"
    return view


@require_POST
@allowed_if(signed_in)
def attachment_upload(request, pk):
    application = _get(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = call_service(
            form, attachment_add, actor=request.user, application=application,
            kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
        )
        if attachment is not None:
            messages.success(request, _("The file has been attached."))
            return redirect(reverse("certification:application-detail", args=[pk]))
    return _render_detail(request, application, {"attachment": form}, status=400)


@allowed_if(signed_in)
def attachment_download(request, pk, attachment_pk):
    attachment = selectors.attachment_get(
        user=request.user, application_pk=pk, pk=attachment_pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@allowed_if(services.can_file)
def firm_search(request):
    """The firm picker's type-ahead: firms of the official's region matching ``q``, as JSON."""
    firms = selectors.firms_for_filing(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse({
        "results": [
            {
                "uscc": firm.uscc,
                "name": firm.name,
                "region": region_label(firm.region),
            }
            for firm in firms
        ]
    })
