import django_filters
from django import forms
from django.db.models import Q
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from gansu_sme.filters import InstantFilter, RegionFilter
from registry.models import Enterprise, Industry


class IndustryChoices(BaseChoiceIterator):
    """Sections and their divisions for the HTML list's drop-down; the API takes free text.

    Read afresh each time the form renders. The blank choice comes first without a query,
    because the select widget peeks at it before it renders the options.
    """

    def __iter__(self):
        yield "", _("All industries")
        groups = {}
        for industry in Industry.objects.order_by("section", "code"):
            label = f"{industry.section} {industry.section_name}"
            groups.setdefault(label, [(industry.section, label)]).append(
                (industry.code, str(industry))
            )
        yield from groups.items()


class ActiveSelect(forms.NullBooleanSelect):
    """Django's yes/no/unknown select, worded for a list filter; it parses the same values."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Active")), ("false", _("Inactive"))]


class EnterpriseFilterSet(django_filters.FilterSet):
    """Filters shared by the API, the HTML list and the Excel export of enterprises."""

    region = RegionFilter()
    industry = django_filters.CharFilter(
        label=_("industry"),
        method="filter_industry",
        widget=forms.Select(choices=IndustryChoices()),
        help_text=_("GB/T 4754-2017 section letter (C) or division code (C39 or 39)."),
    )
    search = django_filters.CharFilter(
        label=_("search"),
        method="filter_search",
        help_text=_("Part of the name or credit code."),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or credit code")}
        ),
    )
    updated_since = InstantFilter(
        label=_("updated since"),
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 time; returns records changed at or after it, for incremental sync."),
    )
    is_active = django_filters.BooleanFilter(label=_("active"), widget=ActiveSelect)
    ordering = django_filters.OrderingFilter(
        label=_("ordering"),
        fields=(("name", "name"), ("uscc", "uscc"), ("updated_at", "updated_at"),
                ("founded_on", "founded_on")),
        # The model's verbose names, so choices read "统一社会信用代码", not the bare "Uscc".
        field_labels={
            name: Enterprise._meta.get_field(name).verbose_name
            for name in ("name", "uscc", "updated_at", "founded_on")
        },
    )

    class Meta:
        model = Enterprise
        fields = ["region", "industry", "search", "updated_since", "is_active"]

    def filter_industry(self, queryset, name, value):
        value = value.strip().upper()
        if len(value) == 1:
            return queryset.filter(industry__section=value)
        if value.isdigit():
            # Division numbers are unique across sections, so "39" alone names C39.
            return queryset.filter(industry__code__endswith=value)
        return queryset.filter(industry__code=value)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value))
