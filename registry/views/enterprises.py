"""Browser pages of the enterprise registry: thin adapters over the selectors and services."""

from copy import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gansu_sme.views import ActionView
from oplog.choices import Sensitive
from oplog.viewing import logs_views
from registry import selectors, services
from registry.filtersets import EnterpriseFilterSet
from registry.forms import DeactivateForm, EnterpriseForm, EnterpriseRegisterForm
from registry.tables import EnterpriseTable, detail_fields

from .base import RegistryListView, allowed_if, call_service, can_read, get_enterprise


def _can_edit(user):
    return user.has_role(*services.ENTERPRISE_EDITOR_ROLES)


class EnterpriseList(RegistryListView):
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    template_name = "registry/enterprise_list.html"
    partial_template_name = "registry/partials/enterprise_results.html"
    export_listing = "enterprises"
    export_title = "企业名录"

    def get_queryset(self):
        return selectors.enterprise_list(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "can_edit": _can_edit(self.request.user)}


def _render_detail(request, enterprise, deactivate_form, status=200):
    context = {
        "enterprise": enterprise,
        "fields": detail_fields(enterprise),
        "history": selectors.enterprise_history(enterprise=enterprise),
        "can_edit": _can_edit(request.user),
        "deactivate_form": deactivate_form,
    }
    return render(request, "registry/enterprise_detail.html", context, status=status)


@logs_views(Sensitive.CONTACTS, object_type="registry.Enterprise", key="uscc")
@allowed_if(can_read)
def enterprise_detail(request, uscc):
    return _render_detail(request, get_enterprise(request, uscc), DeactivateForm())


@allowed_if(_can_edit)
def enterprise_create(request):
    form = EnterpriseRegisterForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        enterprise = call_service(
            form,
            services.enterprise_register,
            actor=request.user,
            uscc_code=fields.pop("uscc"),
            **fields,
        )
        if enterprise is not None:
            messages.success(request, _("The enterprise has been registered."))
            return redirect("registry:enterprise-detail", uscc=enterprise.uscc)
    return render(request, "registry/enterprise_form.html", {"form": form})


@allowed_if(_can_edit)
def enterprise_edit(request, uscc):
    enterprise = get_enterprise(request, uscc)
    # The form writes submitted values onto its instance; the page keeps showing the stored ones.
    form = EnterpriseForm(request.POST or None, instance=copy(enterprise), actor=request.user)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("registry:enterprise-detail", uscc=enterprise.uscc)
        # Only changed fields go to the service, so the history lists just those.
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        updated = call_service(
            form, services.enterprise_update, actor=request.user, enterprise=enterprise, **changed
        )
        if updated is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("registry:enterprise-detail", uscc=updated.uscc)
    return render(
        request, "registry/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


class EnterpriseDeactivate(ActionView):
    form_class = DeactivateForm
    service = services.enterprise_deactivate
    object_name = "enterprise"
    success_message = gettext_lazy("The enterprise has been deactivated.")

    def allowed(self, user):
        return _can_edit(user)

    def get_object(self):
        return get_enterprise(self.request, self.kwargs["uscc"])

    def success_url(self, enterprise):
        return reverse("registry:enterprise-detail", args=[enterprise.uscc])

    def refused(self, enterprise, form):
        return _render_detail(self.request, enterprise, form, status=400)


enterprise_deactivate = EnterpriseDeactivate.as_view()
