"""Column specs of the financing lists: pages and exports, amounts in 万元."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from gansu_sme import lists
from registry.tables.enterprises import REGION_CELL


class FinancingNeedTable(lists.Table):
    enterprise = lists.TemplateColumn(
        '<a href="{% url \'financing:need-detail\' record.pk %}">{{ record.enterprise.name }}'
        '</a><div class="mono small muted">{{ record.enterprise.uscc }}</div>',
        accessor="enterprise__name", verbose_name=_("enterprise name"),
    )
    region = lists.TemplateColumn(
        REGION_CELL, accessor="enterprise__region", verbose_name=_("region")
    )
    kind = tables.Column(verbose_name=_("kind of financing"))
    amount = lists.MoneyColumn(
        verbose_name=_("amount (10,000 yuan)"), orderable=True, order_by="amount"
    )
    term_months = tables.Column(verbose_name=_("term (months)"), attrs={"td": {"class": "num"}})
    urgency = tables.Column(verbose_name=_("urgency"))
    status = lists.TemplateColumn(
        '<span class="badge status-{{ record.status }}">{{ record.get_status_display }}</span>',
        verbose_name=_("status"),
    )
    granted_total = lists.MoneyColumn(
        verbose_name=_("granted (10,000 yuan)"), default="—"
    )
    filed_at = lists.DayColumn(verbose_name=_("filed at"), orderable=True, order_by="filed_at")

    class Meta(lists.Table.Meta):
        row_attrs = {"data-need": lambda record: record.pk}
        empty_text = _("No financing need.")


class MatchingEventTable(lists.Table):
    title = lists.TemplateColumn(
        '<a href="{% url \'financing:event-detail\' record.pk %}">{{ value }}</a>',
        verbose_name=_("title"),
    )
    held_on = lists.DayColumn(verbose_name=_("date"))
    region = tables.Column(accessor="region__name", verbose_name=_("organised for"))
    need_count = tables.Column(verbose_name=_("needs put"), attrs={"td": {"class": "num"}})
    granted_count = tables.Column(verbose_name=_("granted"), attrs={"td": {"class": "num"}})

    class Meta(lists.Table.Meta):
        row_attrs = {"data-event": lambda record: record.pk}
        empty_text = _("No matching event.")


class CreditCultivationTable(lists.Table):
    enterprise = lists.TemplateColumn(
        '<a href="{% url \'registry:enterprise-detail\' record.enterprise.uscc %}">'
        '{{ record.enterprise.name }}</a>',
        accessor="enterprise__name", verbose_name=_("enterprise name"),
    )
    region = lists.TemplateColumn(
        REGION_CELL, accessor="enterprise__region", verbose_name=_("region")
    )
    admitted_on = lists.DayColumn(verbose_name=_("admitted on"))
    latest_year = tables.Column(verbose_name=_("rated in"), default="—")
    latest_stars = tables.Column(verbose_name=_("stars"), default="—")
    latest_body = tables.Column(verbose_name=_("rating body"), default="—")

    class Meta(lists.Table.Meta):
        empty_text = _("No firm on the credit-cultivation list.")

    def render_latest_stars(self, value):
        return "★" * value
