"""The subsidy API and pages: scoped reads, transitions as POST actions, constant queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from subsidies import selectors, services
from subsidies.choices import BatchStatus
from subsidies.models import BatchItem, BatchTransition, Entitlement
from tests.factories.accounts import PASSWORD
from tests.factories.registry import EnterpriseFactory, region
from tests.factories.subsidies import (
    accounts_for,
    approved_awards,
    budget,
    certificate,
    submitted_batch,
)

pytestmark = pytest.mark.django_db


def awards(count, code="620102"):
    """``count`` awards of new firms of ``code``, each firm with a confirmed account."""
    return accounts_for([
        services.entitlement_from_certificate(
            certificate_id=certificate(EnterpriseFactory(region=region(code))).pk
        )[0]
        for _ in range(count)
    ])


def test_cities_read_their_own_awards_only(as_user, city_user, other_city_user, finance):
    mine = awards(2)
    awards(1, code="620502")
    response = as_user(city_user).get("/api/v1/entitlements/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {e.pk for e in mine}
    assert as_user(other_city_user).get(f"/api/v1/entitlements/{mine[0].pk}/").status_code == 404
    assert as_user(None).get("/api/v1/entitlements/").status_code == 401
    assert len(as_user(finance).get("/api/v1/entitlements/").json()["results"]) == 3
    # Batches and budgets are provincial.
    assert as_user(city_user).get("/api/v1/payment-batches/").json()["results"] == []
    assert as_user(city_user).get("/api/v1/budgets/").json()["results"] == []


def test_amounts_travel_as_exact_strings(as_user, finance):
    awards(1)
    row = as_user(finance).get("/api/v1/entitlements/").json()["results"][0]
    assert row["amount"] == "300000.00"


def test_the_batch_flow_through_the_api(as_user, finance, finance2, province_user):
    budget_ = budget(finance)
    made = awards(2)
    maker, approver = as_user(finance), as_user(finance2)
    for entitlement in made:
        response = maker.post(f"/api/v1/entitlements/{entitlement.pk}/approve/",
                              {"budget": budget_.pk}, format="json")
        assert response.status_code == 200, response.json()
    assert as_user(province_user).post(
        f"/api/v1/entitlements/{made[0].pk}/cancel/", {"reason": "x"}, format="json"
    ).status_code == 403
    batch = maker.post("/api/v1/payment-batches/", {"title": "第一批"}, format="json").json()
    url = f"/api/v1/payment-batches/{batch['id']}"
    response = maker.post(f"{url}/add-entitlements/",
                          {"entitlements": [e.pk for e in made]}, format="json")
    assert response.json()["total"] == "600000.00"
    assert maker.post(f"{url}/submit/", {}, format="json").status_code == 200
    refused = maker.post(f"{url}/approve/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "batch_same_officer"
    assert approver.post(f"{url}/approve/", {}, format="json").json()["status"] == "approved"
    assert maker.post(f"{url}/approve/", {}, format="json").status_code == 409
    bank = maker.get(f"{url}/bank-file/")
    assert bank.status_code == 200
    paid = maker.post(f"{url}/pay/", {"bank_reference": "ICBC-1", "paid_on": "2026-01-15"},
                      format="json")
    assert paid.json()["status"] == "paid"
    ledger = as_user(finance).get("/api/v1/subsidy-ledger/").json()
    assert ledger[0]["paid"] == "600000.00"
    assert ledger[0]["remaining"] == "0.00"


def test_programs_budgets_and_allocations_are_listed(as_user, finance, city_user):
    budget(finance, blocks={"620100": "3000000", "620500": "1000000"})
    # The plan's four programs (2018–2020) and their successors from 2021.
    assert len(as_user(finance).get("/api/v1/subsidy-programs/").json()) == 8
    rows = as_user(city_user).get("/api/v1/allocations/").json()["results"]
    assert [(r["city"], r["remaining"]) for r in rows] == [("620100", "3000000.00")]
    response = as_user(finance).patch(
        f"/api/v1/subsidy-programs/{as_user(finance).get('/api/v1/subsidy-programs/').json()[0]['id']}/",
        {"amount": "350000.00"}, format="json",
    )
    assert response.json()["amount"] == "350000.00"


@pytest.mark.parametrize("url", ["/api/v1/entitlements/", "/api/v1/payment-batches/",
                                 "/api/v1/allocations/", "/api/v1/subsidy-ledger/"])
def test_list_endpoints_take_constant_queries(
    as_user, finance, finance2, django_assert_max_num_queries, url
):
    client = as_user(finance)
    budget_ = budget(finance, amount="20000000", blocks={"620100": "9000000", "620500": "9000000"})

    def grow():
        made = awards(2) + awards(1, code="620502")
        for entitlement in made:
            services.entitlement_approve(actor=finance, entitlement=entitlement,
                                         budget=budget_)
        batch = services.batch_create(actor=finance, title="批")
        services.batch_add_entitlements(actor=finance, batch=batch, entitlements=accounts_for(made))

    grow()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    grow()
    grow()
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200


PAGES = [
    ("subsidies:entitlement-list", ()),
    ("subsidies:ledger", ()),
    ("subsidies:program-list", ()),
    ("subsidies:budget-list", ()),
    ("subsidies:batch-list", ()),
    ("subsidies:city-reward-list", ()),
    ("subsidies:project-list", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_render_for_a_finance_officer_with_constant_queries(
    client, finance, django_assert_max_num_queries, name, args
):
    client.login(username=finance.username, password=PASSWORD)
    made = awards(2)
    budget_ = budget(finance)
    services.entitlement_approve(actor=finance, entitlement=made[0], budget=budget_)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(name, args=args)).status_code == 200
    awards(5)
    with django_assert_max_num_queries(len(first)):
        assert client.get(reverse(name, args=args)).status_code == 200


def test_a_city_may_not_open_batches_or_budgets(client, city_user):
    client.login(username=city_user.username, password=PASSWORD)
    assert client.get(reverse("subsidies:batch-list")).status_code == 403
    assert client.get(reverse("subsidies:budget-list")).status_code == 403
    assert client.get(reverse("subsidies:entitlement-list")).status_code == 200


def test_the_enterprise_page_shows_its_awards_to_those_in_scope(
    client, city_user, other_city_user, enterprise
):
    award, _ = services.entitlement_from_certificate(certificate_id=certificate(enterprise).pk)
    url = reverse("registry:enterprise-detail", args=[enterprise.uscc])
    client.login(username=city_user.username, password=PASSWORD)
    page = client.get(url).content.decode()
    assert f'data-entitlement="{award.pk}"' in page
    assert award.program.name in page
    client.login(username=other_city_user.username, password=PASSWORD)
    assert client.get(url).status_code == 404


def test_entitlement_and_batch_pages_offer_their_actions(client, finance, finance2):
    client.login(username=finance.username, password=PASSWORD)
    [entitlement] = awards(1)
    budget_ = budget(finance)
    page = client.get(reverse("subsidies:entitlement-detail", args=[entitlement.pk]))
    assert b"/approve/" in page.content
    response = client.post(reverse("subsidies:entitlement-approve", args=[entitlement.pk]),
                           {"approve-budget": budget_.pk})
    assert response.status_code == 302
    entitlement.refresh_from_db()
    assert entitlement.status == "approved"
    batch = services.batch_create(actor=finance, title="批")
    client.post(reverse("subsidies:batch-add", args=[batch.pk]), {"entitlement": entitlement.pk})
    assert Entitlement.objects.filter(batch_items__batch=batch).exists()
    client.post(reverse("subsidies:batch-transition", args=[batch.pk, "submit"]), {})
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk]))
    # The maker sees no approve button on their own batch.
    assert b'id="batch-approve"' not in page.content
    assert selectors.batch_get(user=finance, pk=batch.pk).total == Decimal("300000")


def test_the_batch_page_offers_changes_to_its_maker_only(client, finance, finance2):
    [award] = approved_awards(finance)
    batch = services.batch_create(actor=finance, title="批次")
    client.login(username=finance2.username, password=PASSWORD)
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk]))
    assert b'id="batch-add"' not in page.content
    assert b'id="batch-submit"' not in page.content
    response = client.post(reverse("subsidies:batch-add", args=[batch.pk]),
                           {"entitlement": award.pk})
    assert response.status_code == 403
    assert not BatchItem.objects.exists()


def test_an_officers_note_reaches_the_batch_history(client, finance, finance2):
    [award] = approved_awards(finance)
    batch = submitted_batch(finance, [award])
    client.login(username=finance2.username, password=PASSWORD)
    response = client.post(reverse("subsidies:batch-transition", args=[batch.pk, "approve"]),
                           {"approve-note": "已核对银行账户"})
    assert response.status_code == 302
    assert BatchTransition.objects.get(to_status=BatchStatus.APPROVED).reason == "已核对银行账户"
    page = client.get(reverse("subsidies:batch-detail", args=[batch.pk]))
    assert "已核对银行账户" in page.content.decode()


def test_the_batch_detail_api_takes_constant_queries(as_user, finance):
    budget_ = budget(finance, blocks={"620100": "9000000"})
    batch = services.batch_create(actor=finance, title="批")
    services.batch_add_entitlements(actor=finance, batch=batch,
                                    entitlements=approved_awards(finance, 1, budget_))
    client = as_user(finance)
    url = f"/api/v1/payment-batches/{batch.pk}/"
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["items"]) == 1
    services.batch_add_entitlements(actor=finance, batch=batch,
                                    entitlements=approved_awards(finance, 5, budget_))
    with CaptureQueriesContext(connection) as six:
        response = client.get(url).json()
    assert len(response["items"]) == 6
    assert all(item["payee_name"] for item in response["items"])
    assert len(six) == len(one)
