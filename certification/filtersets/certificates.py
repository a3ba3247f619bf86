"""Filters shared by the API and the HTML lists of certificates, objections and national
recommendations."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.choices import (
    CampaignKind,
    CertificateLevel,
    CertificateStatus,
    ObjectionStatus,
    RecommendationOutcome,
)
from certification.models import Campaign, Certificate, NationalRecommendation, Objection
from gansu_sme.filters import RegionFilter

YEAR_WIDGET = forms.NumberInput(attrs={"min": 2000, "max": 2100, "placeholder": _("e.g. 2026")})


class CertificateFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        label=_("level"), choices=CertificateLevel.choices, empty_label=_("All levels")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=CertificateStatus.choices, empty_label=_("All statuses")
    )
    year = django_filters.NumberFilter(
        label=_("year of issue"), help_text=_("Year the certificate was issued."),
        widget=YEAR_WIDGET,
    )
    region = RegionFilter()
    search = django_filters.CharFilter(
        label=_("search"),
        method="filter_search",
        help_text=_("Part of the enterprise name, its credit code or the certificate number."),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, code or number")}),
    )

    class Meta:
        model = Certificate
        fields = ["level", "status", "year", "region", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(enterprise__uscc__istartswith=value)
            | Q(number__icontains=value)
        )


class ObjectionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ObjectionStatus.choices, empty_label=_("All statuses")
    )
    notice = django_filters.NumberFilter(label=_("notice"), field_name="notice_id")

    class Meta:
        model = Objection
        fields = ["status", "notice"]


class NationalRecommendationFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("campaign"),
        field_name="application__campaign",
        queryset=Campaign.objects.filter(kind=CampaignKind.LITTLE_GIANT).order_by("-year", "-pk"),
        empty_label=_("All campaigns"),
    )
    year = django_filters.NumberFilter(label=_("year"), widget=YEAR_WIDGET)
    outcome = django_filters.ChoiceFilter(
        label=_("national outcome"), choices=RecommendationOutcome.choices,
        empty_label=_("All outcomes"),
    )

    class Meta:
        model = NationalRecommendation
        fields = ["campaign", "year", "outcome"]
