"""The applications and evaluations API through HTTP: scope, roles, actions named after their
verbs, filters, attachments, the pre-check, the error shape and constant query counts."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.choices import ApplicationStatus as S
from certification.choices import CampaignKind
from certification.models import Application, ApplicationTransition, Evaluation, RuleSet
from certification.services.evaluations import evaluation_run
from tests.factories.accounts import api_token
from tests.factories.applications import ApplicationFactory, open_campaign, upload
from tests.factories.certification import VerifiedAnnualReportFactory
from tests.factories.registry import EnterpriseFactory, region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("beijing_clock")]
APPLICATIONS = reverse("certification-api:application-list")
EVALUATIONS = reverse("certification-api:evaluation-list")
PRECHECK = reverse("certification-api:evaluation-precheck")
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def as_user():
    def client_for(user):
        client = APIClient()
        if user is not None:
            token = api_token(user)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_for


def url(application, action=None):
    if action:
        return reverse(f"certification-api:application-{action}", args=[application.pk])
    return reverse("certification-api:application-detail", args=[application.pk])


def ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_callers_are_refused(as_user):
    response = as_user(None).get(APPLICATIONS)

    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_the_list_is_scoped_to_the_callers_region(
    as_user, api_user, city_user, enterprise, tianshui_enterprise
):
    mine = ApplicationFactory(enterprise=enterprise)
    theirs = ApplicationFactory(enterprise=tianshui_enterprise)

    assert ids(as_user(api_user).get(APPLICATIONS)) == {mine.pk}
    assert as_user(city_user).get(url(theirs)).status_code == 404


def test_filters_campaign_status_region_enterprise_and_overdue(as_user, province_user):
    campaign = open_campaign()
    late = ApplicationFactory(campaign=campaign, status=S.SUBMITTED, stage_due=YESTERDAY)
    tianshui = ApplicationFactory(
        status=S.COUNTY_REVIEWED, enterprise=EnterpriseFactory(region=region("620502"))
    )
    client = as_user(province_user)

    assert ids(client.get(APPLICATIONS, {"overdue": "true"})) == {late.pk}
    assert ids(client.get(APPLICATIONS, {"campaign": campaign.pk})) == {late.pk}
    assert ids(client.get(APPLICATIONS, {"status": ["county_reviewed", "draft"]})) == {
        tianshui.pk
    }
    assert ids(client.get(APPLICATIONS, {"region": "620500"})) == {tianshui.pk}
    assert ids(client.get(APPLICATIONS, {"enterprise": late.enterprise.uscc.lower()})) == {
        late.pk
    }
    row = client.get(url(late)).json()
    assert row["overdue"] is True and row["status"] == "submitted"


def test_the_list_costs_the_same_queries_for_3_or_30_rows(
    as_user, province_user, django_assert_num_queries
):
    client = as_user(province_user)
    ApplicationFactory.create_batch(3)
    with django_assert_num_queries(4) as few:
        assert len(ids(client.get(APPLICATIONS))) == 3
    ApplicationFactory.create_batch(27)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(ids(client.get(APPLICATIONS))) == 30


def test_county_staff_file_attach_and_submit_through_the_api(as_user, county_user, enterprise):
    campaign = open_campaign()
    for year, extra in ((2023, {"main_business_revenue": D("7200")}),
                        (2024, {"main_business_revenue": D("8000"), "rd_expense": D("500")}),
                        (2025, {})):
        VerifiedAnnualReportFactory(enterprise=enterprise, created_by=county_user, year=year,
                                    **extra)
    client = as_user(county_user)

    created = client.post(
        APPLICATIONS, {"campaign": campaign.pk, "enterprise": enterprise.uscc}, format="json"
    )
    assert created.status_code == 201, created.json()
    application = Application.objects.get(pk=created.json()["id"])
    refused = client.post(url(application, "submit"), {}, format="json")
    assert refused.status_code == 400
    assert "attachments" in refused.json()["fields"]

    attached = client.post(
        url(application, "attachments"), {"kind": "paper_application", "file": upload()},
        format="multipart",
    )
    assert attached.status_code == 201, attached.json()
    listed = client.get(url(application, "attachments")).json()
    assert [row["original_name"] for row in listed] == ["申报书.pdf"]
    assert client.get(listed[0]["download"]).status_code == 200

    submitted = client.post(url(application, "submit"), {"expected_status": "draft"},
                            format="json")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["evaluation_outcome"] == "incomplete"
    again = client.post(url(application, "submit"), {}, format="json")
    assert again.status_code == 200
    assert ApplicationTransition.objects.filter(application=application).count() == 1


def test_a_bad_attachment_is_refused_with_the_error_shape(as_user, county_user, enterprise):
    application = ApplicationFactory(enterprise=enterprise)

    response = as_user(county_user).post(
        url(application, "attachments"),
        {"kind": "evidence", "file": upload("x.pdf", b"MZ\x90\x00")}, format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "file_type_refused"
    assert "file" in response.json()["fields"]


@pytest.mark.parametrize(
    ("status", "action", "actor", "body", "code", "reached"),
    [
        (S.SUBMITTED, "review", "county_user", {}, 200, S.COUNTY_REVIEWED),
        (S.SUBMITTED, "review", "city_user", {}, 403, S.SUBMITTED),
        (S.SUBMITTED, "review", "other_county_user", {}, 404, S.SUBMITTED),
        (S.COUNTY_REVIEWED, "recommend", "city_user", {"opinion": "同意推荐"}, 200,
         S.CITY_RECOMMENDED),
        (S.COUNTY_REVIEWED, "recommend", "city_user", {}, 400, S.COUNTY_REVIEWED),
        (S.COUNTY_REVIEWED, "accept", "province_user", {}, 409, S.COUNTY_REVIEWED),
        (S.CITY_RECOMMENDED, "accept", "province_user", {}, 200, S.PROVINCE_ACCEPTED),
        (S.CITY_RECOMMENDED, "return", "province_user", {"reason": "补充"}, 200,
         S.COUNTY_REVIEWED),
        (S.CITY_RECOMMENDED, "return", "province_user", {}, 400, S.CITY_RECOMMENDED),
        (S.CITY_RECOMMENDED, "withdraw", "county_user", {"reason": "撤回"}, 200, S.WITHDRAWN),
        (S.SUBMITTED, "review", "api_user", {}, 403, S.SUBMITTED),
        (S.SUBMITTED, "review", "county_user", {"expected_status": "draft"}, 409, S.SUBMITTED),
    ],
)
def test_actions_are_named_after_their_verbs(
    request, as_user, enterprise, status, action, actor, body, code, reached
):
    application = ApplicationFactory(enterprise=enterprise, status=status)

    response = as_user(request.getfixturevalue(actor)).post(
        url(application, action), body, format="json"
    )

    assert response.status_code == code, response.json()
    if code != 200:
        assert set(response.json()) == {"code", "message", "fields"}
    application.refresh_from_db()
    assert application.status == reached


def test_a_draft_is_patched_by_its_filer_and_the_timeline_is_listed(
    as_user, county_user, enterprise
):
    application = ApplicationFactory(
        enterprise=enterprise, campaign=open_campaign(kind=CampaignKind.PROVINCIAL)
    )
    client = as_user(county_user)

    patched = client.patch(url(application), {"summary": "新摘要"}, format="json")
    client.post(url(application, "withdraw"), {"reason": "暂缓"}, format="json")
    timeline = client.get(url(application, "transitions")).json()

    assert patched.json()["summary"] == "新摘要"
    assert [(row["verb"], row["to_status"], row["actor"]) for row in timeline] == [
        ("withdraw", "withdrawn", county_user.username)
    ]


def test_the_api_pre_check_returns_a_result_without_storing_it(
    as_user, county_user, other_county_user, enterprise
):
    body = {"enterprise": enterprise.uscc, "ruleset": "miit-2022-zjtx", "year": 2025,
            "manual_inputs": {"I9": {"points": 10, "evidence": "评分表"}}}

    response = as_user(county_user).post(PRECHECK, body, format="json")
    outsider = as_user(other_county_user).post(PRECHECK, body, format="json")

    assert response.status_code == 200, response.json()
    result = response.json()
    assert result["id"] is None
    assert result["ruleset_code"] == "miit-2022-zjtx"
    assert {item["code"] for item in result["results"]} >= {"C1", "C2", "I9"}
    assert not Evaluation.objects.exists()
    assert outsider.status_code == 400
    assert "enterprise" in outsider.json()["fields"]


def test_stored_evaluations_are_scoped(as_user, county_user, other_county_user, enterprise):
    evaluation = evaluation_run(
        actor=county_user, enterprise=enterprise,
        ruleset=RuleSet.objects.get(code="miit-2022-zjtx"), year=2025,
    )

    assert ids(as_user(county_user).get(EVALUATIONS)) == {evaluation.pk}
    assert ids(as_user(other_county_user).get(EVALUATIONS)) == set()
    assert ids(as_user(county_user).get(EVALUATIONS, {"enterprise": enterprise.uscc})) == {
        evaluation.pk
    }
