from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from financing import selectors, services
from financing.api.serializers import (
    FinancingNeedFileSerializer,
    FinancingNeedSerializer,
    MatchingEventSerializer,
    NeedReasonSerializer,
)
from financing.choices import MATCHING_ROLES, NEED_FILER_ROLES
from financing.filtersets import FinancingNeedFilterSet, MatchingEventFilterSet
from financing.models import MatchOutcome
from gansu_sme.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet

SCOPE_NOTE = (
    "Needs of enterprises in your region and below; staff of a financial institution see the "
    "needs firms agreed to share in its region. Any other is 404."
)


@extend_schema_view(
    list=extend_schema(description=SCOPE_NOTE + " Newest first unless `ordering` says otherwise."),
    retrieve=extend_schema(description=SCOPE_NOTE),
    create=extend_schema(
        request=FinancingNeedFileSerializer, responses={201: FinancingNeedSerializer},
        description="File a financing need of an enterprise of your region (county or city "
                    "staff, with a write token).",
    ),
)
class FinancingNeedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """Financing needs (融资需求库); status changes only through the actions."""

    selector = selectors.need_list
    serializer_class = FinancingNeedSerializer
    filterset_class = FinancingNeedFilterSet
    ordering = ("-filed_at",)
    # Filing is the counties' and cities'; the province withdraws too (the acts decide).
    write_roles = NEED_FILER_ROLES | MATCHING_ROLES

    def get_serializer_class(self):
        if self.action == "create":
            return FinancingNeedFileSerializer
        return super().get_serializer_class()

    def _need_response(self, need, status_code=status.HTTP_200_OK):
        need = selectors.need_get(user=self.request.user, pk=need.pk)
        data = FinancingNeedSerializer(need, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = services.need_file(actor=request.user, **serializer.validated_data)
        return self._need_response(need, status.HTTP_201_CREATED)

    @extend_schema(
        request=NeedReasonSerializer, responses=FinancingNeedSerializer,
        description="Withdraw an open need, with a reason (the filing side or the province).",
    )
    @action(detail=True, methods=["post"], serializer_class=NeedReasonSerializer)
    def withdraw(self, request, pk=None):
        need = self.get_object()
        serializer = NeedReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = services.need_withdraw(actor=request.user, need=need, **serializer.validated_data)
        return self._need_response(need)


def _events(*, user):
    return selectors.event_list(user=user).prefetch_related(
        "institutions__region",
        Prefetch(
            "outcomes",
            queryset=MatchOutcome.objects.visible_to(user).select_related("need__enterprise"),
            to_attr="visible_outcomes",
        ),
    )


@extend_schema_view(
    list=extend_schema(description=(
        "Matching events (银企对接活动) you see: those of your region, those with a need of "
        "your region, and for institution staff those their institution was invited to; each "
        "with the outcomes of the needs you see."
    )),
    retrieve=extend_schema(description="Only events you see; any other is 404."),
)
class MatchingEventViewSet(ReadOnlyScopedViewSet):
    selector = _events
    serializer_class = MatchingEventSerializer
    filterset_class = MatchingEventFilterSet
    ordering = ("-held_on",)
