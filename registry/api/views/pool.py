from django.db.models import F
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from gansu_sme.api.viewsets import ScopedViewSet
from registry import selectors, services
from registry.api.serializers.pool import (
    PoolEntryAdmitSerializer,
    PoolEntrySerializer,
    PoolEntrySetCategorySerializer,
    PoolEntryUpdateSerializer,
    ReasonSerializer,
    TargetProgressSerializer,
    TargetSerializer,
)
from registry.filtersets import PoolEntryFilterSet, TargetFilterSet
from registry.models import PoolEntry, Target

SCOPE_NOTE = "Only entries of enterprises in your region and below are visible; any other is 404."
TIER_NOTE = "Staff at the entry's tier or above, in whose region it lies, may do this."


def _transition_schema(description):
    return extend_schema(
        request=ReasonSerializer, responses=PoolEntrySerializer, description=description
    )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Entries of the cultivation pools (专精特新 and 规下转规上) of your region and below, "
            "newest admission first unless `ordering` says otherwise. Closed entries (promoted, "
            "graduated, removed) stay listed with their status; filter `status=active` for the "
            "current pool."
        )
    ),
    retrieve=extend_schema(description=SCOPE_NOTE),
    create=extend_schema(
        request=PoolEntryAdmitSerializer,
        responses={201: PoolEntrySerializer},
        description=(
            "Admit an enterprise to a pool. County staff admit at county tier, city staff at "
            "county or city tier, provincial reviewers at province tier. One active entry per "
            "enterprise and pool."
        ),
    ),
    partial_update=extend_schema(
        request=PoolEntryUpdateSerializer,
        responses=PoolEntrySerializer,
        description="Change the contact officer, track or statistics registration. " + TIER_NOTE,
    ),
)
class PoolEntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Cultivation pool entries; status changes only through the actions named after them."""

    queryset = PoolEntry.objects.select_related(
        "enterprise__region", "promoted_to"
    ).annotate(enterprise_name=F("enterprise__name"))
    serializer_class = PoolEntrySerializer
    filterset_class = PoolEntryFilterSet
    ordering = ("-admitted_at",)
    write_roles = services.POOL_WRITER_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return PoolEntryAdmitSerializer
        if self.action == "partial_update":
            return PoolEntryUpdateSerializer
        return super().get_serializer_class()

    def _entry_response(self, entry, status_code=status.HTTP_200_OK):
        entry = selectors.pool_entry_get(user=self.request.user, pk=entry.pk)
        context = self.get_serializer_context()
        return Response(PoolEntrySerializer(entry, context=context).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.pool_entry_admit(actor=request.user, **serializer.validated_data)
        return self._entry_response(entry, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entry = self.get_object()
        serializer = self.get_serializer(entry, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entry = services.pool_entry_update(
            actor=request.user, entry=entry, **serializer.validated_data
        )
        return self._entry_response(entry)

    def _transition(self, request, service):
        entry = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = service(actor=request.user, entry=entry, **serializer.validated_data)
        return self._entry_response(result)

    @_transition_schema(
        "Move an active entry up one tier; only staff of the next tier may (city staff for "
        "county-tier entries, provincial reviewers for city-tier ones). Answers with the new "
        "entry at the next tier; the promoted one keeps its history."
    )
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def promote(self, request, pk=None):
        return self._transition(request, services.pool_entry_promote)

    @_transition_schema("Close an active entry as graduated, with a reason. " + TIER_NOTE)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def graduate(self, request, pk=None):
        return self._transition(request, services.pool_entry_graduate)

    @_transition_schema("Take an active entry out of the pool, with a reason. " + TIER_NOTE)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def remove(self, request, pk=None):
        return self._transition(request, services.pool_entry_remove)

    @extend_schema(
        request=PoolEntrySetCategorySerializer,
        responses=PoolEntrySerializer,
        description=(
            "Set the 保/增/长/返/补 category of an active 规下转规上 entry. A category other than "
            "the one the figures suggest needs a reason. " + TIER_NOTE
        ),
    )
    @action(
        detail=True, methods=["post"], url_path="set-category",
        serializer_class=PoolEntrySetCategorySerializer,
    )
    def set_category(self, request, pk=None):
        entry = self.get_object()
        serializer = PoolEntrySetCategorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.pool_entry_set_category(
            actor=request.user, entry=entry, **serializer.validated_data
        )
        return self._entry_response(entry)


class TargetYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


@extend_schema_view(
    list=extend_schema(description="Targets of your region and the regions below it."),
    retrieve=extend_schema(description="Only targets of your region and below; others are 404."),
    create=extend_schema(
        responses={200: TargetSerializer, 201: TargetSerializer},
        description=(
            "Set the target of a year, region and metric: 201 when new, 200 when it replaces "
            "the value set before. Provincial reviewers set targets for the province and its "
            "prefecture units, city staff for the counties of their prefecture."
        ),
    ),
)
class TargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ScopedViewSet,
):
    """Yearly targets per region and metric (目标任务)."""

    queryset = Target.objects.select_related("region")
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    ordering = ("-year", "region_id", "metric")
    write_roles = services.TARGET_SETTER_ROLES

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target, created = services.target_set(actor=request.user, **serializer.validated_data)
        return Response(
            TargetSerializer(target, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=TargetProgressSerializer(many=True),
        description=(
            "Each target of the year you may see with the actual figure and the share reached. "
            "`actual` is null for certified firms and little giants until the certification "
            "workflow supplies them."
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def progress(self, request):
        query = TargetYearSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.target_progress(user=request.user, year=query.validated_data["year"])
        return Response(TargetProgressSerializer(rows, many=True).data)
