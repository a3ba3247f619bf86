"""The monthly, quarterly and annual reports read in one language, with a unit in each row and
figures formatted: on the page in the reader's language, in the workbook always in Chinese."""

import datetime
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.urls import reverse

from registry.choices import PeriodKind, PoolKind, PoolTier, ReportStatus, TargetMetric
from registry.models import Region
from reports import layout
from reports.choices import ReportKind
from reports.services.reports import report_generate
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, TargetFactory
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]+")
# Two or more Latin letters: an English word, a raw key or a fragment of one.
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
FLAG_RULES = ("yoy_revenue", "main_above_operating", "rd_staff_above_employees")


class _Text(HTMLParser):
    """The visible text of the report's heading and figures table."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if self.depth or tag == "h1" or (tag == "section" and "results" in dict(attrs).get(
            "class", ""
        )):
            self.depth += 1
            title = dict(attrs).get("title")
            if title:
                self.parts.append(title)

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.parts.append(data.strip())


def _shown(page):
    parser = _Text()
    parser.feed(page.content.decode())
    return parser.parts


@pytest.fixture
def year_of_figures(db):
    """A firm with monthly and annual figures, flags of three rules on a draft, a pool entry,
    a certificate and targets: something in every section of every report kind."""
    firm = EnterpriseFactory()
    PoolEntryFactory(enterprise=firm, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY)
    CertificateFactory(enterprise=firm, issued_on=datetime.date(2026, 3, 2))
    for month in (9, 10):
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.MONTH, year=2026, period=month,
            status=ReportStatus.VERIFIED, operating_revenue=34579 + month, taxes=1234,
            employees=1200,
        )
    MonitoringReportFactory(
        enterprise=firm, period_kind=PeriodKind.MONTH, year=2026, period=8,
        status=ReportStatus.DRAFT,
        flags=[{"rule": rule, "message": "", "figures": {}} for rule in FLAG_RULES],
    )
    for year in (2025, 2026):
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.YEAR, year=year, period=0,
            status=ReportStatus.VERIFIED, operating_revenue=400000, main_business_revenue=380000,
            rd_expense=15000, taxes=12000, employees=1200,
        )
    for metric in (TargetMetric.CERTIFIED, TargetMetric.POOL_COUNTY,
                   TargetMetric.NET_NEW_ABOVE_SCALE):
        TargetFactory(year=2026, region=region("620100"), metric=metric, value=12000)
    province = region("620000").pk
    return {
        ReportKind.MONTHLY: report_generate(kind=ReportKind.MONTHLY, year=2026, period=10,
                                            region_id=province),
        ReportKind.QUARTERLY_KPI: report_generate(kind=ReportKind.QUARTERLY_KPI, year=2026,
                                                  period=3, region_id=province),
        ReportKind.ANNUAL: report_generate(kind=ReportKind.ANNUAL, year=2026, period=1,
                                           region_id=province),
    }


@pytest.mark.parametrize("kind", [ReportKind.MONTHLY, ReportKind.QUARTERLY_KPI,
                                  ReportKind.ANNUAL])
def test_the_chinese_report_page_has_no_english_word(client, province_user, year_of_figures,
                                                     kind):
    client.force_login(province_user)
    page = client.get(reverse("reports:report-detail", args=[year_of_figures[kind].pk]))
    assert page.status_code == 200
    shown = _shown(page)
    assert len(shown) > 20
    english = [text for text in shown if LATIN_WORD.search(text) and text != "XLSX"]
    assert english == []
    # Thousands separators on money and counts of thousands; percentages with one decimal.
    if kind == ReportKind.MONTHLY:
        assert "34,589.00" in shown and "1,200" in shown
        assert "营业收入同比增长" in shown and "主营业务收入高于营业收入" not in shown
        assert "标记：主营业务收入高于营业收入" in shown
    if kind == ReportKind.QUARTERLY_KPI:
        assert "12,000" in shown  # a target
    assert "2026年" in " ".join(shown[:3])


@pytest.mark.parametrize("kind", [ReportKind.MONTHLY, ReportKind.QUARTERLY_KPI,
                                  ReportKind.ANNUAL])
def test_the_english_report_page_has_no_chinese_but_place_names(
    client, province_user, year_of_figures, kind
):
    client.force_login(province_user)
    page = client.get(reverse("reports:report-detail", args=[year_of_figures[kind].pk]),
                      HTTP_ACCEPT_LANGUAGE="en")
    shown = _shown(page)
    places = set(Region.objects.values_list("name", flat=True))
    chinese = [run for text in shown for run in CJK.findall(text) if run not in places]
    assert chinese == []
    assert not any("_" in text for text in shown)  # no raw key such as main_above_operating


@pytest.mark.parametrize("kind", [ReportKind.MONTHLY, ReportKind.QUARTERLY_KPI,
                                  ReportKind.ANNUAL])
def test_every_workbook_row_is_chinese_with_its_unit_and_a_formatted_number(
    client, province_user, year_of_figures, kind
):
    client.force_login(province_user)
    # The workbook is Chinese whatever the reader's language.
    response = client.get(
        reverse("reports:report-download", args=[year_of_figures[kind].pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["指标"].iter_rows(min_row=2))
    assert rows
    for section, label, value, unit, _target, result in rows:
        assert not LATIN_WORD.search(f"{section.value}{label.value}{unit.value or ''}"), label
        if isinstance(value.value, (int, float)):
            assert unit.value, label.value
            assert value.number_format in ("#,##0", "#,##0.00", "0.0"), label.value
        if isinstance(result.value, str):
            assert result.value in ("是", "否")
    units = {label.value: (unit.value, value.number_format) for _s, label, value, unit, *_ in rows}
    if kind != ReportKind.QUARTERLY_KPI:
        assert units["营业收入"] == ("万元", "#,##0.00")
        assert units["专精特新培育库（县级）"] == ("个", "#,##0")
    assert units["专精特新中小企业研发投入强度"] == ("%", "0.0")


def test_every_row_kind_is_one_the_page_and_the_workbook_format(year_of_figures):
    kinds = {row.kind for report in year_of_figures.values() for row in report.rows}
    assert kinds <= {layout.COUNT, layout.AMOUNT, layout.YUAN, layout.PERCENT, layout.TEXT}
