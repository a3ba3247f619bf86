"""Filters every FilterSet shares."""

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


def regions_in_scope(request):
    """The regions the requesting user sees: the region filter's choices."""
    # Looked up by name: this shared module sits below the registry app that defines regions.
    region = apps.get_model("registry", "Region")
    user = getattr(request, "user", None)
    return region.objects.visible_to(user) if user is not None else region.objects.none()


@extend_schema_field(OpenApiTypes.STR)
class RegionFilter(django_filters.ModelChoiceFilter):
    """The one region filter: a division code among the regions the user sees, matching rows of
    that region and every region below it through the queryset's own scoping rule
    (``ScopedQuerySet.within``), so no FilterSet spells out a region lookup. A code outside the
    user's regions is refused as an invalid choice, exactly like one that does not exist.

    ``subtree=False`` matches rows of exactly that region (a region's own reports), by the
    filter's field name.
    """

    def __init__(self, *, subtree=True, **kwargs):
        self.subtree = subtree
        kwargs.setdefault("label", _("region"))
        kwargs.setdefault("queryset", regions_in_scope)
        kwargs.setdefault("empty_label", _("All regions"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("help_text", _("Division code; includes every region below it."))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not self.subtree or value in EMPTY_VALUES:
            return super().filter(qs, value)
        return qs.within(value.path)


class CheckboxesFilter(django_filters.MultipleChoiceFilter):
    """Several values of a closed list, shown as a group of checkboxes: every option is on
    the page, where a multi-select hides all but a few. The API repeats the parameter."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)


class InstantField(IsoDateTimeField):
    """An ISO 8601 time, any UTC offset Python reads (up to ±23:59), held as UTC.

    PostgreSQL refuses offsets beyond ±15:59 in a query (a server error, before this field), and
    a time at the very edge of the calendar has no UTC equivalent: the first is converted, the
    second refused as an invalid time, so the API answers 400 and a page shows the form error.
    """

    default_error_messages = {
        "out_of_range": _("Enter a time between the years 1 and 9999, in UTC."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            ) from None


@extend_schema_field(OpenApiTypes.DATETIME)
class InstantFilter(django_filters.IsoDateTimeFilter):
    """The one filter on a point in time (``updated_since``): ``InstantField``'s parsing."""

    field_class = InstantField
