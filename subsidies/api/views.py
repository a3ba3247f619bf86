"""REST endpoints of the subsidy app: scoped reads, writes and transitions through services."""

from django.http import FileResponse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from gansu_sme.api.viewsets import ScopedViewSet, same_for_everyone
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.exceptions import OutOfScope
from oplog.choices import Sensitive
from oplog.viewing import logs_views
from subsidies import selectors, services
from subsidies.choices import BatchVerb
from subsidies.filtersets import EntitlementFilterSet, PaymentBatchFilterSet
from subsidies.models import Allocation, Budget, Entitlement

from . import serializers as s

FINANCE_NOTE = "Provincial finance officers only."


class ProgramViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ScopedViewSet,
):
    """Subsidy programs (奖补项目): amounts, legal basis and years are data."""

    # Programs are provincial policy, read alike by every signed-in account.
    selector = same_for_everyone(selectors.program_list)
    serializer_class = s.ProgramSerializer
    pagination_class = None
    write_roles = services.FINANCE_ROLES
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(description="Change amount, legal basis, years or activity. " + FINANCE_NOTE)
    def partial_update(self, request, *args, **kwargs):
        program = self.get_object()
        serializer = self.get_serializer(program, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        program = services.program_update(
            actor=request.user, program=program, **serializer.validated_data
        )
        return Response(s.ProgramSerializer(program).data)


@extend_schema_view(create=extend_schema(request=s.BudgetCreateSerializer,
                                         responses={201: s.BudgetSerializer}))
class BudgetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet,
):
    """Budgets per year and funding source; provincial accounts only."""

    queryset = Budget.objects.all()
    serializer_class = s.BudgetSerializer
    ordering = ("-year", "funding_source")
    write_roles = services.FINANCE_ROLES

    def create(self, request, *args, **kwargs):
        serializer = s.BudgetCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget = services.budget_create(actor=request.user, **serializer.validated_data)
        return Response(s.BudgetSerializer(budget).data, status=status.HTTP_201_CREATED)


@extend_schema_view(create=extend_schema(
    request=s.AllocationSetSerializer, responses={200: s.AllocationSerializer},
    description="Set a city's block of a budget (资金切块), new or changed. " + FINANCE_NOTE,
))
class AllocationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet,
):
    """City blocks with what is reserved, committed, paid and left; a city reads its own."""

    queryset = Allocation.objects.select_related("city")
    serializer_class = s.AllocationSerializer
    ordering = ("budget_id", "city_id")
    write_roles = services.FINANCE_ROLES

    def create(self, request, *args, **kwargs):
        serializer = s.AllocationSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocation = services.allocation_set(actor=request.user, **serializer.validated_data)
        allocation = Allocation.objects.select_related("city").get(pk=allocation.pk)
        return Response(s.AllocationSerializer(allocation).data)


@logs_views(Sensitive.AWARDS, object_type="subsidies.Entitlement")
class EntitlementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Awards earned (奖补资格); a city reads its own and its firms'. Status changes only
    through the actions."""

    selector = selectors.entitlement_list
    serializer_class = s.EntitlementSerializer
    filterset_class = EntitlementFilterSet
    ordering = ("-created_at",)
    write_roles = services.FINANCE_ROLES

    def _respond(self, entitlement):
        entitlement = selectors.entitlement_get(user=self.request.user, pk=entitlement.pk)
        return Response(s.EntitlementSerializer(entitlement).data)

    @extend_schema(request=s.ApproveSerializer, responses=s.EntitlementSerializer,
                   description="Approve and reserve the amount in the city's block of the "
                               "budget. " + FINANCE_NOTE)
    @action(detail=True, methods=["post"], serializer_class=s.ApproveSerializer)
    def approve(self, request, pk=None):
        entitlement = self.get_object()
        serializer = s.ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(services.entitlement_approve(
            actor=request.user, entitlement=entitlement, **serializer.validated_data
        ))

    @extend_schema(request=s.SubsidyReasonSerializer, responses=s.EntitlementSerializer,
                   description="Cancel, releasing any reservation. " + FINANCE_NOTE)
    @action(detail=True, methods=["post"], serializer_class=s.SubsidyReasonSerializer)
    def cancel(self, request, pk=None):
        entitlement = self.get_object()
        serializer = s.SubsidyReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(services.entitlement_cancel(
            actor=request.user, entitlement=entitlement, **serializer.validated_data
        ))

    @extend_schema(request=s.RecoverySerializer, responses=s.EntitlementSerializer,
                   description="Record money returned on a recovery due. " + FINANCE_NOTE)
    @action(detail=True, methods=["post"], url_path="record-recovery",
            serializer_class=s.RecoverySerializer)
    def record_recovery(self, request, pk=None):
        entitlement = self.get_object()
        serializer = s.RecoverySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(services.entitlement_record_recovery(
            actor=request.user, entitlement=entitlement, **serializer.validated_data
        ))


def _batch_action(verb, request_serializer, description):
    def run(self, request, pk=None):
        batch = self.get_object()
        serializer = request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.BATCH_VERB_SERVICES[verb](
            actor=request.user, batch=batch, **serializer.validated_data
        )
        return self._respond(batch)

    run.__name__ = verb
    run = action(detail=True, methods=["post"], serializer_class=request_serializer)(run)
    return extend_schema(request=request_serializer, responses=s.PaymentBatchDetailSerializer,
                         description=description)(run)


class NoInput(s.serializers.Serializer):
    pass


@extend_schema_view(create=extend_schema(request=s.BatchCreateSerializer,
                                         responses={201: s.PaymentBatchDetailSerializer}))
class PaymentBatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet,
):
    """Payment batches: draft → submitted → approved (by another officer) → paid, or
    cancelled. Provincial accounts read them; finance officers act."""

    serializer_class = s.PaymentBatchSerializer
    filterset_class = PaymentBatchFilterSet
    ordering = ("-created_at",)
    write_roles = services.FINANCE_ROLES

    def get_selector(self):
        return selectors.batch_list if self.action == "list" else selectors.batch_detail_list

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.PaymentBatchDetailSerializer
        return super().get_serializer_class()

    def _respond(self, batch, code=status.HTTP_200_OK):
        batch = selectors.batch_get(user=self.request.user, pk=batch.pk)
        return Response(s.PaymentBatchDetailSerializer(batch).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = s.BatchCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = services.batch_create(actor=request.user, **serializer.validated_data)
        return self._respond(batch, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntitlementIdsSerializer, responses=s.PaymentBatchDetailSerializer,
                   description="Add approved entitlements to a draft batch. " + FINANCE_NOTE)
    @action(detail=True, methods=["post"], url_path="add-entitlements",
            serializer_class=s.EntitlementIdsSerializer)
    def add_entitlements(self, request, pk=None):
        batch = self.get_object()
        serializer = s.EntitlementIdsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = Entitlement.objects.visible_to(request.user).filter(
            pk__in=serializer.validated_data["entitlements"]
        )
        if rows.count() != len(set(serializer.validated_data["entitlements"])):
            raise OutOfScope()
        services.batch_add_entitlements(actor=request.user, batch=batch, entitlements=rows)
        return self._respond(batch)

    submit = _batch_action(BatchVerb.SUBMIT, NoInput, "Submit a draft for approval.")
    approve = _batch_action(
        BatchVerb.APPROVE, NoInput,
        "Approve a submitted batch; the approver must not be its maker. Commits the money.",
    )
    pay = _batch_action(BatchVerb.PAY, s.PaySerializer,
                        "Mark an approved batch paid, with the bank reference and date.")
    cancel = _batch_action(BatchVerb.CANCEL, s.SubsidyReasonSerializer, "Cancel, with a reason.")

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): bytes},
                   description="The bank transfer file of an approved or paid batch (logged).")
    @action(detail=True, methods=["get"], url_path="bank-file")
    def bank_file(self, request, pk=None):
        batch = self.get_object()
        file, name, _total = services.batch_bank_file(actor=request.user, batch=batch)
        return FileResponse(file, as_attachment=True, filename=name,
                            content_type=XLSX_CONTENT_TYPE)


@logs_views(Sensitive.AWARDS)
class LedgerViewSet(ScopedViewSet):
    """Money per program, year and city (entitled, approved, in batch, paid, recovered,
    remaining) from the entitlements you see; filters as for entitlements."""

    serializer_class = s.LedgerRowSerializer
    filterset_class = EntitlementFilterSet
    pagination_class = None
    queryset = Entitlement.objects.all()

    def list(self, request):
        rows = selectors.ledger(
            user=request.user, entitlements=self.filter_queryset(self.get_queryset())
        )
        return Response(s.LedgerRowSerializer(list(rows), many=True).data)
