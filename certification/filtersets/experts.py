"""Filters of the expert pool and the score sheets, shared by the API and the HTML lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.choices import AssignmentStatus
from certification.models import Expert, ExpertAssignment


class ExpertFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or employer"), method="filter_q")
    is_active = django_filters.BooleanFilter(label=_("In the pool"))
    section = django_filters.CharFilter(
        label=_("Industry section"), field_name="industries__section", distinct=True,
        help_text=_("GB/T 4754 section letter, e.g. C for manufacturing."),
    )

    class Meta:
        model = Expert
        fields = ["q", "is_active", "section"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(employer_name__icontains=value))


class AssignmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AssignmentStatus.choices, empty_label=_("All statuses")
    )
    application = django_filters.NumberFilter(label=_("Application id"))
    campaign = django_filters.NumberFilter(
        label=_("Campaign id"), field_name="application__campaign"
    )

    class Meta:
        model = ExpertAssignment
        fields = ["status", "application", "campaign"]
