import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gansu_sme.filters import InstantFilter, RegionFilter
from registry.choices import PoolEntryStatus, PoolKind, PoolTier, PoolTrack, ScaleUpCategory
from registry.models import PoolEntry


class PoolEntryFilterSet(django_filters.FilterSet):
    """Filters shared by the API, the HTML pool pages and the Excel export of pool entries."""

    pool = django_filters.ChoiceFilter(
        label=_("pool"), choices=PoolKind.choices, empty_label=_("All pools")
    )
    tier = django_filters.ChoiceFilter(
        label=_("tier"), choices=PoolTier.choices, empty_label=_("All tiers")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=PoolEntryStatus.choices, empty_label=_("All statuses")
    )
    track = django_filters.ChoiceFilter(
        label=_("cultivated towards"), choices=PoolTrack.choices, empty_label=_("All tracks")
    )
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=ScaleUpCategory.choices, empty_label=_("All categories")
    )
    region = RegionFilter()
    year = django_filters.NumberFilter(
        label=_("admission year"),
        field_name="admission_year",
        help_text=_("Year of admission to this tier."),
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "placeholder": _("e.g. 2026")}),
    )
    search = django_filters.CharFilter(
        label=_("search"),
        method="filter_search",
        help_text=_("Part of the enterprise name or credit code."),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or credit code")}
        ),
    )
    updated_since = InstantFilter(
        label=_("updated since"),
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 time; returns entries changed at or after it, for incremental sync."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("ordering"),
        fields=(
            ("enterprise_name", "enterprise_name"),
            ("admission_year", "admission_year"),
            ("admitted_at", "admitted_at"),
            ("updated_at", "updated_at"),
        ),
        field_labels={
            "enterprise_name": _("enterprise name"),
            "admission_year": PoolEntry._meta.get_field("admission_year").verbose_name,
            "admitted_at": PoolEntry._meta.get_field("admitted_at").verbose_name,
            "updated_at": PoolEntry._meta.get_field("updated_at").verbose_name,
        },
    )

    class Meta:
        model = PoolEntry
        fields = ["pool", "tier", "status", "track", "category", "region", "year", "search",
                  "updated_since"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__istartswith=value)
        )

