"""Column specs of the subsidy lists: pages, exports and their totals, amounts in yuan."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from gansu_sme import lists
from gansu_sme.excel.columns import Column as SheetColumn
from subsidies.models import masked
from subsidies.querysets import sees_account_numbers


class EntitlementTable(lists.Table):
    program = lists.TemplateColumn(
        '<a href="{% url \'subsidies:entitlement-detail\' record.pk %}">{{ value.name }}</a>',
        verbose_name=_("Program"),
    )
    year = tables.Column(verbose_name=_("Year"))
    payee_name = tables.Column(verbose_name=_("Payee"))
    city = tables.Column(accessor="city__name", verbose_name=_("City"))
    amount = lists.MoneyColumn(verbose_name=_("Amount due (yuan)"))
    status = lists.TemplateColumn(
        "{% load i18n %}{{ record.get_status_display }}{% if record.in_open_batch %} · "
        '{% translate "in a batch" %}{% endif %}',
        verbose_name=_("Status"),
        attrs={"td": {"class": lambda record: f"status-{record.status}"}},
    )

    class Meta(lists.Table.Meta):
        attrs = {"class": "data-table awards"}
        row_attrs = {"data-entitlement": lambda record: record.pk}
        empty_text = _("No awards.")


class BatchTable(lists.Table):
    title = lists.TemplateColumn(
        '<a href="{% url \'subsidies:batch-detail\' record.pk %}">{{ value }}</a>',
        verbose_name=_("Batch"),
    )
    status = tables.Column(verbose_name=_("Status"))
    total = lists.MoneyColumn(verbose_name=_("Total (yuan)"))
    created_by = tables.Column(verbose_name=_("Made by"))
    approved_by = tables.Column(verbose_name=_("Approved by"), default="")
    paid_on = lists.DayColumn(verbose_name=_("Paid on"), default="")

    class Meta(lists.Table.Meta):
        row_attrs = {"data-batch": lambda record: record.pk}
        empty_text = _("No batch yet.")


class ProjectTable(lists.Table):
    title = lists.TemplateColumn(
        '<a href="{% url \'subsidies:project-detail\' record.pk %}">{{ value }}</a>',
        verbose_name=_("Project"),
    )
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("Enterprise"))
    year = tables.Column(verbose_name=_("Year"))
    amount_requested = lists.MoneyColumn(verbose_name=_("Amount requested (yuan)"))
    amount_approved = lists.MoneyColumn(verbose_name=_("Amount approved (yuan)"), default="")
    status = tables.Column(verbose_name=_("Status"))

    class Meta(lists.Table.Meta):
        empty_text = _("No project yet.")


class LedgerTable(lists.Table):
    """Money per program, year and city (rows of ``selectors.ledger``); the export keeps the
    finance office's Chinese headers."""

    program = tables.Column(accessor="program__name", verbose_name=_("Program"))
    year = tables.Column(verbose_name=_("Year"))
    city = tables.Column(accessor="city__name", verbose_name=_("City"))
    entitled = lists.MoneyColumn(verbose_name=_("Entitled"))
    approved = lists.MoneyColumn(verbose_name=_("Approved"))
    in_batch = lists.MoneyColumn(verbose_name=_("In batch"))
    paid = lists.MoneyColumn(verbose_name=_("Paid"))
    recovered = lists.MoneyColumn(verbose_name=_("Recovered"))
    remaining = lists.MoneyColumn(verbose_name=_("Remaining"))

    export_specs = (
        SheetColumn("program__name", "奖补项目", width=32),
        SheetColumn("year", "年度"),
        SheetColumn("city__name", "市州"),
        SheetColumn("entitled", "应奖补（元）"),
        SheetColumn("approved", "已审核待付（元）"),
        SheetColumn("in_batch", "批次中（元）"),
        SheetColumn("paid", "已拨付（元）"),
        SheetColumn("recovered", "已追回（元）"),
        SheetColumn("remaining", "未拨付（元）"),
    )

    class Meta(lists.Table.Meta):
        attrs = {"class": "data-table ledger"}
        empty_text = _("No awards.")


class AccountTable(lists.Table):
    """Receiving accounts; numbers in full for finance officers only."""

    payee = lists.TemplateColumn(
        '<a href="{% url \'subsidies:account-detail\' record.pk %}">'
        "{{ record.payee }}</a>",
        verbose_name=_("Payee"),
    )
    account_name = tables.Column(verbose_name=_("Account name"))
    bank_name = tables.Column(verbose_name=_("Bank and branch"))
    account_number = tables.Column(verbose_name=_("Account number"),
                                   attrs={"td": {"class": "account-number"}})
    status = tables.Column(verbose_name=_("Status"),
                           attrs={"td": {"class": lambda record: f"status-{record.status}"}})
    recorded_by = tables.Column(verbose_name=_("Recorded by"))
    recorded_at = lists.DayColumn(verbose_name=_("Recorded on"))
    confirmed_by = tables.Column(verbose_name=_("Confirmed by"), default="")

    class Meta(lists.Table.Meta):
        row_attrs = {"data-account": lambda record: record.pk}
        empty_text = _("No receiving account yet.")

    def render_account_number(self, value):
        return value if sees_account_numbers(self.request.user) else masked(value)
