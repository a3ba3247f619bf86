from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.api.serializers.notices import region_label
from certification.choices import RevocationReason
from certification.models import Certificate, NationalRecommendation


class PublicCertificateSerializer(serializers.ModelSerializer):
    """A valid certificate as anyone may list it."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)

    class Meta:
        model = Certificate
        fields = ["number", "enterprise_name", "uscc", "level", "issued_on", "valid_until"]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    """A certificate as staff of its region read it."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    region = serializers.CharField(source="enterprise.region.code", read_only=True)
    region_name = serializers.SerializerMethodField()
    revoked_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "year", "serial", "level", "status", "enterprise_name", "uscc",
            "region", "region_name", "application", "ruleset_code", "issued_on", "valid_until",
            "renewed_on", "revocation_reason", "revocation_note", "revoked_by", "revoked_at",
            "national_document", "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_region_name(self, certificate):
        return region_label(certificate.enterprise.region)


class VerificationSerializer(serializers.ModelSerializer):
    """What the public verification answers about a certificate number."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    revocation_reason_label = serializers.CharField(
        source="get_revocation_reason_display", read_only=True
    )
    revoked_on = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "number", "enterprise_name", "level", "level_label", "status", "status_label",
            "issued_on", "valid_until", "renewed_on", "revocation_reason",
            "revocation_reason_label", "revoked_on",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_revoked_on(self, certificate):
        return timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None


class RevokeSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(label=_("revocation reason"), choices=RevocationReason.choices)
    note = serializers.CharField(label=_("revocation details"), max_length=5000)


class NationalRecommendationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    campaign = serializers.IntegerField(source="application.campaign_id", read_only=True)
    certificate_number = serializers.CharField(
        source="certificate.number", read_only=True, default=None
    )
    recommended_by = serializers.StringRelatedField(read_only=True)
    outcome_recorded_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = NationalRecommendation
        fields = [
            "id", "application", "campaign", "enterprise_name", "uscc", "year",
            "recommended_by", "recommended_at", "outcome", "outcome_document",
            "outcome_recorded_by", "outcome_recorded_at", "certificate_number",
        ]
        read_only_fields = fields


class OutcomeSerializer(serializers.Serializer):
    approved = serializers.BooleanField(
        label=_("recognised nationally"), help_text=_("true: MIIT recognised the firm.")
    )
    document = serializers.CharField(
        label=_("national document number"), max_length=100,
        help_text=_("Number of MIIT's notice."),
    )
