"""Browser pages of campaigns: everyone with a region reads them, the province edits them."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certification import selectors
from certification.choices import ApplicationStatus
from certification.filtersets.applications import CampaignFilterSet
from certification.forms.campaigns import CampaignForm
from certification.services import campaigns as services
from certification.services import documents
from certification.tables import CampaignTable
from gansu_sme.lists import ObjectListView
from gansu_sme.views import allowed_if, call_service


def _get(request, pk):
    return selectors.campaign_get(user=request.user, pk=pk)


class CampaignList(ObjectListView):
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    template_name = "certification/campaigns/list.html"
    default_ordering = ("-year", "-opens_on", "-pk")

    def allowed(self, user):
        return selectors.can_read_campaigns(user)

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    def get_context_data(self, **context):
        return {**context, "can_edit": services.can_edit_campaigns(self.request.user)}


@allowed_if(selectors.can_read_campaigns)
def campaign_detail(request, pk):
    campaign = _get(request, pk)
    # Counts of the applications the reader may see, so a county sees its own figures.
    counts = {
        row["status"]: row["n"]
        for row in selectors.application_list(user=request.user)
        .filter(campaign=campaign)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    }
    return render(
        request,
        "certification/campaigns/detail.html",
        {
            "campaign": campaign,
            "can_summarise": documents.can_summarise(request.user),
            "can_list_certified": documents.can_list_certified(request.user)
            and campaign.kind in documents.CERTIFYING_KINDS,
            "quotas": campaign.quotas.select_related("region").order_by("region__path"),
            "counts": [
                (label, counts[value])
                for value, label in ApplicationStatus.choices
                if value in counts
            ],
            "can_edit": services.can_edit_campaigns(request.user),
        },
    )


def _save(request, form, service, **kwargs):
    campaign = call_service(
        form, service, actor=request.user, quotas=form.quotas(), **form.campaign_fields(),
        **kwargs,
    )
    if campaign is not None:
        messages.success(request, _("The campaign has been saved."))
        return redirect("certification:campaign-detail", pk=campaign.pk)
    return None


@allowed_if(services.can_edit_campaigns)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, services.campaign_create)
        if done is not None:
            return done
    return render(
        request, "certification/campaigns/form.html", {"form": form},
        status=400 if form.is_bound else 200,
    )


@allowed_if(services.can_edit_campaigns)
def campaign_edit(request, pk):
    campaign = _get(request, pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, services.campaign_update, campaign=campaign)
        if done is not None:
            return done
    return render(
        request, "certification/campaigns/form.html", {"form": form, "campaign": campaign},
        status=400 if form.is_bound else 200,
    )
