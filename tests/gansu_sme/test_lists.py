"""The list adapter every list page is built on: htmx partial and Vary, money totals on the page
and in the export, and the same queries for a few rows or many."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.choices import Role
from certification.choices import ApplicationStatus
from registry.models import ExportRecord
from reports.models import Report
from subsidies import services as subsidy_services
from subsidies.views import EntitlementList
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.reports import ReportFactory
from tests.factories.subsidies import certificate
from tests.factories.workbooks import open_workbook

pytestmark = pytest.mark.django_db


def awards(count):
    return [
        subsidy_services.entitlement_from_certificate(
            certificate_id=certificate(EnterpriseFactory(region=region("620102"))).pk
        )[0]
        for _ in range(count)
    ]


@pytest.fixture
def finance(db):
    return UserFactory(role=Role.FINANCE_OFFICER, region=region("620000"))


def test_htmx_gets_the_results_alone_and_caches_keep_the_two_apart(client, county_user):
    EnterpriseFactory(name="兰州新材料科技有限公司")
    client.force_login(county_user)
    url = reverse("registry:enterprise-list")

    page = client.get(url)
    partial = client.get(url, headers={"HX-Request": "true"})

    assert "<html" in page.text
    assert "<html" not in partial.text
    assert 'id="enterprise-results"' in partial.text
    assert "兰州新材料科技有限公司" in partial.text
    assert "HX-Request" in page["Vary"]
    assert "HX-Request" in partial["Vary"]


def test_a_money_column_shows_the_total_of_every_filtered_row_not_only_the_page(
    client, finance, monkeypatch
):
    made = awards(3)
    monkeypatch.setattr(EntitlementList, "paginate_by", 2)
    client.force_login(finance)

    page = client.get(reverse("subsidies:entitlement-list")).text

    total = sum(award.amount for award in made)
    footer = page[page.index("<tfoot>"):page.index("</tfoot>")]
    assert f"{total:.2f}" in footer.replace(",", "")
    assert page.count("data-entitlement=") == 2


def test_the_ledger_page_and_its_export_end_with_the_same_totals(client, finance):
    made = awards(2)
    client.force_login(finance)

    page = client.get(reverse("subsidies:ledger")).text
    response = client.get(reverse("subsidies:ledger-export"))

    entitled = sum(award.amount for award in made)
    assert f"{entitled:.2f}" in page[page.index("<tfoot>"):page.index("</tfoot>")].replace(",", "")
    sheet = open_workbook(response).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("奖补项目", "年度", "市州", "应奖补（元）")
    assert rows[-1][0] == "合计"
    assert Decimal(str(rows[-1][3])) == entitled
    record = ExportRecord.objects.get()
    assert (record.listing, record.row_count) == ("subsidy_ledger", len(rows) - 2)


def test_an_export_headed_by_the_page_s_columns_is_in_chinese_whatever_the_language(
    client, finance
):
    awards(1)
    client.force_login(finance)

    response = client.get(reverse("subsidies:ledger-export"), headers={"Accept-Language": "en"})

    header = next(open_workbook(response).worksheets[0].iter_rows(values_only=True))
    assert header[-1] == "未拨付（元）"


def _reports(count):
    """``count`` monthly reports of two counties, after the months already made."""
    made = Report.objects.count() // 2
    return [
        ReportFactory(period=made + month, region=region(code))
        for code in ("620102", "620103")
        for month in range(1, count // 2 + 1)
    ]


def _queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("name", "user", "grow"),
    [
        (
            "certification:campaign-list",
            "province_user",
            lambda n: CampaignFactory.create_batch(n),
        ),
        (
            "certification:tasks",
            "province_user",
            lambda n: ApplicationFactory.create_batch(n, status=ApplicationStatus.SUBMITTED),
        ),
        (
            "reports:report-list",
            "city_user",
            _reports,
        ),
    ],
)
def test_a_list_page_costs_the_same_queries_for_few_or_many_rows(
    client, request, django_assert_max_num_queries, name, user, grow
):
    client.force_login(request.getfixturevalue(user))
    url = reverse(name)
    grow(4)
    few = _queries(client, url, django_assert_max_num_queries)
    grow(8)

    assert _queries(client, url, django_assert_max_num_queries) == few


def test_rows_that_tie_on_the_sort_keep_their_order_from_page_to_page(
    client, county_user, monkeypatch
):
    from registry.views.enterprises import EnterpriseList

    founded = datetime.date(2015, 3, 1)
    made = EnterpriseFactory.create_batch(5, founded_on=founded)
    monkeypatch.setattr(EnterpriseList, "paginate_by", 2)
    client.force_login(county_user)
    url = reverse("registry:enterprise-list")

    shown, params = [], {"ordering": "founded_on"}
    for _ in range(3):
        response = client.get(url, params)
        shown += [firm.uscc for firm in made if f">{firm.uscc}<" in response.text]
        params["cursor"] = response.context["page"].next_cursor

    assert sorted(shown) == sorted(firm.uscc for firm in made)
