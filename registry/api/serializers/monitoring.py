from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gansu_sme.api.fields import ScopedSlugRelatedField
from registry.choices import PeriodKind
from registry.figures import FIGURE_NAMES
from registry.models import Enterprise, MonitoringReport
from registry.quality import flag_message


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("Code of the data-quality rule."))
    message = serializers.SerializerMethodField(
        help_text=_("What looks wrong, in the request's language.")
    )
    figures = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text=_("The figures the rule looked at."),
    )

    def get_message(self, flag) -> str:
        return flag_message(flag)


class MonitoringReportSerializer(serializers.ModelSerializer):
    """A monitoring report as the API reads it; money in 万元, land in 亩, energy in tce."""

    enterprise = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.region.code", read_only=True)
    period_label = serializers.CharField(read_only=True)
    flags = FlagSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "region",
            "period_kind",
            "year",
            "period",
            "period_label",
            "revision",
            "corrects",
            "status",
            *FIGURE_NAMES,
            "flags",
            "submitted_at",
            "verified_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MonitoringReportSaveResultSerializer(MonitoringReportSerializer):
    outcome = serializers.SerializerMethodField(
        help_text=_("created, updated or unchanged (nothing was written).")
    )

    class Meta(MonitoringReportSerializer.Meta):
        fields = [*MonitoringReportSerializer.Meta.fields, "outcome"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["created", "updated", "unchanged"]))
    def get_outcome(self, report):
        return self.context["outcome"]


class MonitoringFiguresSerializer(serializers.ModelSerializer):
    """Figures of a report as input: every figure optional; one left out keeps its value."""

    submit = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text=_("Also submit the report for verification."),
    )

    class Meta:
        model = MonitoringReport
        fields = [*FIGURE_NAMES, "submit"]
        extra_kwargs = {name: {"required": False} for name in FIGURE_NAMES}


class MonitoringReportCreateSerializer(MonitoringFiguresSerializer):
    """The figures of one enterprise for one period.

    With no report for the period yet one is filed; a draft or returned one is updated; a
    verified one is corrected by a new revision. Saving the same figures again is unchanged.
    """

    enterprise = ScopedSlugRelatedField(
        slug_field="uscc",
        queryset=Enterprise.objects.all(),
        label=_("enterprise"),
        help_text=_("Unified social credit code of an enterprise in your region."),
    )
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, label=_("period kind"))
    year = serializers.IntegerField(label=_("year"))
    period = serializers.IntegerField(
        label=_("period"),
        default=0,
        help_text=_("Quarter (1–4) or month (1–12); 0 for a year."),
    )

    class Meta(MonitoringFiguresSerializer.Meta):
        fields = [
            "enterprise", "period_kind", "year", "period", *MonitoringFiguresSerializer.Meta.fields
        ]


class MonitoringReportReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text=_("What the filers must check or correct.")
    )
