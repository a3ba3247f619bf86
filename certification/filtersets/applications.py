"""Filters shared by the API and the HTML lists of campaigns, applications and evaluations."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.choices import ApplicationStatus, CampaignKind, FilingLevel, Outcome
from certification.models import Application, Campaign, Evaluation, RuleSet
from gansu_sme.filters import CheckboxesFilter, RegionFilter


class CampaignFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("year"),
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "placeholder": _("e.g. 2026")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=CampaignKind.choices, empty_label=_("All kinds")
    )
    open_on = django_filters.DateFilter(
        label=_("filing open on"),
        method="filter_open_on",
        help_text=_("ISO date; campaigns whose filing window contains it."),
    )

    class Meta:
        model = Campaign
        fields = ["year", "kind", "open_on"]

    def filter_open_on(self, queryset, name, value):
        return queryset.filter(opens_on__lte=value, closes_on__gte=value)


class OverdueSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Overdue")), ("false", _("On time"))]


class ApplicationFilterSet(django_filters.FilterSet):
    """Filters shared by the API, the HTML review queue and any export of applications."""

    campaign = django_filters.ModelChoiceFilter(
        label=_("campaign"), queryset=Campaign.objects.all(), empty_label=_("All campaigns")
    )
    status = CheckboxesFilter(
        label=_("status"), choices=ApplicationStatus.choices,
        help_text=_("One or more statuses."),
    )
    filing_level = django_filters.ChoiceFilter(
        label=_("filed by"), choices=FilingLevel.choices, empty_label=_("All")
    )
    region = RegionFilter()
    enterprise = django_filters.CharFilter(
        label=_("enterprise credit code"),
        method="filter_enterprise",
        help_text=_("Unified social credit code of the enterprise."),
    )
    search = django_filters.CharFilter(
        label=_("search"),
        method="filter_search",
        help_text=_("Part of the enterprise name or credit code."),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or credit code")}),
    )
    overdue = django_filters.BooleanFilter(
        label=_("overdue"),
        method="filter_overdue",
        widget=OverdueSelect,
        help_text=_("true: the stage the application waits in is past its deadline."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("ordering"),
        fields=(
            ("enterprise_name", "enterprise_name"),
            ("status_changed_at", "status_changed_at"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "enterprise_name": _("enterprise name"),
            "status_changed_at": Application._meta.get_field("status_changed_at").verbose_name,
            "created_at": Application._meta.get_field("created_at").verbose_name,
        },
    )

    class Meta:
        model = Application
        fields = ["campaign", "status", "filing_level", "region", "enterprise", "search",
                  "overdue"]

    def filter_enterprise(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(enterprise__uscc=value) if value else queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value)
        )

    def filter_overdue(self, queryset, name, value):
        late = Q(stage_due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class EvaluationFilterSet(django_filters.FilterSet):
    enterprise = django_filters.CharFilter(
        label=_("enterprise credit code"), method="filter_enterprise"
    )
    ruleset = django_filters.ModelChoiceFilter(
        label=_("rule set"), queryset=RuleSet.objects.all(), to_field_name="code",
        help_text=_("Version code of the rule set."),
    )
    outcome = django_filters.ChoiceFilter(label=_("outcome"), choices=Outcome.choices)

    class Meta:
        model = Evaluation
        fields = ["enterprise", "ruleset", "outcome"]

    def filter_enterprise(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(enterprise__uscc=value) if value else queryset
