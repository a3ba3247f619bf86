"""The province's campaign form, with one quota field per prefecture-level unit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.choices import CampaignKind
from certification.models import Campaign, RuleSet
from gansu_sme.forms import ServiceErrorsMixin
from registry.choices import RegionLevel
from registry.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUOTA_PREFIX = "quota_"


class CampaignForm(ServiceErrorsMixin, forms.ModelForm):
    """A campaign's settings; the stage deadlines are computed by the service, not typed."""

    class Meta:
        model = Campaign
        fields = [
            "year", "kind", "title", "ruleset", "opens_on", "closes_on", "county_review_days",
            "city_recommendation_days", "province_decision_days", "experts_per_application",
            "score_spread_threshold", "notice_days",
        ]
        widgets = {"opens_on": DATE_WIDGET, "closes_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CampaignKind.choices
        self.fields["ruleset"].queryset = RuleSet.objects.filter(is_active=True)
        # Left empty, the service takes the rule set in force throughout the filing window.
        self.fields["ruleset"].required = False
        self.fields["ruleset"].help_text = _(
            "Leave empty to take the rule set in force on the campaign's dates."
        )
        self.prefectures = list(Region.objects.filter(level=RegionLevel.PREFECTURE))
        current = {}
        if self.instance.pk:
            current = {q.region_id: q.quota for q in self.instance.quotas.all()}
        for region in self.prefectures:
            self.fields[f"{QUOTA_PREFIX}{region.code}"] = forms.IntegerField(
                label=region.name, min_value=0, required=False, initial=current.get(region.pk)
            )

    def _post_clean(self):
        # The service validates and saves the instance; the model's own clean would ask for
        # deadlines and a creator that only the service supplies.
        pass

    def quota_fields(self):
        return [self[f"{QUOTA_PREFIX}{region.code}"] for region in self.prefectures]

    def campaign_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def quotas(self):
        return {
            region: self.cleaned_data.get(f"{QUOTA_PREFIX}{region.code}")
            for region in self.prefectures
        }

