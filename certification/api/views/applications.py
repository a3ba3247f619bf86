from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.choices import Role
from certification import selectors
from certification.api.serializers.applications import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ApplicationTransitionSerializer,
    ApplicationUpdateSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    OpinionTransitionSerializer,
    ReasonTransitionSerializer,
    TransitionSerializer,
)
from certification.api.serializers.experts import (
    DecisionInput,
    DecisionSerializer,
    ExpertDrawInput,
    ExpertDrawSerializer,
)
from certification.choices import ApplicationStatus, Verb
from certification.filtersets.applications import ApplicationFilterSet
from certification.services import applications as services
from certification.services import decisions, experts
from certification.services.attachments import attachment_add
from gansu_sme.api.viewsets import ScopedViewSet

SCOPE_NOTE = "Only applications of enterprises in your region and below; others answer 404."
ACTION_NOTE = (
    " Refused with 409 when the application is not in a status the action leaves (or not in "
    "`expected_status`), 403 when your role does not own its current stage. Repeating an "
    "action that just succeeded answers 200 and writes nothing."
)


def _action_schema(description, reason=False, request=None):
    return extend_schema(
        request=request or (ReasonTransitionSerializer if reason else TransitionSerializer),
        responses=ApplicationSerializer,
        description=description + ACTION_NOTE,
    )


@extend_schema_view(
    list=extend_schema(
        description=(
            "Applications of your region and below, most recently changed first. Filter by "
            "campaign, status (repeatable), region (with the regions below it), enterprise "
            "credit code and `overdue`."
        )
    ),
    retrieve=extend_schema(description=SCOPE_NOTE),
    create=extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
        description=(
            "County staff file a draft for a firm of their county; city staff may file directly "
            "for a firm of their prefecture (no county stage). Only while the campaign's filing "
            "window is open; one live application per firm and campaign."
        ),
    ),
    partial_update=extend_schema(
        request=ApplicationUpdateSerializer,
        responses=ApplicationSerializer,
        description="Change a draft; only its filing side.",
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Applications (申报) and their workflow; status changes only through the actions."""

    selector = selectors.application_list
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    ordering = ("-status_changed_at",)
    write_roles = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER})
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _respond(self, application, code=status.HTTP_200_OK):
        application = selectors.application_get(user=self.request.user, pk=application.pk)
        context = self.get_serializer_context()
        return Response(ApplicationSerializer(application, context=context).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = ApplicationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        application = services.application_create(
            actor=request.user, **serializer.validated_data
        )
        return self._respond(application, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        serializer = ApplicationUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        application = services.application_update(
            actor=request.user, application=application, **serializer.validated_data
        )
        return self._respond(application)

    def _transition(self, request, verb, reason=False, input_class=None):
        application = self.get_object()
        input_class = input_class or (
            ReasonTransitionSerializer if reason else TransitionSerializer
        )
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = services.VERB_SERVICES[verb](
            actor=request.user, application=application, **serializer.validated_data
        )
        return self._respond(changed)

    @_action_schema(
        "Submit a draft: needs the enterprise's signed application attached; runs and stores "
        "the pre-check and refuses (400) when it fails, naming the failing items."
    )
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def submit(self, request, pk=None):
        return self._transition(request, Verb.SUBMIT)

    @_action_schema("County review passed (初审通过), by the county.")
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def review(self, request, pk=None):
        return self._transition(request, Verb.REVIEW)

    @_action_schema(
        "The city recommends (推荐) the application to the province, within its quota, with "
        "its recommendation opinion (`opinion`, required).",
        request=OpinionTransitionSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=OpinionTransitionSerializer)
    def recommend(self, request, pk=None):
        return self._transition(request, Verb.RECOMMEND, input_class=OpinionTransitionSerializer)

    @_action_schema("The province accepts (受理) a recommended application.")
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def accept(self, request, pk=None):
        return self._transition(request, Verb.ACCEPT)

    @_action_schema(
        "Return to the previous owner's stage, with a reason; pass `expected_status`.",
        reason=True,
    )
    @action(
        detail=True, methods=["post"], url_path="return", url_name="return",
        serializer_class=ReasonTransitionSerializer,
    )
    def return_(self, request, pk=None):
        return self._transition(request, Verb.RETURN, reason=True)

    @_action_schema("The filing side withdraws the application, with a reason.", reason=True)
    @action(detail=True, methods=["post"], serializer_class=ReasonTransitionSerializer)
    def withdraw(self, request, pk=None):
        return self._transition(request, Verb.WITHDRAW, reason=True)

    @extend_schema(
        request=ExpertDrawInput,
        responses={201: ExpertDrawSerializer, 200: ExpertDrawSerializer},
        description=(
            "The province draws the expert panel (双随机) of an accepted application, seeded and "
            "recorded for audit, conflicts excluded; during expert review a further draw only "
            "replaces recused experts. 400 naming `count` when too few experts are eligible. "
            "Optional `expected_status`: the status you saw. A first draw sent again "
            "(`province_accepted` seen, the panel since drawn) answers 200 with that same "
            "draw and draws nothing; any other change since is 409."
        ),
    )
    @action(
        detail=True, methods=["post"], url_path="draw-experts", url_name="draw-experts",
        serializer_class=ExpertDrawInput,
    )
    def draw_experts(self, request, pk=None):
        application = self.get_object()
        serializer = ExpertDrawInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        expected_status = serializer.validated_data.get("expected_status")
        draw = experts.experts_draw(
            actor=request.user,
            application=application,
            count=serializer.validated_data.get("count"),
            seed=serializer.validated_data.get("seed") or None,
            expected_status=expected_status,
        )
        # A repeat of the first draw (seen before the lock, as the service checks it again
        # under it) answers like any repeated action: 200, nothing new.
        repeated = (
            expected_status == ApplicationStatus.PROVINCE_ACCEPTED
            and application.status == ApplicationStatus.UNDER_EXPERT_REVIEW
        )
        code = status.HTTP_200_OK if repeated else status.HTTP_201_CREATED
        return Response(ExpertDrawSerializer(draw).data, status=code)

    @extend_schema(
        request=DecisionInput,
        responses=DecisionSerializer,
        description=(
            "The province approves after every sheet is in; a score or outcome that departs from "
            "the panel needs `reason`." + ACTION_NOTE
        ),
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionInput)
    def approve(self, request, pk=None):
        application = self.get_object()
        serializer = DecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = decisions.application_approve(
            actor=request.user,
            application=application,
            score=serializer.validated_data.get("score"),
            reason=serializer.validated_data["reason"],
        )
        return Response(DecisionSerializer(decided).data)

    @extend_schema(
        request=DecisionInput,
        responses=DecisionSerializer,
        description="The province rejects, with a reason." + ACTION_NOTE,
    )
    @action(detail=True, methods=["post"], serializer_class=DecisionInput)
    def reject(self, request, pk=None):
        application = self.get_object()
        serializer = DecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = decisions.application_reject(
            actor=request.user, application=application,
            reason=serializer.validated_data["reason"],
        )
        return Response(DecisionSerializer(decided).data)

    @extend_schema(
        responses=ApplicationTransitionSerializer(many=True),
        description="The application's status history, oldest first. " + SCOPE_NOTE,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def transitions(self, request, pk=None):
        application = self.get_object()
        rows = selectors.application_transitions(application=application)
        return Response(ApplicationTransitionSerializer(rows, many=True).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=AttachmentSerializer(many=True),
        description="The evidence files of the application. " + SCOPE_NOTE,
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        description=(
            "Attach an evidence file (multipart): PDF, JPEG, PNG or XLSX, recognised by "
            "content, size-limited; stored under its SHA-256."
        ),
    )
    @action(
        detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None,
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        serializer_class=AttachmentUploadSerializer,
    )
    def attachments(self, request, pk=None):
        application = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            rows = application.attachments.select_related("uploaded_by")
            return Response(AttachmentSerializer(rows, many=True, context=context).data)
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = attachment_add(
            actor=request.user, application=application,
            kind=serializer.validated_data["kind"], upload=serializer.validated_data["file"],
        )
        return Response(
            AttachmentSerializer(attachment, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        description="Download one evidence file. " + SCOPE_NOTE,
    )
    @action(
        detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)",
        url_name="attachment-download", pagination_class=None, filterset_class=None,
    )
    def attachment_download(self, request, pk=None, attachment_pk=None):
        attachment = selectors.attachment_get(
            user=request.user, application_pk=pk, pk=int(attachment_pk)
        )
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
            content_type=attachment.content_type,
        )
