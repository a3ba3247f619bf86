"""The report list's column spec."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from gansu_sme import lists


class ReportTable(lists.Table):
    period = lists.TemplateColumn(
        '<a href="{% url \'reports:report-detail\' record.pk %}">{{ record.period_shown }}</a>',
        verbose_name=_("Period"),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    region = lists.TemplateColumn(
        '{% if value.level == "county" %}{{ value.parent.name }} {% endif %}{{ value.name }}',
        verbose_name=_("Region"),
    )
    generated_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name=_("Generated at"), attrs={"td": {"class": "nowrap"}}
    )
    workbook = lists.TemplateColumn(
        "{% load i18n %}<a href=\"{% url 'reports:report-download' record.pk %}\">"
        '{% translate "Download XLSX" %}</a>',
        verbose_name=_("Workbook"), empty_values=(),
    )

    class Meta(lists.Table.Meta):
        row_attrs = {"data-report": lambda record: record.pk}
        empty_text = _("No report matches.")
