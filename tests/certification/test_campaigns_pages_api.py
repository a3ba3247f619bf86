"""Campaign pages and API: staff read, the province creates and edits, deadlines computed."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import Campaign
from tests.factories.accounts import api_token
from tests.factories.applications import CampaignFactory
from tests.permissions import ACTORS, permission_matrix, user_of

pytestmark = pytest.mark.django_db
CAMPAIGNS = reverse("certification-api:campaign-list")
LIST = reverse("certification:campaign-list")
CREATE = reverse("certification:campaign-create")


def api(user):
    client = APIClient()
    if user is not None:
        token = api_token(user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


BODY = {
    "year": 2026,
    "kind": "provincial",
    "title": "2026年第二批省级专精特新认定",
    "ruleset": "miit-2022-zjtx",
    "opens_on": "2026-09-01",
    "closes_on": "2026-09-30",
    "county_review_days": 3,
    "city_recommendation_days": 5,
    "province_decision_days": 10,
}


def test_staff_read_campaigns_and_experts_do_not(county_user, api_user, expert_user):
    campaign = CampaignFactory()

    assert [row["id"] for row in api(county_user).get(CAMPAIGNS).json()["results"]] == [
        campaign.pk
    ]
    assert api(api_user).get(CAMPAIGNS).status_code == 200
    assert api(expert_user).get(CAMPAIGNS).json()["results"] == []
    assert api(None).get(CAMPAIGNS).status_code == 401


def test_the_province_creates_a_campaign_with_quotas_through_the_api(province_user):
    response = api(province_user).post(
        CAMPAIGNS, {**BODY, "quotas": [{"region": "620100", "quota": 8}]}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["county_review_due"] == "2026-10-10"
    assert body["province_decision_due"] == "2026-10-30"
    assert body["quotas"] == [{"region": "620100", "region_name": "兰州市", "quota": 8}]

    patched = api(province_user).patch(
        reverse("certification-api:campaign-detail", args=[body["id"]]),
        {"closes_on": "2026-10-30", "quotas": []}, format="json",
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["county_review_due"] == "2026-11-04"
    assert patched.json()["quotas"] == []


@pytest.mark.parametrize("actor", ["county_user", "city_user", "api_user"])
def test_other_roles_cannot_create_campaigns(request, actor):
    response = api(request.getfixturevalue(actor)).post(CAMPAIGNS, BODY, format="json")

    assert response.status_code == 403
    assert set(response.json()) == {"code", "message", "fields"}
    assert not Campaign.objects.exists()


def test_a_rule_set_of_another_kind_is_refused(province_user):
    response = api(province_user).post(
        CAMPAIGNS, {**BODY, "ruleset": "miit-2022-little-giant"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "ruleset_kind_mismatch"
    assert "ruleset" in response.json()["fields"]


def test_the_campaign_list_costs_the_same_queries_for_2_or_20(
    county_user, django_assert_num_queries
):
    client = api(county_user)
    CampaignFactory.create_batch(2)
    with django_assert_num_queries(5) as few:
        client.get(CAMPAIGNS)
    CampaignFactory.create_batch(18)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(CAMPAIGNS).json()["results"]) == 20


def test_campaign_pages(client, province_user, county_user):
    campaign = CampaignFactory()
    client.force_login(county_user)
    assert campaign.title in client.get(LIST).content.decode()
    page = client.get(reverse("certification:campaign-detail", args=[campaign.pk]))
    assert page.status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("certification:campaign-edit", args=[campaign.pk])).status_code == 403

    client.force_login(province_user)
    form = client.get(CREATE)
    assert 'name="quota_620100"' in form.content.decode()
    data = {**BODY, "ruleset": campaign.ruleset.pk, "experts_per_application": 3,
            "score_spread_threshold": "20", "notice_days": 5, "quota_620100": "6"}
    response = client.post(CREATE, data)
    assert response.status_code == 302
    created = Campaign.objects.exclude(pk=campaign.pk).get()
    assert created.county_review_due == datetime.date(2026, 10, 10)
    assert created.quotas.get().quota == 6
    detail = client.get(response["Location"]).content.decode()
    assert "2026年10月10日" in detail

    refused = client.post(CREATE, {**data, "closes_on": "2026-08-01"})
    assert refused.status_code == 400


# --- permission matrix -----------------------------------------------------------------------

# One column per actor of tests.permissions.ACTORS. Campaigns are province-wide announcements:
# every account bound to a region reads them (an expert finds none); the province alone writes.
MATRIX = {
    "list campaigns": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "get campaign": (401, 404, 200, 200, 200, 200, 200, 200, 200),
    "create campaign": (401, 403, 403, 403, 201, 403, 403, 403, 403),
    "edit campaign": (401, 403, 403, 403, 200, 403, 403, 403, 403),
    "replace campaign": (401, 403, 403, 403, 405, 403, 403, 403, 403),
    "delete campaign": (401, 403, 403, 403, 405, 403, 403, 403, 403),
}


def send(client, operation, campaign):
    detail = reverse("certification-api:campaign-detail", args=[campaign.pk])
    return {
        "list campaigns": lambda: client.get(CAMPAIGNS),
        "get campaign": lambda: client.get(detail),
        "create campaign": lambda: client.post(CAMPAIGNS, BODY, format="json"),
        "edit campaign": lambda: client.patch(detail, {"title": "新标题"}, format="json"),
        "replace campaign": lambda: client.put(detail, BODY, format="json"),
        "delete campaign": lambda: client.delete(detail),
    }[operation]()


@permission_matrix(ACTORS, MATRIX)
def test_permission_matrix(request, as_user, operation, actor, expected):
    campaign = CampaignFactory()
    before = sorted(Campaign.objects.values_list("id", "title"))

    response = send(as_user(user_of(request, actor)), operation, campaign)

    assert response.status_code == expected, response.json()
    if operation == "list campaigns" and expected == 200:
        listed = [row["id"] for row in response.json()["results"]]
        assert listed == ([] if actor == "expert_user" else [campaign.pk])
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert sorted(Campaign.objects.values_list("id", "title")) == before
