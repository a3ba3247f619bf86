"""The pool list's column spec: the page's columns, and the export's (the import template's
first, so that an exported list uploads again)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gansu_sme import lists
from gansu_sme.excel.columns import Column as SheetColumn
from registry import imports
from registry.choices import PoolEntryStatus, PoolKind
from registry.models import PoolEntry

from .enterprises import REGION_CELL, region_label


def _label(name):
    return PoolEntry._meta.get_field(name).verbose_name


POOL_STATUS_LABELS = {
    PoolEntryStatus.ACTIVE: "在库",
    PoolEntryStatus.PROMOTED: "已晋级",
    PoolEntryStatus.GRADUATED: "已毕业",
    PoolEntryStatus.REMOVED: "已出库",
}


class PoolEntryTable(lists.Table):
    enterprise_name = lists.TemplateColumn(
        '<a href="{% url \'registry:pool-entry-detail\' record.pk %}">{{ record.enterprise.name }}'
        '</a><div class="mono small muted">{{ record.enterprise.uscc }}</div>',
        accessor="enterprise__name", verbose_name=_("enterprise name"), orderable=True,
        order_by="enterprise_name",
    )
    region = lists.TemplateColumn(
        REGION_CELL, accessor="enterprise__region", verbose_name=_("region")
    )
    tier = tables.Column(verbose_name=_label("tier"), attrs={"td": {"class": "nowrap"}})
    track = lists.TemplateColumn(
        '{% if record.pool == "scale_up" %}{% if record.category %}<span class="badge '
        'badge-category">{{ record.get_category_display }}</span>{% else %}—{% endif %}'
        '{% else %}{{ record.get_track_display|default:"—" }}{% endif %}',
        verbose_name=_("Track or category"), empty_values=(),
    )
    admission_year = tables.Column(
        verbose_name=_label("admission_year"), orderable=True, order_by="admission_year",
        attrs={"td": {"class": "nowrap"}},
    )
    contact_officer = lists.TemplateColumn(
        '{{ record.contact_officer|default:"—" }}{% if record.contact_officer_phone %}<div '
        'class="small muted">{{ record.contact_officer_phone }}</div>{% endif %}',
        verbose_name=_label("contact_officer"), empty_values=(),
    )
    status = lists.TemplateColumn(
        '{% include "registry/pool/partials/status_badge.html" with entry=record %}',
        verbose_name=_label("status"),
    )
    admitted_at = tables.DateTimeColumn(
        "Y-m-d", verbose_name=_label("admitted_at"), orderable=True, order_by="admitted_at",
        attrs={"td": {"class": "nowrap"}},
    )

    export_specs = imports.POOL_COLUMNS + (
        SheetColumn("status", "状态", width=10),
        SheetColumn("suggested_category", "系统建议类别", width=12,
                     choices=imports.CATEGORY_LABELS),
        SheetColumn("region", "所属地区（区划代码）", width=24),
        SheetColumn("admitted_at", "入库时间", width=20),
        SheetColumn("closed_at", "出库或晋级时间", width=20),
    )
    # PoolEntry.Meta.ordering.
    default_sort = "-admitted_at"

    class Meta(lists.Table.Meta):
        attrs = {"class": "data-table pool-table"}
        row_attrs = {"data-entry": lambda record: record.pk}
        empty_text = _("No pool entry matches these filters.")

    def value_uscc(self, entry):
        return entry.enterprise.uscc

    def value_enterprise_name(self, entry):
        return entry.enterprise.name

    def value_status(self, entry):
        return POOL_STATUS_LABELS.get(entry.status, entry.status)

    def value_region(self, entry):
        return region_label(entry.enterprise.region)

    def value_admitted_at(self, entry):
        return timezone.localtime(entry.admitted_at)

    def value_closed_at(self, entry):
        return entry.closed_at and timezone.localtime(entry.closed_at)

    def value_statistics_registered(self, entry):
        return entry.statistics_registered if entry.pool == PoolKind.SCALE_UP else None
