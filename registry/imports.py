"""Excel column specs of the registry's imports: enterprises, monitoring reports, pool entries.

Headers are the Chinese names officials know from their own workbooks, each with its unit;
closed values are offered as drop-downs with Chinese labels, whatever the page language, because
the workbooks circulate between offices as they are. The same columns head the exports, so a
downloaded list can be edited and uploaded again. Headers, labels, notes and titles here are
those official Chinese artefacts: data, not interface text, so they are not translated.

Each figure is read cell by cell by the monitoring rules (registry.figures), so every mistyped
figure of a row is its own error, reported with a code and a message that does not repeat the
column's name.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from gansu_sme.excel.columns import (
    BOOL_CHOICES,
    MSG_NUMBER,
    MSG_YES_NO,
    CellInvalid,
    Column,
    parse_date,
    parse_int,
    parse_text,
)
from registry import uscc
from registry.choices import (
    ImportKind,
    PeriodKind,
    PoolKind,
    PoolTier,
    PoolTrack,
    RegionLevel,
    ScaleUpCategory,
)
from registry.figures import FIGURES, FLAG, FigureError
from registry.models import Enterprise, Industry, PoolEntry, Region

REGION_LIST = "地区代码"
INDUSTRY_LIST = "行业代码"

PERIOD_KIND_LABELS = ((PeriodKind.YEAR, "年报"), (PeriodKind.QUARTER, "季报"),
                      (PeriodKind.MONTH, "月报"))
POOL_LABELS = ((PoolKind.ZJTX, "专精特新培育库"), (PoolKind.SCALE_UP, "规下转规上培育库"))
TIER_LABELS = ((PoolTier.COUNTY, "县级库"), (PoolTier.CITY, "市级库"),
               (PoolTier.PROVINCE, "省级库"))
TRACK_LABELS = (
    (PoolTrack.INNOVATIVE, "创新型中小企业"),
    (PoolTrack.ZJTX, "专精特新中小企业"),
    (PoolTrack.LITTLE_GIANT, "专精特新“小巨人”"),
)
CATEGORY_LABELS = (
    (ScaleUpCategory.KEEP, "保"),
    (ScaleUpCategory.ADD, "增"),
    (ScaleUpCategory.GROW, "长"),
    (ScaleUpCategory.RETURN, "返"),
    (ScaleUpCategory.FILL, "补"),
)


def parse_leading_code(value):
    """The code at the start of a drop-down entry such as "620102 兰州市城关区"."""
    text = parse_text(value)
    return text.split()[0].upper() if text else ""


def parse_uscc(value):
    """A credit code cell, normalised as the form and the API normalise a typed code."""
    return uscc.normalize(parse_text(value))


def _required(model, name):
    # A column is required exactly when the model (and so the form) requires the field.
    return not model._meta.get_field(name).blank


USCC = Column(
    "uscc", "统一社会信用代码", parse=parse_uscc, required=True, width=22, text_format=True,
    note="18位，如 91620105MA71T4YW8Q。",
)
NAME_FOR_CHECKING = Column(
    "enterprise_name", "企业名称（仅供核对）", width=30, imported=False,
    note="便于核对，导入时不读取；企业以统一社会信用代码为准。",
)


def _enterprise_column(name, header, **options):
    return Column(name, header, required=_required(Enterprise, name), **options)


ENTERPRISE_COLUMNS = (
    USCC,
    _enterprise_column("name", "企业名称", width=30),
    _enterprise_column("legal_representative", "法定代表人"),
    _enterprise_column("founded_on", "成立日期（年-月-日）", parse=parse_date, width=18,
                       note="如 2015-03-01。"),
    _enterprise_column(
        "region", "所属地区（区划代码）", parse=parse_leading_code, list_name=REGION_LIST,
        width=24, note="从下拉列表选择，或填6位区划代码；只能是您辖区内的县区。",
    ),
    _enterprise_column(
        "industry", "所属行业（国民经济行业代码）", parse=parse_leading_code,
        list_name=INDUSTRY_LIST, width=28,
        note="GB/T 4754-2017 大类，如 C35；或填4位小类代码，如 3511（同时确定所属大类）。",
    ),
    _enterprise_column("main_products", "主导产品", width=24),
    _enterprise_column("niche_market", "细分市场", width=24),
    _enterprise_column("address", "地址", width=30),
    _enterprise_column("contact_name", "联系人"),
    _enterprise_column("contact_phone", "联系电话", text_format=True),
    _enterprise_column("contact_email", "电子邮箱", width=24),
)


# What the monitoring rules refuse in a figure, by code, said without naming the figure.
FIGURE_MESSAGES = {
    "not_a_number": MSG_NUMBER,
    "too_many_decimals": _("At most %(places)s decimal places."),
    "too_large": _("The number is too large."),
    "not_a_percentage": _("Must be between 0 and 100."),
    "negative": _("Must not be negative."),
    "not_a_count": _("Must be a whole number, 0 or more."),
    "not_yes_no": MSG_YES_NO,
}
# The rules' English reasons, for a FigureError that carries no code of its own.
_FIGURE_CODES = {
    "must be a number.": "not_a_number",
    "the number is too large.": "too_large",
    "must be between 0 and 100.": "not_a_percentage",
    "must not be negative.": "negative",
    "must be a whole number, 0 or more.": "not_a_count",
    "must be yes or no.": "not_yes_no",
}


def figure_refusal(figure, exc):
    """The refusal (a CellInvalid: message, code, params) of a figure the monitoring rules
    refused, said without naming the figure; forms show it beside the field the same way."""
    code = getattr(exc, "code", None) or _FIGURE_CODES.get(str(getattr(exc, "en", "")))
    if code is None and "decimal places" in str(getattr(exc, "en", "")):
        code = "too_many_decimals"
    if code in FIGURE_MESSAGES:
        places = getattr(figure.field, "decimal_places", 0)
        return CellInvalid(FIGURE_MESSAGES[code], code=code, params={"places": places})
    return CellInvalid(getattr(exc, "message", None) or str(exc), code=code or "invalid_figure")


def _figure_parser(figure):
    parse = figure.parser

    def parse_figure(value):
        if value == "":
            return None
        try:
            return parse(value)
        except FigureError as exc:
            raise figure_refusal(figure, exc) from exc

    return parse_figure


def _figure_column(figure):
    if figure.kind == FLAG:
        return Column(figure.name, f"{figure.zh}（是/否）", choices=BOOL_CHOICES, width=14)
    # The monitoring rules read each figure, as the service will again when it saves.
    return Column(figure.name, figure.zh_label, parse=_figure_parser(figure), width=14)


MONITORING_KEY_COLUMNS = (
    USCC,
    NAME_FOR_CHECKING,
    Column("year", "年度（年）", parse=parse_int, required=True, width=10),
    Column("period_kind", "报表类型", choices=PERIOD_KIND_LABELS, required=True, width=10),
    Column("period", "季度或月份（年报留空）", parse=parse_int, width=12,
           note="季报填1–4，月报填1–12，年报留空或填0。"),
)
MONITORING_COLUMNS = MONITORING_KEY_COLUMNS + tuple(_figure_column(f) for f in FIGURES)


def _pool_column(name, header, **options):
    options.setdefault("required", _required(PoolEntry, name))
    return Column(name, header, **options)


POOL_COLUMNS = (
    USCC,
    NAME_FOR_CHECKING,
    _pool_column("pool", "培育库", choices=POOL_LABELS, width=18),
    _pool_column("tier", "层级", choices=TIER_LABELS, width=10,
                 note="县区工信部门录入县级库；市州可录入县级库或市级库；省级录入省级库。"),
    _pool_column("track", "培育方向（专精特新培育库）", choices=TRACK_LABELS, width=20),
    _pool_column("admission_year", "入库年度（年）", parse=parse_int, width=12),
    _pool_column("admission_reason", "入库理由", width=30),
    _pool_column("category", "类别（规下转规上：保/增/长/返/补）", choices=CATEGORY_LABELS,
                 width=18, note="留空则采用系统根据已核实年报建议的类别。"),
    _pool_column("category_override_reason", "类别与建议不同的理由", width=24),
    _pool_column("statistics_registered", "已入库纳统（是/否）", choices=BOOL_CHOICES,
                 required=False, width=12),
    _pool_column("contact_officer", "联系帮扶人"),
    _pool_column("contact_officer_phone", "联系帮扶人电话", text_format=True),
)


def enterprise_regions(actor):
    """Regions of the actor's scope that hold enterprises: counties, and prefecture units
    without counties (as Region.can_hold_enterprises)."""
    has_children = Exists(Region.objects.filter(parent=OuterRef("pk")))
    return Region.objects.visible_to(actor).filter(
        Q(level=RegionLevel.COUNTY) | Q(~has_children, level=RegionLevel.PREFECTURE)
    )


def _region_entries(actor):
    regions = enterprise_regions(actor).select_related("parent").order_by("path")
    return [
        f"{r.code} {r.parent.name}{r.name}" if r.level == RegionLevel.COUNTY
        else f"{r.code} {r.name}"
        for r in regions
    ]


def _industry_entries(actor):
    return [f"{i.code} {i.name}" for i in Industry.objects.order_by("code")]


@dataclass(frozen=True)
class ImportSpec:
    """What one kind of import reads: its columns, the template's notes and long lists."""

    kind: str
    title: str
    columns: tuple
    notes: tuple
    list_sources: tuple = ()  # (list name, function of the actor returning its entries)

    def lists(self, actor):
        return {name: source(actor) for name, source in self.list_sources}

    @cached_property
    def imported_columns(self):
        return tuple(c for c in self.columns if c.imported)

    @property
    def template_name(self):
        return f"{self.title}导入模板.xlsx"


# The notes explain the template on the upload page, in the page's language, and on the
# template's notes sheet, where they are written in Chinese like the rest of the form.
COMMON_NOTES = (
    _("Row 1 is the header: do not change, delete or reorder its columns. From row 2 on, one"
      " record per row; columns added on the right are not read."),
    _("Type the values themselves, not formulas: a cell with a formula is an error."),
    _("After the upload every cell of every row is checked first; the rows are written all at"
      " once only after you confirm, and nothing is written if there is any error."),
    _("The report can be downloaded as the workbook with the errors marked: bad cells in red and"
      " the reasons in the last column. Correct it and upload it again as it is."),
    _("When the same file is uploaded again, unchanged records show as \"unchanged\" and are not"
      " written twice."),
)

SPECS: dict[str, ImportSpec] = {
    ImportKind.ENTERPRISES: ImportSpec(
        kind=ImportKind.ENTERPRISES,
        title="企业名录",
        columns=ENTERPRISE_COLUMNS,
        notes=COMMON_NOTES + (
            _("Enterprises are identified by their credit code: an unregistered code registers a"
              " new enterprise, a registered one is updated from the sheet."),
            _("The region can only be a county of your jurisdiction (or a city without"
              " counties)."),
        ),
        list_sources=((REGION_LIST, _region_entries), (INDUSTRY_LIST, _industry_entries)),
    ),
    ImportKind.MONITORING: ImportSpec(
        kind=ImportKind.MONITORING,
        title="运行监测",
        columns=MONITORING_COLUMNS,
        notes=COMMON_NOTES + (
            _("Reports are identified by the credit code and the period (year, kind of report,"
              " quarter or month)."),
            _("Amounts are in 10,000 yuan with at most two decimals; persons, items and incidents"
              " are whole numbers; yes/no indicators take “是” or “否”."),
            _("A blank cell means no figure; a value already in the report is cleared."),
            _("A report submitted and awaiting verification cannot change; a verified report with"
              " different figures is saved as a correction draft, in force once verified."),
            _("Imported reports are saved as drafts, to be submitted on the monitoring pages."),
            _("The template can be downloaded with the enterprises of your region and the period"
              " already filled in."),
        ),
    ),
    ImportKind.POOL: ImportSpec(
        kind=ImportKind.POOL,
        title="培育库",
        columns=POOL_COLUMNS,
        notes=COMMON_NOTES + (
            _("Entries are identified by the credit code and the pool: an enterprise not in the"
              " pool is admitted, one already in it has its contact officer, track, statistics"
              " registration and category updated."),
            _("Promotion, graduation and removal are done on the pool pages, not by an import."),
            _("The track applies to the SRDI cultivation pool only; the category (keep, add,"
              " grow, return, fill) to the above-scale cultivation pool only."),
        ),
    ),
}
