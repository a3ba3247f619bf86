"""The financing API: the permission matrix, scoping (by region, and by consent for banks),
filters and a constant number of queries per page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from financing import services
from financing.models import FinancingNeed
from tests.factories.accounts import UserFactory
from tests.factories.financing import need
from tests.factories.registry import EnterpriseFactory, region
from tests.permissions import ACTORS, permission_matrix, user_of

pytestmark = pytest.mark.django_db

FIN_ACTORS = [*ACTORS, "bank_user", "local_bank_user"]
# The need is a 城关区 (兰州市) firm's, shared with institutions; the event is the province's.
# Columns: anonymous, expert, api (兰州), auditor, province, other city, other county, county,
# city, provincial bank, 天水 bank.
MATRIX = {
    "list needs": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "get need": (401, 404, 200, 200, 200, 404, 404, 200, 200, 200, 404),
    "file need": (401, 403, 403, 403, 403, 400, 400, 201, 201, 403, 403),
    "withdraw need": (401, 403, 403, 403, 200, 404, 404, 200, 200, 403, 403),
    "list events": (401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "get event": (401, 404, 200, 200, 200, 404, 404, 200, 200, 200, 404),
}


@pytest.fixture
def world(county_user, province_user, enterprise, bank):
    shared = need(county_user, enterprise)
    event = services.event_create(actor=province_user, title="对接会",
                                  held_on=timezone.localdate(), institutions=[bank])
    services.event_put_needs(actor=province_user, event=event, needs=[shared])
    return shared, event


def send(client, operation, shared, event, enterprise):
    needs = reverse("financing-api:financing-need-list")
    need_url = reverse("financing-api:financing-need-detail", args=[shared.pk])
    return {
        "list needs": lambda: client.get(needs),
        "get need": lambda: client.get(need_url),
        "file need": lambda: client.post(needs, {
            "enterprise": enterprise.uscc, "kind": "loan", "amount": "100",
            "term_months": 12, "purpose": "流动资金",
        }, format="json"),
        "withdraw need": lambda: client.post(f"{need_url}withdraw/", {"reason": "不再需要"},
                                             format="json"),
        "list events": lambda: client.get(reverse("financing-api:matching-event-list")),
        "get event": lambda: client.get(
            reverse("financing-api:matching-event-detail", args=[event.pk])
        ),
    }[operation]()


@permission_matrix(FIN_ACTORS, MATRIX)
def test_permission_matrix(request, as_user, world, enterprise, operation, actor, expected):
    shared, event = world
    response = send(as_user(user_of(request, actor)), operation, shared, event, enterprise)
    assert response.status_code == expected, response.content


def test_banks_see_only_needs_firms_agreed_to_share(as_user, bank_user, county_user,
                                                    enterprise):
    shared = need(county_user, enterprise)
    need(county_user, enterprise, agreed_to_share=False)
    response = as_user(bank_user).get(reverse("financing-api:financing-need-list"))
    assert [row["id"] for row in response.json()["results"]] == [shared.pk]


def test_a_bank_sees_shared_needs_of_its_region_only(as_user, local_bank_user, county_user,
                                                     enterprise, tianshui_enterprise):
    tianshui_staff = UserFactory(role=Role.COUNTY_STAFF, region=region("620502"))
    need(county_user, enterprise)
    theirs = need(tianshui_staff, tianshui_enterprise)
    response = as_user(local_bank_user).get(reverse("financing-api:financing-need-list"))
    assert [row["id"] for row in response.json()["results"]] == [theirs.pk]


def test_city_staff_list_their_counties_needs_not_another_city(as_user, city_user, county_user,
                                                              enterprise, tianshui_enterprise,
                                                              other_city_user):
    mine = need(county_user, enterprise)
    need(other_city_user, tianshui_enterprise)
    response = as_user(city_user).get(reverse("financing-api:financing-need-list"))
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_needs_filter_by_kind_status_and_region(as_user, province_user, county_user, enterprise,
                                                other_city_user, tianshui_enterprise):
    loan = need(county_user, enterprise)
    equity = need(county_user, enterprise, kind="equity")
    need(other_city_user, tianshui_enterprise)
    services.need_withdraw(actor=county_user, need=equity, reason="不再需要")
    client = as_user(province_user)
    url = reverse("financing-api:financing-need-list")

    def ids(**params):
        return [row["id"] for row in client.get(url, params).json()["results"]]

    assert ids(kind="equity") == [equity.pk]
    assert ids(status="filed", region="620100") == [loan.pk]
    assert len(ids(region="620000")) == 3


def test_the_event_lists_the_outcomes_the_caller_sees(as_user, world, bank_user):
    _shared, event = world
    body = as_user(bank_user).get(
        reverse("financing-api:matching-event-detail", args=[event.pk])
    ).json()
    assert body["institutions"][0]["name"] == "中国工商银行"
    assert [o["status"] for o in body["outcomes"]] == ["pending"]


def test_need_list_query_count_does_not_grow_with_rows(as_user, province_user, county_user,
                                                       django_assert_max_num_queries):
    client = as_user(province_user)
    url = reverse("financing-api:financing-need-list")
    for _ in range(3):
        need(county_user, EnterpriseFactory(), amount=Decimal(100))
    with django_assert_max_num_queries(8):
        assert len(client.get(url).json()["results"]) == 3
    for _ in range(12):
        need(county_user, EnterpriseFactory(), amount=Decimal(100))
    with django_assert_max_num_queries(8):
        assert len(client.get(url).json()["results"]) == 15


def test_event_list_query_count_does_not_grow_with_rows(as_user, province_user, county_user,
                                                        bank, django_assert_max_num_queries):
    client = as_user(province_user)
    for index in range(5):
        event = services.event_create(actor=province_user, title=f"对接会{index}",
                                      held_on=timezone.localdate(), institutions=[bank])
        services.event_put_needs(actor=province_user, event=event,
                                 needs=[need(county_user, EnterpriseFactory())])
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("financing-api:matching-event-list")).json()["results"]) == 5


def test_filing_through_the_api_refuses_bad_figures_by_code(as_user, county_user, enterprise):
    response = as_user(county_user).post(reverse("financing-api:financing-need-list"), {
        "enterprise": enterprise.uscc, "kind": "loan", "amount": "100", "term_months": 0,
        "purpose": "流动资金",
    }, format="json")
    assert response.status_code == 400
    assert "term_months" in str(response.json())
    assert not FinancingNeed.objects.exists()
