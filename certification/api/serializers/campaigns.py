from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certification.choices import CampaignKind
from certification.models import Campaign, CampaignQuota, RuleSet
from registry.choices import RegionLevel
from registry.models import Region


class CampaignQuotaSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level=RegionLevel.PREFECTURE),
        help_text=_("Division code of a prefecture-level unit."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = CampaignQuota
        fields = ["region", "region_name", "quota"]


class CampaignSerializer(serializers.ModelSerializer):
    """A campaign (申报批次); the stage deadlines are computed from the working days."""

    kind = serializers.ChoiceField(choices=CampaignKind.choices, label=_("kind"))
    ruleset = serializers.SlugRelatedField(
        slug_field="code",
        queryset=RuleSet.objects.filter(is_active=True),
        help_text=_("Version code of an active rule set of the kind the campaign evaluates."),
    )
    quotas = CampaignQuotaSerializer(
        many=True, required=False,
        help_text=_("Applications each prefecture unit may recommend; on update the list "
                    "replaces the quotas set before."),
    )

    class Meta:
        model = Campaign
        fields = [
            "id", "year", "kind", "title", "ruleset", "opens_on", "closes_on",
            "county_review_days", "city_recommendation_days", "province_decision_days",
            "county_review_due", "city_recommendation_due", "province_decision_due",
            "experts_per_application", "score_spread_threshold", "notice_days", "quotas",
            "created_at",
        ]
        read_only_fields = [
            "county_review_due", "city_recommendation_due", "province_decision_due",
            "created_at",
        ]
