import django_filters
from django.utils.translation import gettext_lazy as _

from gansu_sme.filters import RegionFilter
from registry.choices import TargetMetric
from registry.models import Target


class TargetFilterSet(django_filters.FilterSet):
    """Filters shared by the API and the HTML pages of targets."""

    year = django_filters.NumberFilter(label=_("year"))
    region = RegionFilter()
    metric = django_filters.ChoiceFilter(
        label=_("metric"), choices=TargetMetric.choices, empty_label=_("All metrics")
    )

    class Meta:
        model = Target
        fields = ["year", "region", "metric"]
