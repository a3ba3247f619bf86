from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certification.models import Evaluation, RuleSet
from gansu_sme.api.fields import ScopedSlugRelatedField
from registry.models import Enterprise


class EvaluationSerializer(serializers.ModelSerializer):
    """An evaluation: each item's verdict or points with the figures behind it (``results``)
    and the outcome with its reasons (``summary``). Amounts are strings, never floats."""

    id = serializers.IntegerField(read_only=True, allow_null=True)
    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    evaluated_by = serializers.CharField(
        source="evaluated_by.username", read_only=True, default=None
    )

    class Meta:
        model = Evaluation
        fields = [
            "id", "enterprise", "enterprise_name", "ruleset_code", "figures_year",
            "evaluated_at", "evaluated_by", "outcome", "total_points", "results", "summary",
            "inputs", "declared_figures",
        ]
        read_only_fields = fields


class PrecheckSerializer(serializers.Serializer):
    """A pre-check request: nothing is stored."""

    enterprise = ScopedSlugRelatedField(
        slug_field="uscc", queryset=Enterprise.objects.all(),
        help_text=_("Credit code of an enterprise in your region."),
    )
    ruleset = serializers.SlugRelatedField(
        slug_field="code", queryset=RuleSet.objects.filter(is_active=True),
        help_text=_("Version code of an active rule set."),
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100,
        help_text=_("Year of the figures; the calendar year before today by default."),
    )
    manual_inputs = serializers.DictField(
        required=False, default=dict,
        help_text=_('Item code → {"met" | "points" | "value", "evidence"}.'),
    )
    declared_figures = serializers.DictField(
        required=False, default=dict, help_text=_('Figure → {"value", "evidence"}.')
    )

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("enterprise"), str):
            data = {**data, "enterprise": data["enterprise"].strip().upper()}
        return super().to_internal_value(data)
