"""The expert panel's API: the expert pool (province) and score sheets (an expert sees only
theirs). Drawing a panel and deciding are actions of the applications viewset."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.choices import Role
from accounts.permissions import IsStaffInRegion
from certification import policies
from certification.api.serializers.experts import (
    AssignmentSerializer,
    DeclarationInput,
    ExpertCreateSerializer,
    ExpertSerializer,
    ExpertUpdateSerializer,
    ScoreInput,
)
from certification.filtersets.experts import AssignmentFilterSet, ExpertFilterSet
from certification.models import Expert, ExpertAssignment
from certification.selectors import experts as selectors
from certification.services import experts as services
from gansu_sme.api.viewsets import ScopedViewSet

SHEET_NOTE = (
    " Only the sheet's own expert may do this (403 for anyone else who sees it); 409 when the"
    " sheet or the application has moved on (a submitted sheet is locked)."
)


class CanManageExperts(IsStaffInRegion):
    """The expert pool is the province's: every other role is refused, reading included."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and policies.can_manage_experts(
            request.user
        )


@extend_schema_view(
    list=extend_schema(description="The provincial expert pool (provincial reviewers only)."),
    create=extend_schema(
        request=ExpertCreateSerializer, responses={201: ExpertSerializer},
        description="Add an expert with the account they sign in with (role expert).",
    ),
    partial_update=extend_schema(
        request=ExpertUpdateSerializer, responses=ExpertSerializer,
        description="Change an expert; `is_active: false` keeps them out of future draws.",
    ),
)
class ExpertViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    # The model, for the schema generator; rows come from the selector.
    queryset = Expert.objects.none()
    selector = selectors.expert_list
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    permission_classes = [CanManageExperts]
    ordering = ("name", "id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return ExpertCreateSerializer
        if self.action == "partial_update":
            return ExpertUpdateSerializer
        return super().get_serializer_class()

    def _expert_response(self, expert, status_code=status.HTTP_200_OK):
        expert = selectors.expert_get(user=self.request.user, pk=expert.pk)
        return Response(ExpertSerializer(expert).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_create(actor=request.user, **serializer.validated_data)
        return self._expert_response(expert, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        expert = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_update(
            actor=request.user, expert=expert, **serializer.validated_data
        )
        return self._expert_response(expert)


@extend_schema_view(
    list=extend_schema(
        description=(
            "Score sheets you may see: an expert sees only their own, provincial staff every "
            "sheet. Points and totals of other experts' sheets are null until the whole panel "
            "has submitted."
        )
    ),
    retrieve=extend_schema(description="Another expert's sheet answers 404."),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = ExpertAssignment.objects.none()
    selector = selectors.assignment_list
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering = ("-id",)
    write_roles = frozenset({Role.EXPERT})

    def _sheet_response(self, sheet):
        sheet = selectors.assignment_get(user=self.request.user, pk=sheet.pk)
        return Response(self.get_serializer(sheet).data)

    def _run(self, request, input_class, service):
        sheet = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = service(actor=request.user, assignment=sheet, **serializer.validated_data)
        return self._sheet_response(result)

    @extend_schema(
        request=DeclarationInput, responses=AssignmentSerializer,
        description="Declare no conflict of interest (the file opens) or recuse." + SHEET_NOTE,
    )
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        return self._run(request, DeclarationInput, services.assignment_declare)

    @extend_schema(
        request=ScoreInput, responses=AssignmentSerializer,
        description=(
            "Save points and evidence of manual items, merged into the stored sheet: points "
            "within 0..max with one decimal, evidence required above 0." + SHEET_NOTE
        ),
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        return self._run(request, ScoreInput, services.assignment_score_save)

    @extend_schema(
        request=None, responses=AssignmentSerializer,
        description="Submit the sheet; it is locked from then on." + SHEET_NOTE,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet = self.get_object()
        return self._sheet_response(
            services.assignment_submit(actor=request.user, assignment=sheet)
        )
