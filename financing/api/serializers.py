from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from financing.choices import NeedKind, Urgency
from financing.models import WAN, FinancialInstitution, FinancingNeed, MatchingEvent, MatchOutcome
from registry.api.serializers.pool import EnterpriseCodeField
from registry.models import Enterprise


class FinancingNeedSerializer(serializers.ModelSerializer):
    """A financing need as the API reads it; status changes only by actions."""

    enterprise = serializers.CharField(
        source="enterprise.uscc", read_only=True,
        help_text=_("Unified social credit code of the enterprise."),
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(
        source="enterprise.region.code", read_only=True,
        help_text=_("Division code of the enterprise's region."),
    )
    granted_total = serializers.DecimalField(
        read_only=True, allow_null=True, **WAN,
        help_text=_("Sum granted over all matching events, in 10,000 yuan; null if none."),
    )

    class Meta:
        model = FinancingNeed
        fields = [
            "id", "enterprise", "enterprise_name", "region", "kind", "amount", "term_months",
            "purpose", "collateral", "urgency", "agreed_to_share", "status", "granted_total",
            "filed_at", "status_changed_at", "updated_at",
        ]
        read_only_fields = fields


class FinancingNeedFileSerializer(serializers.Serializer):
    """Filing of a need of an enterprise of your region (county or city staff)."""

    enterprise = EnterpriseCodeField(
        slug_field="uscc", queryset=Enterprise.objects.all(), label=_("enterprise"),
        help_text=_("Credit code of an enterprise in your region."),
    )
    kind = serializers.ChoiceField(choices=NeedKind.choices, label=_("kind of financing"))
    amount = serializers.DecimalField(label=_("amount (10,000 yuan)"), **WAN)
    term_months = serializers.IntegerField(label=_("term (months)"))
    purpose = serializers.CharField(label=_("purpose"), max_length=200)
    collateral = serializers.CharField(
        label=_("collateral"), max_length=200, required=False, allow_blank=True, default=""
    )
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, label=_("urgency"), default=Urgency.NORMAL
    )
    agreed_to_share = serializers.BooleanField(
        label=_("agreed to share with institutions"), default=False
    )


class NeedReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why; kept with the need's transition.")
    )


class InstitutionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = FinancialInstitution
        fields = ["id", "name", "branch", "kind", "region"]
        read_only_fields = fields


class MatchOutcomeSerializer(serializers.ModelSerializer):
    need = serializers.IntegerField(source="need_id", read_only=True)
    enterprise = serializers.CharField(source="need.enterprise.uscc", read_only=True)
    institution = serializers.IntegerField(
        source="institution_id", read_only=True, allow_null=True
    )

    class Meta:
        model = MatchOutcome
        fields = ["id", "need", "enterprise", "institution", "status", "granted_amount", "rate",
                  "granted_on", "refusal_reason", "status_changed_at"]
        read_only_fields = fields


class MatchingEventSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    institutions = InstitutionSerializer(many=True, read_only=True)
    outcomes = MatchOutcomeSerializer(
        many=True, read_only=True, source="visible_outcomes",
        help_text=_("Outcomes of the needs you see."),
    )

    class Meta:
        model = MatchingEvent
        fields = ["id", "title", "held_on", "venue", "region", "institutions", "outcomes",
                  "updated_at"]
        read_only_fields = fields
