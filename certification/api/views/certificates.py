from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import generics, mixins
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.permissions import IsStaffInRegion
from certification.api.serializers.certificates import (
    CertificateSerializer,
    NationalRecommendationSerializer,
    OutcomeSerializer,
    PublicCertificateSerializer,
    RevokeSerializer,
    VerificationSerializer,
)
from certification.filtersets.certificates import (
    CertificateFilterSet,
    NationalRecommendationFilterSet,
)
from certification.selectors import certificates as selectors
from certification.services.certificates import (
    CERTIFICATE_ADMIN_ROLES,
    certificate_revoke,
    is_province,
)
from certification.services.recommendations import national_recommendation_record_outcome
from gansu_sme.api.viewsets import ScopedViewSet, same_for_everyone


def _is_staff(user):
    # Staff of a region see its certificates in full; anyone else (the public, an expert) sees
    # what the public sees.
    return user.is_authenticated and not user.is_expired and user.sees_regions


def _as_seen(**kwargs):
    """Staff get every field, anyone else the public ones: the schema names both shapes."""
    return PolymorphicProxySerializer(
        component_name="CertificateAsSeen",
        serializers=[CertificateSerializer, PublicCertificateSerializer],
        resource_type_field_name=None,
        **kwargs,
    )


@extend_schema_view(
    list=extend_schema(
        responses=_as_seen(many=True),
        description=(
            "Without sign-in: valid certificates only, with number, enterprise name, credit "
            "code, level and dates. Staff: every certificate of their region and below, all "
            "fields."
        ),
    ),
    retrieve=extend_schema(responses=_as_seen()),
)
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Certificates (认定证书)."""

    filterset_class = CertificateFilterSet
    ordering = ("-issued_on", "-id")
    write_roles = CERTIFICATE_ADMIN_ROLES

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsStaffInRegion()]

    def get_selector(self):
        if _is_staff(self.request.user):
            return selectors.certificate_list
        return same_for_everyone(selectors.certificate_public_list)

    def get_serializer_class(self):
        if self.action == "revoke":
            return RevokeSerializer
        if _is_staff(self.request.user):
            return CertificateSerializer
        return PublicCertificateSerializer

    @extend_schema(
        request=RevokeSerializer, responses=CertificateSerializer,
        description=(
            "Revoke with a coded reason and a note; shown on the verification page. Provincial "
            "reviewers only."
        ),
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = certificate_revoke(
            actor=request.user, certificate=certificate, **serializer.validated_data
        )
        certificate = selectors.certificate_get(user=request.user, pk=certificate.pk)
        return Response(CertificateSerializer(certificate).data)


@extend_schema(
    description=(
        "Check a certificate number: valid, expired or revoked (with the reason), enterprise, "
        "level and dates. No sign-in needed; an unknown number is 404."
    )
)
class VerificationView(generics.RetrieveAPIView):
    serializer_class = VerificationSerializer
    permission_classes = [AllowAny]

    def get_object(self):
        return selectors.certificate_verify(number=self.kwargs["number"])


class IsProvincialReviewer(IsStaffInRegion):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and is_province(request.user)


@extend_schema_view(
    list=extend_schema(description="Recommendations to the national 小巨人 list; province only."),
)
class NationalRecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """The province's recommendations to MIIT and their national outcome."""

    selector = selectors.recommendation_list
    serializer_class = NationalRecommendationSerializer
    filterset_class = NationalRecommendationFilterSet
    permission_classes = [IsProvincialReviewer]
    ordering = ("-recommended_at", "-id")

    @extend_schema(
        request=OutcomeSerializer, responses=NationalRecommendationSerializer,
        description=(
            "Record MIIT's decision with its document number. Approval issues the national "
            "certificate (three years, its own number sequence)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="record-outcome",
            serializer_class=OutcomeSerializer)
    def record_outcome(self, request, pk=None):
        recommendation = self.get_object()
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recommendation = national_recommendation_record_outcome(
            actor=request.user, recommendation=recommendation, **serializer.validated_data
        )
        recommendation = selectors.recommendation_get(user=request.user, pk=recommendation.pk)
        return Response(NationalRecommendationSerializer(recommendation).data)
