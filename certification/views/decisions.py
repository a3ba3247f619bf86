"""Browser pages of the province's part after acceptance: the expert draw and the decision."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import selectors
from certification.choices import ApplicationStatus
from certification.forms.decisions import ApproveForm, RejectForm
from certification.forms.experts import ExpertDrawForm
from certification.policies import can_manage_experts
from certification.selectors import experts as panel_selectors
from certification.services import decisions as services
from certification.services.experts import experts_draw
from certification.templatetags.expert_panel import PANEL_STATUSES
from gansu_sme.views import allowed_if, call_service


def _get(request, pk):
    return selectors.application_get(user=request.user, pk=pk)


def _render_draw(request, application, form=None, status=200):
    context = {
        "application": application,
        "draws": panel_selectors.draw_list(application=application),
        "form": form or ExpertDrawForm(),
        "can_draw": application.status in PANEL_STATUSES,
    }
    return render(request, "certification/decisions/draw.html", context, status=status)


@allowed_if(can_manage_experts)
def application_draw(request, pk):
    """GET: the draws made so far (seed, candidates, exclusions); POST: draw."""
    application = _get(request, pk)
    if request.method != "POST":
        return _render_draw(request, application)
    form = ExpertDrawForm(request.POST)
    # The status the page showed: a repeated first draw (double click) then returns the first
    # draw instead of asking for replacements. Anything not a status is ignored.
    expected_status = request.POST.get("expected_status")
    if expected_status not in ApplicationStatus.values:
        expected_status = None
    if form.is_valid():
        draw = call_service(
            form, experts_draw, actor=request.user, application=application,
            count=form.cleaned_data["count"], seed=form.cleaned_data["seed"] or None,
            expected_status=expected_status,
        )
        if draw is not None:
            messages.success(
                request, _("%(count)s experts have been drawn.") % {"count": draw.count}
            )
            url = reverse("certification:application-draw", args=[pk])
            return redirect(f"{url}#draw-{draw.pk}")
    return _render_draw(request, application, form, status=400)


def _render_decide(request, application, forms=None, status=200):
    sheets, count = panel_selectors.panel_sheets(application=application)
    forms = forms or {}
    context = {
        "application": application,
        "sheets": sheets,
        "complete": count.complete,
        "panel_count": count,
        "pass_mark": application.campaign.ruleset.pass_mark,
        "approve_form": forms.get("approve") or ApproveForm(prefix="approve"),
        "reject_form": forms.get("reject") or RejectForm(prefix="reject"),
        "can_decide": application.status in PANEL_STATUSES,
    }
    return render(request, "certification/decisions/decide.html", context, status=status)


@allowed_if(can_manage_experts)
def application_decide(request, pk):
    return _render_decide(request, _get(request, pk))


def _decide(request, pk, name, form_class, service, message, fields):
    application = _get(request, pk)
    form = form_class(request.POST, prefix=name)
    if form.is_valid():
        kwargs = {field: form.cleaned_data[field] for field in fields}
        result = call_service(
            form, service, actor=request.user, application=application, **kwargs
        )
        if result is not None:
            messages.success(request, message)
            return redirect("certification:application-detail", pk=result.pk)
    return _render_decide(request, application, {name: form}, status=400)


@require_POST
@allowed_if(can_manage_experts)
def application_approve(request, pk):
    return _decide(
        request, pk, "approve", ApproveForm, services.application_approve,
        _("The application has been approved."), ("score", "reason"),
    )


@require_POST
@allowed_if(can_manage_experts)
def application_reject(request, pk):
    return _decide(
        request, pk, "reject", RejectForm, services.application_reject,
        _("The application has been rejected."), ("reason",),
    )
