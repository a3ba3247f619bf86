from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certification.choices import ApplicationStatus, AttachmentKind
from certification.models import Application, Attachment, Campaign, Certificate
from gansu_sme.api.fields import ScopedSlugRelatedField
from registry.models import Enterprise


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as the API reads it; status changes only through the actions."""

    enterprise = serializers.CharField(
        source="enterprise.uscc", read_only=True,
        help_text=_("Unified social credit code of the enterprise."),
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.region.code", read_only=True)
    region_name = serializers.CharField(source="enterprise.region.name", read_only=True)
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    renews = serializers.CharField(source="renews.number", read_only=True, default=None)
    evaluation_outcome = serializers.CharField(
        source="evaluation.outcome", read_only=True, default=None
    )
    evaluation_points = serializers.DecimalField(
        source="evaluation.total_points", max_digits=5, decimal_places=1, read_only=True,
        default=None,
    )
    overdue = serializers.BooleanField(
        read_only=True, help_text=_("The stage it waits in is past its deadline.")
    )

    class Meta:
        model = Application
        fields = [
            "id", "campaign", "campaign_title", "enterprise", "enterprise_name", "region",
            "region_name", "status", "filing_level", "renews", "summary", "manual_inputs",
            "declared_figures", "evaluation", "evaluation_outcome", "evaluation_points",
            "stage_due", "overdue", "created_at", "status_changed_at",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    """A draft filed by county staff (for a firm of their county) or city staff."""

    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    enterprise = ScopedSlugRelatedField(
        slug_field="uscc", queryset=Enterprise.objects.all(),
        help_text=_("Credit code of an enterprise in your region."),
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    manual_inputs = serializers.DictField(required=False, default=dict)
    declared_figures = serializers.DictField(required=False, default=dict)
    renews = ScopedSlugRelatedField(
        slug_field="number", queryset=Certificate.objects.all(), required=False,
        allow_null=True, default=None,
        help_text=_("Re-review campaigns only: the number of the certificate renewed."),
    )

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("enterprise"), str):
            data = {**data, "enterprise": data["enterprise"].strip().upper()}
        return super().to_internal_value(data)


class ApplicationUpdateSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True)
    manual_inputs = serializers.DictField(required=False)
    declared_figures = serializers.DictField(required=False)
    renews = ScopedSlugRelatedField(
        slug_field="number", queryset=Certificate.objects.all(), required=False
    )


class TransitionSerializer(serializers.Serializer):
    expected_status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, required=False,
        help_text=_("The status you saw; the action is refused (409) if it has changed."),
    )


class ReasonTransitionSerializer(TransitionSerializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why; kept with the transition."))


class OpinionTransitionSerializer(TransitionSerializer):
    opinion = serializers.CharField(
        max_length=2000,
        help_text=_("The city's recommendation opinion; kept with the transition."),
    )


class ApplicationTransitionSerializer(serializers.Serializer):
    verb = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default=None)
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_by",
            "uploaded_at", "download",
        ]
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        url = reverse(
            "certification-api:application-attachment-download",
            args=[attachment.application_id, attachment.pk],
        )
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField(help_text=_("PDF, JPEG, PNG or XLSX."))
