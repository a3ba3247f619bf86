"""Browser pages of the yearly targets: progress per region and the form that sets them."""

from itertools import groupby

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import selectors, services
from registry.forms import PlanFigureForm, TargetForm
from registry.models import PlanTarget

from .base import allowed_if, call_service, can_read

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def _can_set(user):
    return user.has_role(*services.TARGET_SETTER_ROLES)


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if EARLIEST_YEAR <= year <= LATEST_YEAR else timezone.localdate().year


@allowed_if(can_read)
def target_progress(request):
    year = _year(request)
    progress = selectors.target_progress(user=request.user, year=year)
    this_year = timezone.localdate().year
    targets = selectors.target_list(user=request.user).order_by()
    years = set(targets.values_list("year", flat=True).distinct())
    years.update({this_year, year})
    context = {
        "year": year,
        "years": sorted(years, reverse=True),
        "regions": [
            (region, list(rows))
            for region, rows in groupby(progress, key=lambda row: row.target.region)
        ],
        "can_set": _can_set(request.user),
        "plans": [
            (plan, list(rows))
            for plan, rows in groupby(
                selectors.plan_progress(user=request.user), key=lambda row: row.target.plan
            )
        ],
        "can_enter_figures": request.user.has_role(*services.PLAN_FIGURE_ROLES),
    }
    return render(request, "registry/targets/progress.html", context)


@allowed_if(_can_set)
def target_set(request):
    initial = {}
    for name in ("year", "metric"):
        if name in request.GET:
            initial[name] = request.GET[name]
    form = TargetForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, services.target_set, actor=request.user, **form.cleaned_data)
        if saved is not None:
            target, _created = saved
            messages.success(request, _("The target has been saved."))
            return redirect(f"{reverse('registry:target-progress')}?year={target.year}")
    return render(
        request, "registry/targets/form.html", {"form": form},
        status=400 if form.is_bound else 200,
    )


@allowed_if(lambda user: user.has_role(*services.PLAN_FIGURE_ROLES))
def plan_figure_enter(request, pk):
    target = get_object_or_404(PlanTarget.objects.select_related("plan"), pk=pk)
    form = PlanFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.plan_figure_enter, actor=request.user, target=target,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("The figure has been recorded."))
            return redirect(f"{reverse('registry:target-progress')}#plan-{target.plan_id}")
    return render(
        request, "registry/targets/plan_figure_form.html", {"form": form, "target": target},
        status=400 if form.is_bound else 200,
    )
