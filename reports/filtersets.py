import django_filters
from django.utils.translation import gettext_lazy as _

from gansu_sme.filters import RegionFilter

from .choices import ReportKind
from .models import Report


class ReportFilterSet(django_filters.FilterSet):
    """Filters shared by the API and the HTML list of reports."""

    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=ReportKind.choices, empty_label=_("All kinds")
    )
    year = django_filters.NumberFilter(label=_("year"))
    period = django_filters.NumberFilter(
        label=_("period"), help_text=_("Month (1–12), quarter (1–4), or 1 for a year.")
    )
    region = RegionFilter(
        subtree=False,
        help_text=_("Division code of the report's region (exactly that region)."),
    )

    class Meta:
        model = Report
        fields = ["kind", "year", "period", "region"]
