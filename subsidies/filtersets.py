"""FilterSets shared by the API, the HTML lists, the ledger and its Excel export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from gansu_sme.filters import RegionFilter
from subsidies.choices import BatchStatus, EntitlementStatus, ProjectStatus
from subsidies.models import Entitlement, PaymentBatch, Program, SupportProject


class EntitlementFilterSet(django_filters.FilterSet):
    """Filters of entitlements; the ledger is these rows summed."""

    program = django_filters.ModelChoiceFilter(
        label=_("program"), queryset=Program.objects.all(), empty_label=_("All programs")
    )
    year = django_filters.NumberFilter(label=_("year"))
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=EntitlementStatus.choices, empty_label=_("All statuses")
    )
    region = RegionFilter()
    enterprise = django_filters.CharFilter(
        label=_("credit code"), field_name="enterprise__uscc", lookup_expr="iexact"
    )

    class Meta:
        model = Entitlement
        fields = ["program", "year", "status", "region", "enterprise"]


class PaymentBatchFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=BatchStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = PaymentBatch
        fields = ["status"]


class SupportProjectFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ProjectStatus.choices, empty_label=_("All statuses")
    )
    year = django_filters.NumberFilter(label=_("year"))

    class Meta:
        model = SupportProject
        fields = ["status", "year"]
