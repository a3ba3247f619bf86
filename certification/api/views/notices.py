from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from certification.api.serializers.notices import (
    NoticeSerializer,
    ObjectionFiledSerializer,
    ObjectionFileSerializer,
    ObjectionSerializer,
    RulingSerializer,
)
from certification.choices import ApplicationStatus
from certification.filtersets.certificates import ObjectionFilterSet
from certification.models import Application, Notice
from certification.selectors import notices as selectors
from certification.services import notices as services
from certification.services.certificates import CERTIFICATE_ADMIN_ROLES
from gansu_sme.api.throttling import AtomicRateThrottle
from gansu_sme.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet, same_for_everyone
from gansu_sme.exceptions import DomainError


class ObjectionRateThrottle(AtomicRateThrottle):
    """How often one address may file objections, on the page and through the API alike.

    The rate is the setting OBJECTION_THROTTLE_RATE (5/hour by default), read per request; the
    count is kept in Redis under the caller's address (oplog.clients.client_address), shared
    by both ways of filing.
    """

    scope = "objections"

    def get_rate(self):
        return settings.OBJECTION_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema_view(
    list=extend_schema(
        description=(
            "Published public notices (公示), open and closed, newest first, each with the firms "
            "it lists. No sign-in needed."
        )
    ),
    retrieve=extend_schema(description="One published notice with its firms."),
)
class NoticeViewSet(ReadOnlyScopedViewSet):
    """Public notices: readable by anyone."""

    selector = same_for_everyone(selectors.notice_api_list)
    serializer_class = NoticeSerializer
    permission_classes = [AllowAny]
    ordering = ("-starts_on", "-id")


@extend_schema_view(
    list=extend_schema(
        description="Objections against firms of your region and below; staff only."
    ),
    retrieve=extend_schema(description="Only objections of your region and below; others 404."),
    create=extend_schema(
        request=ObjectionFileSerializer,
        responses={201: ObjectionFiledSerializer},
        description=(
            "File an objection (异议) to a firm of an open notice. No sign-in needed; limited per "
            "address (5 an hour by default). Refused once the notice has ended."
        ),
    ),
)
class ObjectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet,
):
    """Objections: the public files them, provincial reviewers rule on them."""

    selector = selectors.objection_list
    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilterSet
    ordering = ("-filed_at",)
    write_roles = CERTIFICATE_ADMIN_ROLES

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            throttles.append(ObjectionRateThrottle())
        return throttles

    def get_serializer_class(self):
        if self.action == "create":
            return ObjectionFileSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        serializer = ObjectionFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        notice = Notice.objects.filter(pk=data["notice"]).first()
        application = Application.objects.filter(pk=data["application"]).first()
        if notice is None or application is None:
            message = _("No such notice or firm.")
            raise DomainError(message, code="notice_not_found", fields={"notice": [message]})
        if application.notice_id == notice.pk and application.status != (
            ApplicationStatus.PUBLIC_NOTICE
        ):
            # Listed with its outcome, but no longer open to objections (the page offers only
            # the firms still in notice); the service checks again under the notice's lock.
            message = _("The firm is no longer in notice; objections cannot name it.")
            raise DomainError(
                message, code="no_longer_in_notice", fields={"application": [message]}
            )
        objection = services.objection_file(
            notice=notice, application=application, name=data["name"],
            contact=data["contact"], text=data["text"],
        )
        return Response(ObjectionFiledSerializer(objection).data, status=status.HTTP_201_CREATED)

    def _rule(self, request, uphold):
        objection = self.get_object()
        serializer = RulingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_decide(
            actor=request.user, objection=objection, uphold=uphold,
            reason=serializer.validated_data["reason"],
        )
        objection = selectors.objection_get(user=request.user, pk=objection.pk)
        return Response(ObjectionSerializer(objection).data)

    @extend_schema(
        request=RulingSerializer, responses=ObjectionSerializer,
        description=(
            "Uphold the objection: the firm's application is rejected with the reason and is "
            "not certified. Provincial reviewers only."
        ),
    )
    @action(detail=True, methods=["post"], serializer_class=RulingSerializer)
    def uphold(self, request, pk=None):
        return self._rule(request, True)

    @extend_schema(
        request=RulingSerializer, responses=ObjectionSerializer,
        description="Dismiss the objection with the reason. Provincial reviewers only.",
    )
    @action(detail=True, methods=["post"], serializer_class=RulingSerializer)
    def dismiss(self, request, pk=None):
        return self._rule(request, False)
