import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gansu_sme.querysets import region_path_q

from .models import Enterprise, Region

def _regions_in_scope(request):
    user = getattr(request, "user", None)
    return Region.objects.visible_to(user) if user is not None else Region.objects.none()

class EnterpriseFilterSet(django_filters.FilterSet):
    """Filters shared by the API, the HTML list and the Excel export of enterprises."""

    region = django_filters.ModelChoiceFilter(
        label=_("region"),
        queryset=_regions_in_scope,
        to_field_name="code",
        method="filter_region",
        help_text=_("Division code; includes every region below it."),
    )
    industry = django_filters.CharFilter(
        label=_("industry"),
        method="filter_industry",
        help_text=_("GB/T 4754-2017 section letter (C) or division code (C39)."),
    )
    search = django_filters.CharFilter(
        label=_("search"), method="filter_search", help_text=_("Part of the name or credit code.")
    )
    updated_since = django_filters.IsoDateTimeFilter(
        label=_("updated since"),
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 time; returns records changed at or after it, for incremental sync."),
    )
    is_active = django_filters.BooleanFilter(label=_("active"))
    ordering = django_filters.OrderingFilter(
        label=_("ordering"),
        fields=(("name", "name"), ("uscc", "uscc"), ("updated_at", "updated_at"),
                ("founded_on", "founded_on")),
    )

    class Meta:
        model = Enterprise
        fields = ["region", "industry", "search", "updated_since", "is_active"]

    def filter_region(self, queryset, name, region):
        return queryset.filter(region_path_q("region__path", region.path))

    def filter_industry(self, queryset, name, value):
        value = value.strip().upper()
        if len(value) == 1:
            return queryset.filter(industry__section=value)
        return queryset.filter(industry__code=value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__istartswith=value))
