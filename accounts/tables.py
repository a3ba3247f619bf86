"""The column spec of the operations log: page and export alike."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gansu_sme import lists


class TimeColumn(tables.Column):
    """A moment in Beijing time to the second; the export writes the time itself."""

    def render(self, value):
        return date_format(timezone.localtime(value), "Y-m-d H:i:s")

    def value(self, value):
        return value


class OperationTable(lists.Table):
    at = TimeColumn(verbose_name=_("Time"))
    kind = tables.Column(accessor="kind_label", verbose_name=_("Kind"))
    user = tables.Column(accessor="user_name", verbose_name=_("User"), default="")
    address = tables.Column(verbose_name=_("Address"), default="")
    object = tables.Column(accessor="object_summary", verbose_name=_("Object"), default="")
    details = tables.Column(accessor="details_summary", verbose_name=_("Details"), default="")

    class Meta(lists.Table.Meta):
        attrs = {"class": "data-table operations"}
        row_attrs = {"data-kind": lambda record: record.kind}
        empty_text = _("No operation matches these filters.")
