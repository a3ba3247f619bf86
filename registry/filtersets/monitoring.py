import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gansu_sme.filters import InstantFilter, RegionFilter
from registry.choices import PeriodKind, ReportStatus
from registry.models import MonitoringReport
from registry.quality import RULES


class FlaggedSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Flagged")), ("false", _("Not flagged"))]


class MonitoringReportFilterSet(django_filters.FilterSet):
    """Filters shared by the API, the HTML list and the Excel export of monitoring reports."""

    enterprise = django_filters.CharFilter(
        label=_("enterprise"),
        method="filter_enterprise",
        help_text=_("Unified social credit code of the enterprise."),
    )
    search = django_filters.CharFilter(
        label=_("search"),
        method="filter_search",
        help_text=_("Part of the enterprise's name or credit code."),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or credit code")}
        ),
    )
    region = RegionFilter()
    period_kind = django_filters.ChoiceFilter(
        label=_("period kind"), choices=PeriodKind.choices, empty_label=_("All periods")
    )
    year = django_filters.NumberFilter(label=_("year"))
    period = django_filters.NumberFilter(
        label=_("period"), help_text=_("Quarter (1–4) or month (1–12); 0 for a year.")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ReportStatus.choices, empty_label=_("All statuses")
    )
    flagged = django_filters.BooleanFilter(
        label=_("data-quality flags"),
        method="filter_flagged",
        widget=FlaggedSelect,
        help_text=_("true: only reports with flags; false: only reports without."),
    )
    rule = django_filters.ChoiceFilter(
        label=_("flagged by rule"),
        choices=[(rule.code, rule.title) for rule in RULES],
        empty_label=_("Any rule"),
        method="filter_rule",
    )
    updated_since = InstantFilter(
        label=_("updated since"),
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("ISO 8601 time; returns reports changed at or after it, for incremental sync."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("ordering"),
        fields=(("year", "year"), ("updated_at", "updated_at"), ("id", "id")),
        field_labels={"year": _("year"), "updated_at": _("updated at"), "id": _("filing order")},
    )

    class Meta:
        model = MonitoringReport
        fields = [
            "enterprise", "search", "region", "period_kind", "year", "period", "status",
            "flagged", "rule", "updated_since",
        ]

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(enterprise__uscc=value.strip().upper())

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value)
        )

    def filter_flagged(self, queryset, name, value):
        return queryset.exclude(flags=[]) if value else queryset.filter(flags=[])

    def filter_rule(self, queryset, name, value):
        return queryset.filter(flags__contains=[{"rule": value}])
