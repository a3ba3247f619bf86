from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from gansu_sme.api.viewsets import ScopedViewSet
from registry import policies, selectors
from registry.api.serializers.monitoring import (
    MonitoringFiguresSerializer,
    MonitoringReportCreateSerializer,
    MonitoringReportReturnSerializer,
    MonitoringReportSaveResultSerializer,
    MonitoringReportSerializer,
)
from registry.filtersets.monitoring import MonitoringReportFilterSet
from registry.models import MonitoringReport
from registry.services import monitoring as services

SCOPE_NOTE = "Only reports of enterprises in your region and below are visible; others answer 404."
VERIFY_NOTE = (
    "Only staff of the enterprise's own county (or of a prefecture unit without counties, such as "
    "嘉峪关 and 兰州新区) verify or return its reports; others in scope get 403."
)
LIST_NOTE = (
    "Reports of your region and below, newest filing first unless `ordering` says otherwise. "
    "Money in 万元 (10,000 yuan), land in 亩, energy in tonnes of standard coal, CNC ratio in %. "
    "Pages are cut by a cursor, so paging never skips or repeats a row. For incremental sync "
    "request `updated_since=<last updated_at seen>&ordering=updated_at`."
)


def _saved(view, result):
    context = {**view.get_serializer_context(), "outcome": result.outcome}
    code = status.HTTP_201_CREATED if result.outcome == services.CREATED else status.HTTP_200_OK
    return Response(MonitoringReportSaveResultSerializer(result.report, context=context).data, code)


@extend_schema_view(
    list=extend_schema(description=LIST_NOTE),
    retrieve=extend_schema(description=SCOPE_NOTE),
    create=extend_schema(
        request=MonitoringReportCreateSerializer,
        responses={201: MonitoringReportSaveResultSerializer,
                   200: MonitoringReportSaveResultSerializer},
        description=(
            "County and city staff file the figures of an enterprise of their region for one "
            "period. 201 when a report (or a correction of a verified one) was filed; 200 when "
            "an open report was updated or nothing changed (`outcome`)."
        ),
    ),
    update=extend_schema(
        request=MonitoringFiguresSerializer,
        responses=MonitoringReportSaveResultSerializer,
        description="Change the figures of a draft or returned report; others answer 409.",
    ),
    partial_update=extend_schema(
        request=MonitoringFiguresSerializer,
        responses=MonitoringReportSaveResultSerializer,
        description="Change some figures of a draft or returned report; others answer 409.",
    ),
)
class MonitoringReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Monitoring reports (运行监测). Status changes only through the submit, verify and return
    actions; reports are never deleted."""

    queryset = MonitoringReport.objects.select_related("enterprise__region")
    serializer_class = MonitoringReportSerializer
    filterset_class = MonitoringReportFilterSet
    ordering = ("-id",)
    write_roles = policies.REPORT_FILER_ROLES | policies.REPORT_VERIFIER_ROLES

    def create(self, request, *args, **kwargs):
        serializer = MonitoringReportCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        figures = dict(serializer.validated_data)
        key = {name: figures.pop(name) for name in ("enterprise", "period_kind", "year", "period")}
        submit = figures.pop("submit")
        result = services.monitoring_report_save(
            actor=request.user, figures=figures, submit=submit, **key
        )
        return _saved(self, result)

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = MonitoringFiguresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        figures = dict(serializer.validated_data)
        submit = figures.pop("submit")
        result = services.monitoring_report_update(
            actor=request.user, report=report, figures=figures, submit=submit
        )
        return _saved(self, result)

    def _change(self, service, **kwargs):
        report = service(actor=self.request.user, report=self.get_object(), **kwargs)
        context = self.get_serializer_context()
        return Response(MonitoringReportSerializer(report, context=context).data)

    @extend_schema(
        request=None,
        responses=MonitoringReportSerializer,
        description="Send a draft or returned report for verification. Filers only.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._change(services.monitoring_report_submit)

    @extend_schema(
        request=None,
        responses=MonitoringReportSerializer,
        description="Confirm a submitted report's figures. " + VERIFY_NOTE
        + " Verifying a verified report changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._change(services.monitoring_report_verify)

    @extend_schema(
        request=MonitoringReportReturnSerializer,
        responses=MonitoringReportSerializer,
        description="Send a submitted report back to its filers with a reason. " + VERIFY_NOTE,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        serializer_class=MonitoringReportReturnSerializer,
    )
    def return_report(self, request, pk=None):
        serializer = MonitoringReportReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._change(services.monitoring_report_return, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        description="Monitoring reports of one enterprise of your region; 404 for any other.",
        parameters=[OpenApiParameter("uscc", str, OpenApiParameter.PATH)],
    )
)
class EnterpriseMonitoringReportViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The monitoring reports of one enterprise, by its credit code."""

    queryset = MonitoringReport.objects.select_related("enterprise__region")
    serializer_class = MonitoringReportSerializer
    filterset_class = MonitoringReportFilterSet
    ordering = ("-id",)

    def narrow(self, queryset):
        enterprise = selectors.enterprise_get(user=self.request.user, uscc=self.kwargs["uscc"])
        return queryset.filter(enterprise=enterprise)
