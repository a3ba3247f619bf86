from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gansu_sme.api.fields import ScopedSlugRelatedField
from registry.choices import RegionLevel
from registry.models import Enterprise, Industry, IndustryClass, Region
from registry.validators import validate_uscc


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent.code",
        read_only=True,
        allow_null=True,
        help_text=_("Division code of the region above; null for the province."),
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "is_standard"]


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise as the API reads and registers it; regions and industries go by code."""

    uscc = serializers.CharField(
        label=_("unified social credit code"),
        validators=[validate_uscc],
        help_text=_("18 characters, e.g. 91620105MA71T4YW8Q; fixed once registered."),
    )
    region = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        label=_("region"),
        help_text=_("Division code of a county (or a prefecture unit without counties) in your "
                    "region."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    prefecture_name = serializers.SerializerMethodField(
        help_text=_("Name of the prefecture the region belongs to.")
    )
    industry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Industry.objects.all(),
        label=_("industry"),
        help_text=_("GB/T 4754-2017 division, section letter first, e.g. C35; may be left out"
                    " when industry_class is given."),
    )
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    industry_class = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndustryClass.objects.all(),
        label=_("industry class"),
        required=False,
        allow_null=True,
        help_text=_("GB/T 4754-2017 class (4 digits, e.g. 3511), in the division given."),
    )
    industry_class_name = serializers.CharField(
        source="industry_class.name", read_only=True, default=None
    )
    size_class_not_classed = serializers.SerializerMethodField(
        help_text=_("Why the size standard gives the enterprise's industry no size class"
                    " ({code, message}); null when it does.")
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "legal_representative",
            "founded_on",
            "region",
            "region_name",
            "prefecture_name",
            "industry",
            "industry_name",
            "industry_class",
            "industry_class_name",
            "main_products",
            "niche_market",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_active",
            "size_class",
            "size_class_not_classed",
            "is_above_scale",
            "figures_year",
            "created_at",
            "updated_at",
        ]
        # Derived from verified annual monitoring figures, never typed in.
        read_only_fields = [
            "is_active", "size_class", "is_above_scale", "figures_year", "created_at", "updated_at"
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A class names its division, so a request giving the class may leave the division out.
        data = kwargs.get("data")
        if isinstance(data, Mapping) and data.get("industry_class"):
            self.fields["industry"].required = False

    @extend_schema_field(
        {"type": "object", "nullable": True,
         "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
    )
    def get_size_class_not_classed(self, enterprise):
        reason = enterprise.size_class_not_classed
        return reason and {"code": reason.code, "message": str(reason.message)}

    @extend_schema_field(serializers.CharField())
    def get_prefecture_name(self, enterprise):
        region = enterprise.region
        return (region if region.level == RegionLevel.PREFECTURE else region.parent).name


class EnterpriseUpdateSerializer(EnterpriseSerializer):
    """The same record for editing: the credit code identifies the enterprise and stays fixed."""

    uscc = serializers.CharField(read_only=True)


class EnterpriseDeactivateSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text=_("Why the enterprise leaves the registry; kept in its history.")
    )
