from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.response import Response

from certification import selectors
from certification.api.serializers.campaigns import CampaignSerializer
from certification.filtersets.applications import CampaignFilterSet
from certification.services import campaigns as services
from gansu_sme.api.viewsets import ScopedViewSet


def _service_fields(data):
    fields = dict(data)
    quotas = fields.pop("quotas", None)
    if quotas is not None:
        quotas = {row["region"]: row["quota"] for row in quotas}
    return fields, quotas


@extend_schema_view(
    list=extend_schema(description="Every campaign, newest first; any staff account reads them."),
    create=extend_schema(
        description=(
            "Provincial reviewers open a campaign. The rule set's kind must match the campaign "
            "kind; the three stage deadlines are computed from `closes_on` in working days "
            "(Chinese official holidays counted), stage after stage."
        )
    ),
    partial_update=extend_schema(
        description=(
            "Provincial reviewers change a campaign; deadlines are recomputed. Kind, rule set "
            "and year are fixed once applications exist."
        )
    ),
)
class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Campaigns (申报批次): filing windows, stage deadlines and city quotas."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    ordering = ("-id",)
    write_roles = services.CAMPAIGN_EDITOR_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    # Campaigns are province-wide; the selector only turns away accounts without a region.
    selector = selectors.campaign_list

    def narrow(self, queryset):
        return queryset.prefetch_related("quotas__region")

    def _respond(self, campaign, code=status.HTTP_200_OK):
        campaign = self.get_queryset().get(pk=campaign.pk)
        return Response(self.get_serializer(campaign).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, quotas = _service_fields(serializer.validated_data)
        campaign = services.campaign_create(actor=request.user, quotas=quotas, **fields)
        return self._respond(campaign, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        serializer = self.get_serializer(campaign, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields, quotas = _service_fields(serializer.validated_data)
        campaign = services.campaign_update(
            actor=request.user, campaign=campaign, quotas=quotas, **fields
        )
        return self._respond(campaign)
