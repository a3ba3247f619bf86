"""The landing page per role: funnel, targets, trend, what waits, scoped."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.choices import Role
from certification.choices import ApplicationStatus
from registry.choices import PeriodKind, PoolKind, PoolTier, ReportStatus, TargetMetric
from registry.models import Region, Target
from registry.services import pool_entry_admit, target_set
from reports import charts, selectors
from reports.choices import ReportKind
from reports.services.reports import report_generate
from reports.specs import last_complete_period
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, TargetFactory
from tests.factories.registry import EnterpriseFactory, region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]

YEAR = timezone.localdate().year


@pytest.fixture
def lanzhou_and_tianshui(county_user, province_user):
    mine = EnterpriseFactory(name="兰州城关精密机械有限公司")
    far = EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502"))
    for firm in (mine, far):
        pool_entry_admit(
            actor=province_user, enterprise=firm, pool=PoolKind.ZJTX, tier=PoolTier.PROVINCE,
            admission_year=YEAR, admission_reason="细分市场领先",
        )
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.MONTH, year=YEAR, period=1,
            status=ReportStatus.VERIFIED, operating_revenue=100, taxes=5, employees=10,
        )
    CertificateFactory(enterprise=mine, issued_on=timezone.localdate().replace(month=1, day=2))
    target_set(actor=province_user, year=YEAR, region=region("620100"), metric="certified",
               value=4)
    return mine, far


def test_county_dashboard_counts_only_its_county(client, county_user, lanzhou_and_tianshui):
    client.force_login(county_user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    summary = page.context["summary"]
    assert summary.focus.code == "620102"
    [row] = summary.rows
    assert (row.pool, row.certified, row.little_giant, row.enterprises) == (1, 1, 0, 1)
    assert [row["operating_revenue"] for row in page.context["trend"]] == [100]
    # Charts are SVG drawn on the server: no chart library, nothing from a CDN.
    assert "plotly" not in page.text and "cdn" not in page.text.lower()
    assert '<svg class="svg-chart"' in page.text
    # A county has no counties below it and no map.
    assert page.context["map"] is None
    assert 'data-figure="pool">1<' in page.text


def test_province_dashboard_summarises_by_prefecture_with_totals(
    client, province_user, lanzhou_and_tianshui
):
    client.force_login(province_user)
    page = client.get(reverse("home"))
    summary = page.context["summary"]
    codes = [row.region.code for row in summary.rows]
    # The 14 prefectures and 兰州新区, nothing else: no county, no "region·metric" bars.
    assert len(codes) == 15 and "LZXQ" in codes and "620100" in codes and "623000" in codes
    by_code = {row.region.code: row for row in summary.rows}
    assert (by_code["620100"].pool, by_code["620100"].certified) == (1, 1)
    assert (by_code["620500"].pool, by_code["620500"].certified) == (1, 0)
    assert (summary.total.pool, summary.total.certified, summary.total.enterprises) == (2, 1, 2)
    # Lanzhou's target of the year, in compact form on its row.
    [cell] = by_code["620100"].target_cells
    assert (cell["actual"], cell["target"], cell["percent"]) == (1, 4, Decimal("25.00"))
    body = page.text
    assert body.count('<tr data-region="') == 15 and 'data-region="total"' in body
    assert 'data-drill="620100"' in body and 'data-drill="LZXQ"' not in body


def test_drilling_down_shows_the_counties_of_a_prefecture(
    client, province_user, lanzhou_and_tianshui
):
    client.force_login(province_user)
    page = client.get(reverse("home"), {"region": "620100"})
    assert page.status_code == 200
    summary = page.context["summary"]
    assert summary.focus.code == "620100"
    counties = {row.region.code: row for row in summary.rows}
    assert "620102" in counties and all(code.startswith("6201") for code in counties)
    assert (counties["620102"].pool, summary.total.pool) == (1, 1)
    # The way back up to the province, and the prefecture outlined on the map.
    assert [step["name"] for step in page.context["trail"]] == ["甘肃省"]
    assert 'class="area c' in page.text and " selected" in page.text


def test_a_city_official_cannot_drill_into_another_city(client, city_user, lanzhou_and_tianshui):
    client.force_login(city_user)
    assert client.get(reverse("home")).context["summary"].focus.code == "620100"
    assert client.get(reverse("home"), {"region": "620500"}).status_code == 404
    assert client.get(reverse("home"), {"region": "620102"}).status_code == 200


def test_the_map_draws_every_prefecture_and_lanzhou_new_area_as_a_marker(
    client, province_user, lanzhou_and_tianshui
):
    client.force_login(province_user)
    page = client.get(reverse("home"))
    body = page.text
    prefectures = [
        "620100", "620200", "620300", "620400", "620500", "620600", "620700", "620800",
        "620900", "621000", "621100", "621200", "622900", "623000",
    ]
    for code in prefectures:
        assert re.search(rf'<path class="area c\d" data-region="{code}" d="M[\d.]+ ', body), code
    assert re.search(r'<circle class="marker c\d" data-region="LZXQ"', body)
    # Coloured by valid provincial certificates: Lanzhou has one, Tianshui none.
    assert 'class="area c0" data-region="620500"' in body
    assert 'class="area c0" data-region="620100"' not in body
    # Each area links to its drill-down and says its figures on hover.
    assert '<a href="/?region=620100#summary"><path' in body
    assert "<title>兰州市：" in body
    page = client.get(reverse("home"), {"metric": "pool"})
    assert 'class="area c0" data-region="620500"' not in page.text


def _monthly(firm, month, revenue, year=YEAR):
    return MonitoringReportFactory(
        enterprise=firm, period_kind=PeriodKind.MONTH, year=year, period=month,
        status=ReportStatus.VERIFIED, operating_revenue=revenue, taxes=5, employees=10,
    )


def test_a_month_still_being_filed_is_marked_and_not_drawn_as_a_fall(client, province_user):
    today = timezone.localdate()
    firms = [EnterpriseFactory(), EnterpriseFactory(region=region("620502"))]
    # Every firm filed January; only one has filed the current month so far.
    for firm in firms:
        _monthly(firm, 1, 20000)
    if today.month > 1:
        _monthly(firms[0], today.month, 300)
    client.force_login(province_user)
    page = client.get(reverse("home"))
    trend = {row["period"]: row for row in page.context["trend"]}
    assert trend[1]["incomplete"] is (today <= datetime.date(YEAR, 2, 15))
    if today.month == 1:
        return
    assert trend[today.month]["incomplete"] is True
    chart = str(page.context["trend_chart"])
    # The partial month is a hollow marker apart from the line, labelled as still filing.
    assert f'data-month="{today.month}" data-incomplete="1"' in chart
    [line] = re.findall(r'<polyline[^>]*data-series="operating_revenue"[^>]*>', chart) or [""]
    assert line.count(",") <= 1  # January alone makes no line; the partial month joins none
    assert f'<tr data-month="{today.month}" class="incomplete" data-incomplete="1">' in page.text
    # 40,000 万元 in January: the axis is in 亿元 with plain Chinese numbers, never "40k".
    assert "金额（亿元）" in chart and "40k" not in chart and ">4<" in chart


def test_the_trend_joins_only_months_whose_filing_has_closed(db):
    firm = EnterpriseFactory()
    for month, revenue in ((9, 34579), (10, 34600), (11, 1088)):
        _monthly(firm, month, revenue, year=2026)
    # 20 November: October's reports were due on the 15th, November's are still coming in.
    trend = selectors.monthly_trend(
        focus=region("620000"), year=2026, today=datetime.date(2026, 11, 20)
    )
    assert [(row["period"], row["incomplete"]) for row in trend] == [
        (9, False), (10, False), (11, True)
    ]
    with translation.override("zh-hans"):
        chart = str(charts.trend_chart(trend, year=2026))
    [line] = re.findall(r'<polyline[^>]*data-series="operating_revenue"[^>]*>', chart)
    assert len(re.search(r'points="([^"]*)"', line).group(1).split()) == 2
    assert 'data-month="11" data-incomplete="1"' in chart and "填报中" in chart
    assert "金额（亿元）" in chart and "k<" not in chart


def test_a_closed_month_that_few_firms_filed_is_partial_not_a_fall(db):
    firms = [EnterpriseFactory() for _ in range(10)]
    for firm in firms:
        _monthly(firm, 9, 3000, year=2026)
    # October's filing closed on 15 November, but only 7 of the 10 firms have filed it.
    for firm in firms[:7]:
        _monthly(firm, 10, 3000, year=2026)
    for firm in firms[:9]:
        _monthly(firm, 11, 3000, year=2026)
    trend = selectors.monthly_trend(
        focus=region("620000"), year=2026, today=datetime.date(2026, 12, 20)
    )
    # November: 9 of 10 is within the share that makes a month whole.
    assert [(row["period"], row["incomplete"]) for row in trend] == [
        (9, False), (10, True), (11, False)
    ]


def test_money_axes_pick_the_unit_and_read_plainly():
    with translation.override("zh-hans"):
        assert charts.money_unit(Decimal("9999.99"))[1] == "万元"
        assert charts.money_unit(Decimal("34579"))[1] == "亿元"
    ticks = charts.nice_ticks(Decimal("3.4579"))
    assert ticks == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert [charts.tick_label(t, ticks) for t in ticks] == ["0", "1", "2", "3", "4"]
    ticks = charts.nice_ticks(40000)
    assert charts.tick_label(ticks[-1], ticks) == "40,000"
    ticks = charts.nice_ticks(Decimal("1.1"))
    assert [charts.tick_label(t, ticks) for t in ticks][:2] == ["0.00", "0.25"]


def test_experts_see_what_waits_but_no_region_figures(client, expert_user):
    client.force_login(expert_user)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "funnel" not in page.context
    assert 'id="waiting"' in page.text


def test_the_dashboard_and_the_kpi_report_agree_on_the_share_of_a_target(
    client, province_user
):
    firm = EnterpriseFactory()
    CertificateFactory(enterprise=firm, issued_on=datetime.date(YEAR, 1, 2))
    TargetFactory(year=YEAR, region=region("620100"), metric=TargetMetric.CERTIFIED, value=3)
    client.force_login(province_user)
    rows = client.get(reverse("home")).context["summary"].rows
    [row] = [cell for r in rows for cell in r.target_cells]
    quarter = last_complete_period(ReportKind.QUARTERLY_KPI)
    if quarter.year == YEAR:
        [target] = report_generate(
            kind=ReportKind.QUARTERLY_KPI, year=YEAR, period=quarter.number,
            region_id=region("620100").pk,
        ).data["targets"]
        assert target["percent"] == "33.33"
    # Rounded as the report rounds: two decimals, half up, exact.
    assert row["percent"] == Decimal("33.33") and isinstance(row["percent"], Decimal)


def test_net_new_above_scale_firms_show_as_pending_on_the_dashboard(client, province_user):
    TargetFactory(year=YEAR, region=region("620100"), metric=TargetMetric.NET_NEW_ABOVE_SCALE,
                  value=5)
    client.force_login(province_user)
    with translation.override("en"):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    [row] = [cell for r in page.context["summary"].rows for cell in r.target_cells]
    assert (row["actual"], row["percent"], row["bar"]) == (None, None, 0)
    assert ">None<" not in page.text


CODES = ("620102", "620103", "620502")


def _grow(count):
    """``count`` firms, one per county (cycling), each in the pool, certified, filing, and
    waiting with an application; targets of every metric for their county and city."""
    for index in range(count):
        county = region(CODES[index % len(CODES)])
        firm = EnterpriseFactory(region=county)
        PoolEntryFactory(enterprise=firm)
        CertificateFactory(enterprise=firm, issued_on=datetime.date(YEAR, 1, 2))
        MonitoringReportFactory(
            enterprise=firm, period_kind=PeriodKind.MONTH, year=YEAR, period=1,
            status=ReportStatus.VERIFIED, operating_revenue=100, taxes=5, employees=10,
        )
        ApplicationFactory(enterprise=firm, status=ApplicationStatus.SUBMITTED)
        for target_region in (county, county.parent):
            for metric in TargetMetric.values:
                Target.objects.get_or_create(
                    year=YEAR, region=target_region, metric=metric,
                    defaults={"value": 10, "set_by": _setter()},
                )


def _setter():
    return UserFactory(role=Role.PROVINCIAL_REVIEWER, region=region("620000"))


@pytest.mark.parametrize(
    "fixture", ["county_user", "city_user", "province_user", "expert_user"]
)
def test_the_dashboard_costs_the_same_queries_for_one_or_many_firms(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    _grow(1)
    client.get(reverse("home"))  # warm the caches (content types, translations)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        counts = [
            q["sql"] for q in captured
            if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "certification_application"')
        ]
        # The waiting count is counted once, by the navigation; the dashboard takes its
        # count with the rows it lists.
        assert len(counts) <= 1
        return len(captured)

    few = queries()
    _grow(6)
    assert queries() == few


def test_map_classes_are_whole_counts_and_few_counts_take_the_dark_end():
    assert charts.classes([0, 1, None]) == [1]
    assert charts.classes([0, 3]) == [1, 2, 3]
    assert charts.classes([12, 1]) == [3, 6, 9, 12, 15]
    # One firm is as dark as the scale goes when it is the most any region has.
    assert charts._class_of(1, [1]) == charts.CLASSES
    assert charts._class_of(0, [1]) == 0


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR])
def test_finance_and_audit_see_the_province_by_prefecture(client, role, lanzhou_and_tianshui):
    client.force_login(UserFactory(role=role, region=region("620000")))
    page = client.get(reverse("home"))
    summary = page.context["summary"]
    assert summary.focus.code == "620000" and len(summary.rows) == 15
    assert summary.total.pool == 2 and page.context["map"] is not None
    assert client.get(reverse("home"), {"region": "620100"}).status_code == 200


class _SectionText(HTMLParser):
    """Text and shown attributes (title, aria-label) inside the summary and trend sections."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or attrs.get("id") in ("summary", "trend"):
            self.depth += 1
            self.parts += [attrs[name] for name in ("title", "aria-label") if attrs.get(name)]

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.parts.append(data.strip())


def _section_text(page):
    parser = _SectionText()
    parser.feed(page.content.decode())
    return parser.parts


def test_the_dashboard_reads_in_one_language(client, province_user, lanzhou_and_tianshui):
    client.force_login(province_user)
    chinese = _section_text(client.get(reverse("home")))
    assert len(chinese) > 50
    assert [text for text in chinese if re.search(r"[A-Za-z]{2,}", text)] == []
    english = _section_text(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    places = sorted(Region.objects.values_list("name", flat=True), key=len, reverse=True)
    leftover = []
    for text in english:
        for place in places:
            text = text.replace(place, "")
        leftover += re.findall(r"[\u3400-\u9fff]+", text)
    assert leftover == []
