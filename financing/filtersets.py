"""Filters shared by the API, the HTML lists and the Excel exports of financing rows."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from financing.choices import NeedKind, NeedStatus, Urgency
from financing.models import FinancingNeed, MatchingEvent
from gansu_sme.filters import InstantFilter, RegionFilter


class FinancingNeedFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=NeedStatus.choices, empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind of financing"), choices=NeedKind.choices, empty_label=_("All kinds")
    )
    urgency = django_filters.ChoiceFilter(
        label=_("urgency"), choices=Urgency.choices, empty_label=_("Any urgency")
    )
    region = RegionFilter()
    shared = django_filters.BooleanFilter(
        label=_("agreed to share with institutions"), field_name="agreed_to_share"
    )
    search = django_filters.CharFilter(
        label=_("search"),
        method="filter_search",
        help_text=_("Part of the enterprise name or credit code."),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or credit code")}),
    )
    updated_since = InstantFilter(
        label=_("updated since"), field_name="updated_at", lookup_expr="gte",
        help_text=_("ISO 8601 time; returns needs changed at or after it, for incremental sync."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("ordering"),
        fields=(("amount", "amount"), ("filed_at", "filed_at"), ("updated_at", "updated_at")),
        field_labels={
            "amount": FinancingNeed._meta.get_field("amount").verbose_name,
            "filed_at": FinancingNeed._meta.get_field("filed_at").verbose_name,
            "updated_at": FinancingNeed._meta.get_field("updated_at").verbose_name,
        },
    )

    class Meta:
        model = FinancingNeed
        fields = ["status", "kind", "urgency", "region", "shared", "search", "updated_since"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value)
        )


class MatchingEventFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("year"), field_name="held_on__year",
        # A date's year lookup becomes a range of dates, which a year outside them cannot make.
        min_value=2000, max_value=2100,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )
    held_after = django_filters.DateFilter(
        label=_("held on or after"), field_name="held_on", lookup_expr="gte"
    )
    updated_since = InstantFilter(
        label=_("updated since"), field_name="updated_at", lookup_expr="gte",
        help_text=_("ISO 8601 time; returns events changed at or after it."),
    )

    class Meta:
        model = MatchingEvent
        fields = ["year", "held_after", "updated_since"]
