from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from certification import selectors
from certification.api.serializers.evaluations import EvaluationSerializer, PrecheckSerializer
from certification.filtersets.applications import EvaluationFilterSet
from certification.services.evaluations import EVALUATOR_ROLES, evaluation_run
from gansu_sme.api.viewsets import ScopedViewSet


@extend_schema_view(
    list=extend_schema(description="Stored evaluations of enterprises in your region."),
    retrieve=extend_schema(description="Only evaluations of your region; others answer 404."),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Evaluations of enterprises against rule sets, with the figures behind every verdict."""

    selector = selectors.evaluation_list
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering = ("-id",)
    write_roles = EVALUATOR_ROLES

    @extend_schema(
        request=PrecheckSerializer,
        responses=EvaluationSerializer,
        description=(
            "Run a pre-check of an enterprise of your region against a rule set and return the "
            "result without storing it (`id` is null). County, city and provincial staff."
        ),
    )
    @action(detail=False, methods=["post"], serializer_class=PrecheckSerializer,
            filterset_class=None, pagination_class=None)
    def precheck(self, request):
        serializer = PrecheckSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        evaluation = evaluation_run(actor=request.user, save=False, **serializer.validated_data)
        return Response(EvaluationSerializer(evaluation).data)
