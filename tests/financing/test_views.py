"""The financing pages: who reaches them, what they show, and their query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from financing import services
from financing.models import FinancingNeed
from tests.factories.financing import need
from tests.factories.registry import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(province_user, bank):
    return services.event_create(actor=province_user, title="银企对接会",
                                 held_on=timezone.localdate(), institutions=[bank])


@pytest.mark.parametrize(("actor", "status"), [
    ("county_user", 200), ("city_user", 200), ("province_user", 200), ("auditor_user", 200),
    ("bank_user", 200), ("expert_user", 403),
])
def test_who_reaches_the_need_list(client, request, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("financing:need-list")).status_code == status


@pytest.mark.parametrize(("actor", "status"), [
    ("county_user", 200), ("province_user", 200), ("bank_user", 403), ("expert_user", 403),
])
def test_the_report_and_credit_list_are_for_officials(client, request, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("financing:report")).status_code == status
    assert client.get(reverse("financing:credit-list")).status_code == status


def test_bank_staff_do_not_reach_the_registry(client, bank_user):
    client.force_login(bank_user)
    assert client.get(reverse("registry:enterprise-list")).status_code == 403


def test_county_files_a_need_through_the_form(client, county_user, enterprise):
    client.force_login(county_user)
    url = reverse("financing:need-file", args=[enterprise.uscc])
    response = client.post(url, {
        "kind": "loan", "amount": "300", "term_months": "12", "purpose": "流动资金",
        "urgency": "normal", "agreed_to_share": "on",
    })
    filed = FinancingNeed.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("financing:need-detail", args=[filed.pk])
    assert filed.agreed_to_share and filed.filed_by == county_user


def test_the_form_shows_the_services_refusal(client, county_user, enterprise):
    client.force_login(county_user)
    response = client.post(reverse("financing:need-file", args=[enterprise.uscc]), {
        "kind": "loan", "amount": "0", "term_months": "12", "purpose": "流动资金",
        "urgency": "normal",
    })
    assert response.status_code == 400
    assert not FinancingNeed.objects.exists()


def test_province_records_a_grant_on_the_event_page(client, province_user, county_user,
                                                    enterprise, event, bank):
    filed = need(county_user, enterprise)
    outcome = services.event_put_needs(actor=province_user, event=event, needs=[filed])[0]
    services.outcome_contact(actor=province_user, outcome=outcome, institution=bank)
    client.force_login(province_user)
    url = reverse("financing:outcome-act", args=[event.pk, outcome.pk, "grant"])
    prefix = f"grant-{outcome.pk}"
    response = client.post(url, {
        f"{prefix}-institution": bank.pk, f"{prefix}-granted_amount": "500",
        f"{prefix}-rate": "3.45", f"{prefix}-granted_on": timezone.localdate().isoformat(),
    })
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "met"
    page = client.get(reverse("registry:enterprise-detail", args=[enterprise.uscc]))
    assert 'id="financing-needs"' in page.content.decode()
    assert "3.45" in page.content.decode()


def test_the_need_list_pins_its_queries(client, province_user, county_user,
                                        django_assert_max_num_queries):
    client.force_login(province_user)
    for _ in range(3):
        need(county_user, EnterpriseFactory(), amount=Decimal(100))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("financing:need-list"))
    for _ in range(10):
        need(county_user, EnterpriseFactory(), amount=Decimal(100))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("financing:need-list")).status_code == 200


def test_the_event_page_shows_the_outcomes_to_the_bank(client, bank_user, province_user,
                                                       county_user, enterprise, event):
    filed = need(county_user, enterprise)
    services.event_put_needs(actor=province_user, event=event, needs=[filed])
    client.force_login(bank_user)
    body = client.get(reverse("financing:event-detail", args=[event.pk])).content.decode()
    assert enterprise.name in body
    assert "put-needs" not in body
