from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from gansu_sme.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet
from reports import selectors
from reports.filtersets import ReportFilterSet
from reports.models import Report
from reports.services import notifications
from reports.views import XLSX, xlsx_response

from .serializers import NotificationSerializer, ReportDetailSerializer, ReportSerializer


@extend_schema_view(
    list=extend_schema(
        description=(
            "Generated reports of your region and the regions below it (a county its own, a "
            "city its own and its counties', the province all), newest period first."
        )
    ),
    retrieve=extend_schema(description="A report with its figures; out of scope is 404."),
)
class ReportViewSet(ReadOnlyScopedViewSet):
    queryset = Report.objects.select_related("region")
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    ordering = ("-generated_at",)

    def narrow(self, queryset):
        if self.action == "list":
            return queryset.defer("data", "xlsx")
        return queryset.defer("xlsx") if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The report's XLSX workbook (cover sheet and figures)."""
        return xlsx_response(self.get_object())


@extend_schema_view(
    list=extend_schema(description="Your own notifications, newest first."),
    retrieve=extend_schema(description="One of your notifications; anyone else's is 404."),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    ordering = ("-created_at",)
    selector = selectors.notification_list

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the notification read; repeating it changes nothing."""
        notification = notifications.notification_mark_read(actor=request.user, notification_id=pk)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read; answers how many were unread."""
        return Response({"marked": notifications.notifications_mark_all_read(actor=request.user)})
