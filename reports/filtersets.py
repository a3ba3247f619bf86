import django_filters
from django.utils.translation import gettext_lazy as _

from registry.filtersets.monitoring import RegionCodeFilter
from registry.models import Region

from .choices import ReportKind
from .models import Report


def regions_in_scope(request):
    """The regions the requesting user sees, for the region filter's choices."""
    user = getattr(request, "user", None)
    return Region.objects.visible_to(user) if user is not None else Region.objects.none()


class ReportFilterSet(django_filters.FilterSet):
    """Filters shared by the API and the HTML list of reports."""

    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=ReportKind.choices, empty_label=_("All kinds")
    )
    year = django_filters.NumberFilter(label=_("year"))
    period = django_filters.NumberFilter(
        label=_("period"), help_text=_("Month (1–12) or quarter (1–4).")
    )
    region = RegionCodeFilter(
        label=_("region"),
        queryset=regions_in_scope,
        empty_label=_("All regions"),
        to_field_name="code",
        help_text=_("Division code of the report's region (exactly that region)."),
    )

    class Meta:
        model = Report
        fields = ["kind", "year", "period", "region"]
