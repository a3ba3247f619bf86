"""Browser pages of the cultivation pool: thin adapters over the pool selectors and services."""

from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gansu_sme.views import ActionView
from registry import selectors, services
from registry.choices import PoolEntryStatus, PoolKind, PoolTier
from registry.filtersets import PoolEntryFilterSet
from registry.forms import (
    CategoryForm,
    CultivationPlanForm,
    PoolEntryAdmitForm,
    PoolEntryEditForm,
    ReasonForm,
    ServiceVisitForm,
)
from registry.models import CultivationPlan, ServiceVisit
from registry.tables import PoolEntryTable

from .base import RegistryListView, allowed_if, call_service, can_read, get_enterprise

# A bare pool URL opens the current 专精特新 pool, spelled out so the filters show it.
DEFAULT_LIST_QUERY = {"pool": PoolKind.ZJTX, "status": PoolEntryStatus.ACTIVE}
TRANSITION_FORMS = ("promote", "graduate", "remove")


def _can_write(user):
    return user.has_role(*services.POOL_WRITER_ROLES)


def _get_entry(request, pk):
    return selectors.pool_entry_get(user=request.user, pk=pk)


def _detail_url(entry):
    return reverse("registry:pool-entry-detail", args=[entry.pk])


class PoolEntryList(RegistryListView):
    table_class = PoolEntryTable
    filterset_class = PoolEntryFilterSet
    template_name = "registry/pool/entry_list.html"
    partial_template_name = "registry/pool/partials/entry_results.html"
    export_listing = "pool_entries"
    export_title = "培育库"

    def get(self, request, *args, **kwargs):
        if not self.export and not request.GET:
            return redirect(
                f"{reverse('registry:pool-entry-list')}?{urlencode(DEFAULT_LIST_QUERY)}"
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.pool_entry_list(user=self.request.user)

    def get_context_data(self, filter, **context):
        valid = filter.is_valid()
        return {
            **context,
            "filter": filter,
            "pools": PoolKind.choices,
            "tiers": PoolTier.choices,
            "current_pool": filter.form.cleaned_data.get("pool") if valid else "",
            "current_tier": filter.form.cleaned_data.get("tier") if valid else "",
            "can_admit": bool(services.pool_admit_tiers(self.request.user)),
        }


def _render_detail(request, entry, forms=None, status=200):
    actions = services.pool_entry_actions(request.user, entry)
    forms = forms or {}
    context = {
        "entry": entry,
        "detail": selectors.pool_entry_detail(entry=entry),
        "actions": actions,
        "transition_forms": {
            name: forms.get(name) or ReasonForm(prefix=name)
            for name in TRANSITION_FORMS
            if name in actions
        },
        "category_form": forms.get("category")
        or CategoryForm(initial={"category": entry.category}, prefix="category"),
    }
    return render(request, "registry/pool/entry_detail.html", context, status=status)


@allowed_if(can_read)
def pool_entry_detail(request, pk):
    return _render_detail(request, _get_entry(request, pk))


class PoolEntryAction(ActionView):
    """A POST from the entry's page that calls one pool service; a refusal shows there."""

    object_name = "entry"

    def allowed(self, user):
        return _can_write(user)

    def get_object(self):
        return _get_entry(self.request, self.kwargs["pk"])

    def success_url(self, result):
        return _detail_url(result)

    def refused(self, entry, form):
        return _render_detail(self.request, entry, {self.form_prefix: form}, status=400)


class PoolEntryPromote(PoolEntryAction):
    form_class = ReasonForm
    form_prefix = "promote"
    service = services.pool_entry_promote
    success_message = gettext_lazy("The entry has been promoted to the next tier.")


class PoolEntryGraduate(PoolEntryAction):
    form_class = ReasonForm
    form_prefix = "graduate"
    service = services.pool_entry_graduate
    success_message = gettext_lazy("The enterprise has graduated from the pool.")


class PoolEntryRemove(PoolEntryAction):
    form_class = ReasonForm
    form_prefix = "remove"
    service = services.pool_entry_remove
    success_message = gettext_lazy("The enterprise has been removed from the pool.")


class PoolEntrySetCategory(PoolEntryAction):
    form_class = CategoryForm
    form_prefix = "category"
    service = services.pool_entry_set_category
    success_message = gettext_lazy("The category has been saved.")


pool_entry_promote = PoolEntryPromote.as_view()
pool_entry_graduate = PoolEntryGraduate.as_view()
pool_entry_remove = PoolEntryRemove.as_view()
pool_entry_set_category = PoolEntrySetCategory.as_view()


def _form_page(request, form, *, title, entry=None, enterprise=None, suggestion=None):
    return render(
        request,
        "registry/pool/form.html",
        {
            "form": form,
            "title": title,
            "entry": entry,
            "enterprise": enterprise or (entry.enterprise if entry else None),
            "suggestion": suggestion,
        },
        status=400 if form.is_bound else 200,
    )


@allowed_if(_can_write)
def pool_entry_admit(request, uscc):
    enterprise = get_enterprise(request, uscc)
    form = PoolEntryAdmitForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        entry = call_service(
            form, services.pool_entry_admit, actor=request.user, enterprise=enterprise,
            **form.cleaned_data,
        )
        if entry is not None:
            messages.success(request, _("The enterprise has been admitted to the pool."))
            return redirect(_detail_url(entry))
    # Shown for the 规下转规上 pool, judged on the figures up to this year.
    suggestion = selectors.scale_up_category_suggest(
        enterprise, year=timezone.localdate().year
    )
    return _form_page(
        request, form, title=_("Admit to a cultivation pool"), enterprise=enterprise,
        suggestion=suggestion,
    )


@allowed_if(_can_write)
def pool_entry_edit(request, pk):
    entry = _get_entry(request, pk)
    if "edit" not in services.pool_entry_actions(request.user, entry):
        raise PermissionDenied
    form = PoolEntryEditForm(request.POST or None, instance=copy(entry))
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        result = call_service(
            form, services.pool_entry_update, actor=request.user, entry=entry, **changed
        )
        if result is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect(_detail_url(result))
    return _form_page(request, form, title=_("Edit pool entry"), entry=entry)


@allowed_if(_can_write)
def cultivation_plan_edit(request, pk, plan_pk=None):
    entry = _get_entry(request, pk)
    plan = None
    if plan_pk is not None:
        plan = CultivationPlan.objects.visible_to(request.user).filter(
            pk=plan_pk, entry=entry
        ).first()
        if plan is None:
            raise Http404
    form = CultivationPlanForm(request.POST or None, instance=copy(plan))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.cultivation_plan_save, actor=request.user, entry=entry, plan=plan,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("The one-firm-one-plan has been saved."))
            return redirect(f"{_detail_url(entry)}#plans")
    title = _("Edit one-firm-one-plan") if plan else _("New one-firm-one-plan")
    return _form_page(request, form, title=title, entry=entry)


@allowed_if(_can_write)
def service_visit_edit(request, pk, visit_pk=None):
    entry = _get_entry(request, pk)
    visit = None
    if visit_pk is not None:
        visit = ServiceVisit.objects.visible_to(request.user).filter(
            pk=visit_pk, entry=entry
        ).first()
        if visit is None:
            raise Http404
    initial = {}
    if visit is None:
        initial = {"visited_on": timezone.localdate(), "officer": entry.contact_officer}
    # The form writes submitted values onto its instance; the service compares with the stored.
    form = ServiceVisitForm(request.POST or None, instance=copy(visit), initial=initial)
    if request.method == "POST" and form.is_valid():
        if visit is None:
            saved = call_service(
                form, services.service_visit_record, actor=request.user, entry=entry,
                **form.cleaned_data,
            )
        else:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            saved = call_service(
                form, services.service_visit_update, actor=request.user, visit=visit, **changed
            )
        if saved is not None:
            messages.success(request, _("The service visit has been saved."))
            return redirect(f"{_detail_url(entry)}#visits")
    title = _("Edit service visit") if visit else _("Record a service visit")
    return _form_page(request, form, title=title, entry=entry)
