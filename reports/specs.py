"""Report kinds as data: one spec per kind.

A spec says how many months a period spans, which builder computes the figures and which
layout turns them into rows, how the report is titled (the workbook is an official document
in Chinese, whatever the reader's language), what its last column means, how it was counted,
and when it is generated. Everything that differs between kinds is here, so a new kind is a
new spec plus its choice in ``ReportKind`` (and the migration ``makemigrations`` writes),
not an edit of every module of the app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gansu_sme import formatting

from . import builders, layout
from .choices import ReportKind
from .figures import Period


@dataclass(frozen=True)
class Crontab:
    """When the beat process generates a kind's reports, in Asia/Shanghai time."""

    minute: str
    hour: str
    day_of_month: str
    month_of_year: str


@dataclass(frozen=True)
class ReportSpec:
    kind: str
    # 1 for a month, 3 for a quarter, 12 for a year; a year holds 12 // months periods.
    months: int
    builder: Callable[..., dict]
    rows: Callable[[dict], list]
    title_zh: str
    # Formatted with ``year`` and ``number``: in the workbook, and in the reader's language.
    period_label_zh: str
    period_label_shown: Promise | None
    # The heading of the rows' last column: on the page, and in the workbook.
    result_column: Promise
    result_column_zh: str
    notes_zh: str
    schedule_name: str
    schedule: Crontab

    @property
    def periods_per_year(self):
        return 12 // self.months

    def period(self, year, number):
        return Period(self.months, year, number)

    def period_label(self, year, number):
        return self.period_label_zh.format(year=year, number=number)

    def period_shown(self, year, number):
        """The period in the reader's language, for pages."""
        if self.months == 1:
            return formatting.month(year, number)
        return str(self.period_label_shown) % {"year": year, "number": number}

    def last_complete_period(self, today=None):
        """The latest period that has ended by ``today``."""
        today = today or timezone.localdate()
        number = (today.month - 1) // self.months
        if number:
            return self.period(today.year, number)
        return self.period(today.year - 1, self.periods_per_year)


MONTHLY = ReportSpec(
    kind=ReportKind.MONTHLY,
    months=1,
    builder=builders.monthly_data,
    rows=layout.monthly_rows,
    title_zh="月度运行监测报告",
    period_label_zh="{year}年{number}月",
    # Months read as the formatting layer says (2026年1月, January 2026).
    period_label_shown=None,
    result_column=_("Target met"),
    result_column_zh="是否达标",
    notes_zh=(
        "培育库规模按期末在库计（期末前入库且期末未出库），“全部培育库”按企业去重计；经济指标取当月已核实报表，未核实的取已报送报表；"
        "研发投入强度=研发费用/主营业务收入，取上一年度已核实年报，规上中小企业目标1.5%，专精特新中小企业"
        "（期末持有效证书）目标3%；信息化指标目标50%；数据质量标记为尚未核实报表上的标记（生成时）。"
    ),
    schedule_name="reports: monthly monitoring reports (1st of the month)",
    schedule=Crontab("0", "2", "1", "*"),
)

QUARTERLY_KPI = ReportSpec(
    kind=ReportKind.QUARTERLY_KPI,
    months=3,
    builder=builders.kpi_data,
    rows=layout.kpi_rows,
    title_zh="季度目标任务考核报告",
    period_label_zh="{year}年第{number}季度",
    period_label_shown=_("Q%(number)s %(year)s"),
    result_column=_("Achieved (%)"),
    result_column_zh="完成率（%）",
    notes_zh=(
        "目标任务完成情况：培育库按季度末在库计（季度末前入库且季度末未出库），省级专精特新与国家级"
        "小巨人按季度末有效证书计算，净增规上企业按当年与上年已核实年报计算，年度结束且有已核实年报前"
        "显示“年报待核实”；完成率=实际/目标。"
    ),
    schedule_name="reports: quarterly KPI reports (1st of each quarter)",
    schedule=Crontab("30", "2", "1", "1,4,7,10"),
)

ANNUAL = ReportSpec(
    kind=ReportKind.ANNUAL,
    months=12,
    builder=builders.annual_data,
    rows=layout.annual_rows,
    title_zh="年度运行监测报告",
    period_label_zh="{year}年",
    period_label_shown=_("year %(year)s"),
    result_column=_("Achieved (%) or target met"),
    result_column_zh="完成率（%）/是否达标",
    notes_zh=(
        "培育库规模按年末在库计（年末前入库且年末未出库），“全部培育库”按企业去重计，入库与出库为全年"
        "合计；经济指标取本年度已核实年报，未核实的取已报送年报，与上年同口径比较；目标任务按年末计"
        "（省级专精特新与国家级小巨人按年末有效证书，净增规上企业按本年与上年已核实年报）；研发投入"
        "强度与信息化指标取本年度已核实年报；数据质量标记为尚未核实报表上的标记（生成时）。"
    ),
    schedule_name="reports: annual monitoring reports (1 April, for the year before)",
    # Annual statistical reports of a year are filed and verified in its first quarter after
    # the year ends, so the year's report is generated once that is over.
    schedule=Crontab("0", "3", "1", "4"),
)

SPECS = {spec.kind: spec for spec in (MONTHLY, QUARTERLY_KPI, ANNUAL)}


def spec_for(kind):
    return SPECS[kind]


def last_complete_period(kind, today=None):
    """The latest period of ``kind`` that has ended by ``today``: last month, last quarter or
    last year."""
    return spec_for(kind).last_complete_period(today)

