"""The enterprise list's column spec (page and export) and the detail page's fields."""

from dataclasses import dataclass

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gansu_sme import lists
from gansu_sme.excel.columns import Column as SheetColumn
from registry import imports
from registry.choices import RegionLevel, SizeClass
from registry.models import Enterprise


def _label(name):
    return Enterprise._meta.get_field(name).verbose_name


def region_label(region):
    """A region as the export writes it: its code, then its name under its prefecture."""
    if region.level == RegionLevel.COUNTY:
        return f"{region.code} {region.parent.name}{region.name}"
    return f"{region.code} {region.name}"


SIZE_LABELS = {SizeClass.LARGE: "大型", SizeClass.MEDIUM: "中型", SizeClass.SMALL: "小型",
               SizeClass.MICRO: "微型"}
REGION_CELL = (
    '{% if value.level == "county" %}{{ value.parent.name }} {% endif %}{{ value.name }}'
)


class EnterpriseTable(lists.Table):
    """The enterprise registry: the page's columns, and the export's (the import template's
    first, so that an exported list uploads again)."""

    uscc = lists.TemplateColumn(
        '<a href="{% url \'registry:enterprise-detail\' record.uscc %}">{{ value }}</a>',
        verbose_name=_label("uscc"), orderable=True, order_by="uscc",
        attrs={"td": {"class": "mono"}},
    )
    name = lists.TemplateColumn(
        '<a href="{% url \'registry:enterprise-detail\' record.uscc %}">{{ value }}</a>',
        verbose_name=_label("name"), orderable=True, order_by="name",
    )
    region = lists.TemplateColumn(REGION_CELL, verbose_name=_label("region"))
    industry = tables.Column(verbose_name=_label("industry"))
    founded_on = tables.DateColumn(
        "Y-m-d", verbose_name=_label("founded_on"), orderable=True, order_by="founded_on",
        attrs={"td": {"class": "nowrap"}},
    )
    status = lists.TemplateColumn(
        '{% include "registry/partials/status_badge.html" with enterprise=record %}',
        accessor="is_active", verbose_name=_("Status"),
    )
    updated_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name=_label("updated_at"), orderable=True, order_by="updated_at",
        attrs={"td": {"class": "nowrap"}},
    )

    export_specs = imports.ENTERPRISE_COLUMNS + (
        SheetColumn("is_active", "状态", width=10),
        SheetColumn("size_class", "企业规模（按最近核实年报）", width=14),
        SheetColumn("is_above_scale", "规上企业（是/否）", width=12),
        SheetColumn("figures_year", "规模依据年度（年）", width=12),
        SheetColumn("updated_at", "更新时间", width=20),
    )
    default_sort = "name"

    class Meta(lists.Table.Meta):
        empty_text = _("No enterprise matches these filters.")

    def value_region(self, enterprise):
        return region_label(enterprise.region)

    def value_industry(self, enterprise):
        # The class when one is chosen: its code names the division too, so the exported
        # workbook imports again as it is.
        chosen = enterprise.industry_class or enterprise.industry
        return f"{chosen.code} {chosen.name}"

    def value_is_active(self, enterprise):
        return "在册" if enterprise.is_active else "已停用"

    def value_size_class(self, enterprise):
        return SIZE_LABELS.get(enterprise.size_class)

    def value_updated_at(self, enterprise):
        return timezone.localtime(enterprise.updated_at)


@dataclass(frozen=True)
class Field:
    label: str
    value: object


# Fields of the detail page, in the order of the paper registration form.
ENTERPRISE_DETAIL_FIELDS = (
    "uscc",
    "name",
    "legal_representative",
    "founded_on",
    "region",
    "industry",
    "industry_class",
    "main_products",
    "niche_market",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "created_by",
    "created_at",
    "updated_at",
)


def detail_fields(enterprise):
    """Label and value of each shown field; the template formats dates for the language."""
    return [
        Field(_label(name), getattr(enterprise, name)) for name in ENTERPRISE_DETAIL_FIELDS
    ]
