from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from gansu_sme.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet
from oplog.choices import Sensitive
from oplog.viewing import logs_views
from registry import services
from registry.api.serializers.enterprises import (
    EnterpriseDeactivateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    RegionSerializer,
)
from registry.filtersets import EnterpriseFilterSet
from registry.models import Enterprise, Region

SCOPE_NOTE = "Only rows in your region and below are visible; any other answers 404."
EDIT_NOTE = "County and city staff {verb} an enterprise of their region."


@extend_schema_view(
    list=extend_schema(description="Your region and the regions below it."),
    retrieve=extend_schema(description=SCOPE_NOTE),
)
class RegionViewSet(ReadOnlyScopedViewSet):
    """Administrative divisions, looked up by division code."""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z]+"
    # The materialised path lists a region right after the one above it.
    ordering = ("path",)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Enterprises of your region and below, ordered by credit code unless `ordering` says "
            "otherwise. Pages are cut by a cursor over the ordering plus the internal id, so "
            "paging never skips or repeats a row while others are added.\n\n"
            "Incremental sync: request `updated_since=<last updated_at seen>&ordering=updated_at` "
            "and follow `next` to the end. A row changed while you page moves to the end and is "
            "sent again, never lost; `updated_since` is inclusive, so de-duplicate by `uscc`. "
            "A change is stamped when it is made but visible only once committed, so start the "
            "next sync a minute before the last `updated_at` you received. "
            "Deactivated enterprises stay in the list with `is_active: false`."
        )
    ),
    retrieve=extend_schema(description=SCOPE_NOTE),
    create=extend_schema(description=EDIT_NOTE.format(verb="register")),
    update=extend_schema(description=EDIT_NOTE.format(verb="edit")),
    partial_update=extend_schema(description=EDIT_NOTE.format(verb="edit")),
)
@logs_views(Sensitive.CONTACTS, object_type="registry.Enterprise", key="uscc")
class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Enterprises by credit code. Records are deactivated, never deleted, so there is no DELETE."""

    queryset = Enterprise.objects.select_related("region__parent", "industry", "industry_class")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    lookup_field = "uscc"
    lookup_value_regex = "[0-9A-Za-z]+"
    # The credit code never changes once registered, so a listing in this order neither skips
    # nor repeats a row even while records are being edited.
    ordering = ("uscc",)
    write_roles = services.ENTERPRISE_EDITOR_ROLES

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return EnterpriseUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = services.enterprise_register(
            actor=self.request.user, uscc_code=fields.pop("uscc"), **fields
        )

    def perform_update(self, serializer):
        serializer.instance = services.enterprise_update(
            actor=self.request.user, enterprise=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        request=EnterpriseDeactivateSerializer,
        responses=EnterpriseSerializer,
        description="Take an enterprise off the active registry, giving a reason. "
        "The record and its history are kept.",
    )
    @action(detail=True, methods=["post"], serializer_class=EnterpriseDeactivateSerializer)
    def deactivate(self, request, uscc=None):
        enterprise = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enterprise = services.enterprise_deactivate(
            actor=request.user, enterprise=enterprise, **serializer.validated_data
        )
        context = self.get_serializer_context()
        return Response(EnterpriseSerializer(enterprise, context=context).data)
