from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gansu_sme.api.fields import ScopedSlugRelatedField
from registry.choices import PoolKind, PoolTier, PoolTrack, ScaleUpCategory, TargetMetric
from registry.models import Enterprise, PoolEntry, Region, Target


class EnterpriseCodeField(ScopedSlugRelatedField):
    """An enterprise of the caller's region by credit code, in any letter case."""

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).strip().upper())


class PoolEntrySerializer(serializers.ModelSerializer):
    """A pool entry as the API reads it; status and closing fields change only by actions."""

    enterprise = serializers.CharField(
        source="enterprise.uscc", read_only=True,
        help_text=_("Unified social credit code of the enterprise."),
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(
        source="enterprise.region.code", read_only=True,
        help_text=_("Division code of the enterprise's region."),
    )
    region_name = serializers.CharField(source="enterprise.region.name", read_only=True)
    promoted_to = serializers.SerializerMethodField(
        help_text=_("Id of the entry at the next tier this one was promoted to; null if none.")
    )

    class Meta:
        model = PoolEntry
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "region",
            "region_name",
            "pool",
            "tier",
            "track",
            "status",
            "admission_year",
            "admission_reason",
            "category",
            "suggested_category",
            "category_override_reason",
            "statistics_registered",
            "contact_officer",
            "contact_officer_phone",
            "promoted_from",
            "promoted_to",
            "closed_reason",
            "closed_at",
            "admitted_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_promoted_to(self, entry):
        # Loaded with the row (select_related), so asking costs no query.
        try:
            return entry.promoted_to.pk
        except PoolEntry.promoted_to.RelatedObjectDoesNotExist:
            return None


class PoolEntryAdmitSerializer(serializers.Serializer):
    """Admission of an enterprise of your region to a pool (纳入培育库)."""

    enterprise = EnterpriseCodeField(
        slug_field="uscc",
        queryset=Enterprise.objects.all(),
        label=_("enterprise"),
        help_text=_("Credit code of an enterprise in your region."),
    )
    pool = serializers.ChoiceField(choices=PoolKind.choices, label=_("pool"))
    tier = serializers.ChoiceField(
        choices=PoolTier.choices, label=_("tier"),
        help_text=_("County staff admit at county tier, city staff at county or city tier, "
                    "provincial reviewers at province tier."),
    )
    admission_year = serializers.IntegerField(label=_("admission year"))
    admission_reason = serializers.CharField(label=_("admission reason"), max_length=2000)
    track = serializers.ChoiceField(
        choices=PoolTrack.choices, required=False, allow_blank=True, default="",
        label=_("cultivated towards"), help_text=_("SRDI pool only."),
    )
    contact_officer = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50, label=_("contact officer")
    )
    contact_officer_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=30,
        label=_("contact officer phone"),
    )
    category = serializers.ChoiceField(
        choices=ScaleUpCategory.choices, required=False, allow_blank=True, default="",
        label=_("category"),
        help_text=_("Below-to-above-scale pool only. Leave blank to take the category the "
                    "figures suggest; another one needs category_override_reason."),
    )
    category_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000,
        label=_("reason for another category"),
    )
    statistics_registered = serializers.BooleanField(
        required=False, default=False, label=_("in the statistics directory")
    )


class PoolEntryUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoolEntry
        fields = ["track", "contact_officer", "contact_officer_phone", "statistics_registered"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why; kept with the entry's transition.")
    )


class PoolEntrySetCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ScaleUpCategory.choices, label=_("category"))
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000,
        help_text=_("Required when the category differs from the one the figures suggest."),
    )


class TargetSerializer(serializers.ModelSerializer):
    """A yearly target; POST sets it, replacing the value of the same year, region and metric."""

    region = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        label=_("region"),
        help_text=_("Division code: the province or a prefecture unit for provincial reviewers, "
                    "a county of their prefecture for city staff."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    metric = serializers.ChoiceField(choices=TargetMetric.choices, label=_("metric"))

    class Meta:
        model = Target
        fields = ["id", "year", "region", "region_name", "metric", "value", "note", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        # Setting a target again replaces it; the service decides, not a uniqueness check.
        validators = []


class TargetProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="target.year")
    region = serializers.CharField(source="target.region.code")
    region_name = serializers.CharField(source="target.region.name")
    metric = serializers.CharField(source="target.metric")
    target = serializers.IntegerField(source="target.value")
    actual = serializers.IntegerField(
        allow_null=True,
        help_text=_("Null for certified firms and little giants until the certification "
                    "workflow supplies them."),
    )
    percent = serializers.DecimalField(max_digits=14, decimal_places=1, allow_null=True)
