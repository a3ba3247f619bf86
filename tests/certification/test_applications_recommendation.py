"""Part 8 of issue 11 on the application pages: the city's recommendation opinion (required,
kept with the transition, shown), the panel score and decision on the application page, the
status filter's checkbox group and the firm picker's type-ahead, scoped to the official's
region."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus as S
from certification.choices import Verb
from certification.models import Application, ApplicationTransition
from certification.services.applications import application_recommend
from gansu_sme.exceptions import DomainError
from tests.factories.applications import ApplicationFactory, open_campaign
from tests.factories.registry import EnterpriseFactory, region

pytestmark = pytest.mark.django_db

OPINION = "申报材料真实完整，主导产品省内市场占有率第一，同意推荐。"


def detail(application):
    return reverse("certification:application-detail", args=[application.pk])


# --- the recommendation opinion -----------------------------------------------------------


@pytest.mark.parametrize("opinion", ["", "   "])
def test_a_recommendation_without_an_opinion_is_refused_and_writes_nothing(
    city_user, enterprise, opinion
):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)

    with pytest.raises(DomainError) as refused:
        application_recommend(actor=city_user, application=application, opinion=opinion)

    assert refused.value.code == "opinion_required"
    assert set(refused.value.fields) == {"opinion"}
    application.refresh_from_db()
    assert application.status == S.COUNTY_REVIEWED
    assert not ApplicationTransition.objects.filter(application=application).exists()


def test_the_opinion_is_kept_with_the_recommendation(city_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)

    application_recommend(actor=city_user, application=application, opinion=f"  {OPINION} ")

    row = ApplicationTransition.objects.get(application=application)
    assert (row.verb, row.to_status, row.actor, row.reason) == (
        Verb.RECOMMEND, S.CITY_RECOMMENDED, city_user, OPINION
    )


def test_the_city_recommends_from_the_page_only_with_an_opinion(client, city_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    client.force_login(city_user)
    url = reverse("certification:application-recommend", args=[application.pk])

    page = client.get(detail(application)).content.decode()
    refused = client.post(url, {"expected_status": S.COUNTY_REVIEWED, "recommend-opinion": ""})
    done = client.post(url, {"expected_status": S.COUNTY_REVIEWED, "recommend-opinion": OPINION})

    assert 'name="recommend-opinion"' in page
    assert refused.status_code == 400
    assert 'id="id_recommend-opinion"' in refused.content.decode()
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == S.CITY_RECOMMENDED


def test_the_opinion_is_shown_on_the_application_page(
    client, city_user, province_user, county_user, enterprise
):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    application_recommend(actor=city_user, application=application, opinion=OPINION)

    for user in (province_user, county_user, city_user):
        client.force_login(user)
        html = client.get(detail(application)).content.decode()
        assert 'id="recommendation-opinion"' in html
        assert OPINION in html


def test_the_api_refuses_a_recommendation_without_an_opinion(as_user, city_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    url = reverse("certification-api:application-recommend", args=[application.pk])

    refused = as_user(city_user).post(url, {"opinion": " "}, format="json")
    done = as_user(city_user).post(url, {"opinion": OPINION}, format="json")

    assert refused.status_code == 400
    assert "opinion" in refused.json()["fields"]
    assert done.status_code == 200
    assert ApplicationTransition.objects.get(application=application).reason == OPINION


# --- the panel score and the decision ----------------------------------------------------


def test_the_application_page_shows_the_panel_score_and_the_decision(
    client, province_user, county_user, enterprise
):
    application = ApplicationFactory(
        enterprise=enterprise, status=S.APPROVED, panel_score=D("78.5"),
        panel_spread=D("6.0"), decision_score=D("80.0"),
        departure_reason="专家组对I9评分偏低，按地方特色产业政策调整。",
    )
    ApplicationTransition.objects.create(
        application=application, verb=Verb.APPROVE, from_status=S.UNDER_EXPERT_REVIEW,
        to_status=S.APPROVED, actor=province_user,
        reason="专家组对I9评分偏低，按地方特色产业政策调整。",
    )

    for user in (province_user, county_user):
        client.force_login(user)
        html = client.get(detail(application)).content.decode()
        assert 'id="application-panel-score" class="num">78.5<' in html
        assert 'id="application-decision-score" class="num">80.0<' in html
        assert 'data-decision="approved"' in html
        assert "按地方特色产业政策调整" in html


def test_a_scored_application_not_yet_decided_says_so(client, province_user, enterprise):
    application = ApplicationFactory(
        enterprise=enterprise, status=S.UNDER_EXPERT_REVIEW, panel_score=D("66.0")
    )
    client.force_login(province_user)

    html = client.get(detail(application)).content.decode()

    assert 'id="application-panel-score" class="num">66.0<' in html
    assert 'data-decision="pending"' in html


def test_an_application_not_yet_scored_has_no_decision_section(client, city_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    client.force_login(city_user)

    assert 'id="decision"' not in client.get(detail(application)).content.decode()


# --- the status filter ---------------------------------------------------------------------


def test_the_status_filter_shows_every_status_as_a_checkbox(client, city_user, enterprise):
    reviewed = ApplicationFactory(enterprise=enterprise, status=S.COUNTY_REVIEWED)
    submitted = ApplicationFactory(enterprise=EnterpriseFactory(), status=S.SUBMITTED)
    client.force_login(city_user)
    url = reverse("certification:application-list")

    html = client.get(url).content.decode()
    filtered = client.get(url, {"status": [S.COUNTY_REVIEWED, S.DRAFT]}).content.decode()

    assert "<select name=\"status\"" not in html
    for status in S:
        assert f'type="checkbox" name="status" value="{status.value}"' in html
    assert re.search(rf'value="{S.COUNTY_REVIEWED.value}"[^>]*checked', filtered)
    assert not re.search(rf'value="{S.SUBMITTED.value}"[^>]*checked', filtered)
    assert f'data-application="{reviewed.pk}"' in filtered
    assert f'data-application="{submitted.pk}"' not in filtered


# --- the firm picker -----------------------------------------------------------------------


def firm_search(client, query):
    response = client.get(reverse("certification:firm-search"), {"q": query})
    assert response.status_code == 200
    return [firm["uscc"] for firm in response.json()["results"]]


def test_the_firm_search_finds_firms_of_the_officials_region_by_name_or_code(
    client, county_user, enterprise
):
    client.force_login(county_user)

    assert firm_search(client, "城关精密") == [enterprise.uscc]
    assert firm_search(client, enterprise.uscc[:8]) == [enterprise.uscc]
    assert firm_search(client, "") == []


def test_the_firm_search_never_returns_a_firm_outside_the_officials_region(
    client, county_user, city_user, enterprise, tianshui_enterprise
):
    qilihe = EnterpriseFactory(name="兰州七里河精密铸造有限公司", region=region("620103"))
    inactive = EnterpriseFactory(name="兰州城关停业精密有限公司", is_active=False)

    client.force_login(county_user)
    county = firm_search(client, "精密") + firm_search(client, tianshui_enterprise.uscc)
    client.force_login(city_user)
    city = firm_search(client, "精密") + firm_search(client, "天水")

    assert county == [enterprise.uscc]
    assert qilihe.uscc not in county and tianshui_enterprise.uscc not in county
    assert sorted(city) == sorted([enterprise.uscc, qilihe.uscc])
    assert inactive.uscc not in county + city


def test_the_firm_search_is_for_filing_officials_only(client, province_user, expert_user):
    for user in (province_user, expert_user):
        client.force_login(user)
        assert client.get(reverse("certification:firm-search"), {"q": "精密"}).status_code == 403


def test_the_new_application_form_carries_the_firm_picker(client, county_user):
    campaign = open_campaign()
    client.force_login(county_user)

    html = client.get(
        reverse("certification:application-create"), {"campaign": campaign.pk}
    ).content.decode()

    assert f'data-firm-search="{reverse("certification:firm-search")}"' in html
    assert "js/firm-picker.js" in html
    assert Application.objects.count() == 0
