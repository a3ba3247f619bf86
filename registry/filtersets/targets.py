import django_filters
from django.utils.translation import gettext_lazy as _

from gansu_sme.querysets import region_path_q
from registry.choices import TargetMetric
from registry.models import Target

from .pool import region_filter


class TargetFilterSet(django_filters.FilterSet):
    """Filters shared by the API and the HTML pages of targets."""

    year = django_filters.NumberFilter(label=_("year"))
    region = region_filter()
    metric = django_filters.ChoiceFilter(
        label=_("metric"), choices=TargetMetric.choices, empty_label=_("All metrics")
    )

    class Meta:
        model = Target
        fields = ["year", "region", "metric"]

    def filter_region(self, queryset, name, region):
        return queryset.filter(region_path_q("region__path", region.path))
