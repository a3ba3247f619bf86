"""The notices and objections API through HTTP: public reads, throttled filing, rulings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.choices import ApplicationStatus, ObjectionStatus
from certification.models import Application, Objection
from certification.services.notices import objection_decide
from tests.factories.accounts import api_token
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import NoticeFactory, ObjectionFactory
from tests.permissions import permission_matrix, user_of

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")

NOTICES = reverse("certification-api:notice-list")
OBJECTIONS = reverse("certification-api:objection-list")


@pytest.fixture
def as_user():
    def client_for(user):
        client = APIClient()
        if user is not None:
            token = api_token(user)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_for


def open_notice(firms=2, **kwargs):
    today = timezone.localdate()
    notice = NoticeFactory(starts_on=today, ends_on=today + datetime.timedelta(days=6), **kwargs)
    for _ in range(firms):
        ApplicationFactory(
            campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE, notice=notice
        )
    return notice


def objection_data(notice, **overrides):
    data = {
        "notice": notice.pk,
        "application": notice.applications.first().pk,
        "name": "王敏",
        "contact": "13800000000",
        "text": "该企业近三年有重大环境违法记录。",
    }
    data.update(overrides)
    return data


def test_anyone_reads_notices_with_their_firms_and_nothing_private(db):
    notice = open_notice(firms=1)
    firm = notice.applications.get().enterprise

    response = APIClient().get(NOTICES)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == notice.pk and row["is_open"] is True
    assert row["firms"] == [{
        "application": notice.applications.get().pk,
        "name": firm.name,
        "uscc": firm.uscc,
        "region": "兰州市城关区",
        "industry": firm.industry.name,
        "main_products": firm.main_products,
        "outcome": "in_notice",
        "outcome_display": "公示中",  # the site's default language
    }]


def test_a_notice_not_yet_started_is_not_public(db):
    notice = NoticeFactory(starts_on=timezone.localdate() + datetime.timedelta(days=3),
                           ends_on=timezone.localdate() + datetime.timedelta(days=9))

    assert APIClient().get(NOTICES).json()["results"] == []
    assert APIClient().get(reverse("certification-api:notice-detail", args=[notice.pk])
                           ).status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_the_notice_list_makes_the_same_queries_for_few_or_many(
    db, django_assert_num_queries, count
):
    for _ in range(count // 2):
        open_notice(firms=2)

    # The notices page, then their firms with enterprises, regions and industries.
    with django_assert_num_queries(2):
        response = APIClient().get(NOTICES)

    assert len(response.json()["results"]) == count // 2


def test_anyone_files_an_objection_and_gets_a_receipt(db):
    notice = open_notice()

    response = APIClient().post(OBJECTIONS, objection_data(notice), format="json")

    assert response.status_code == 201, response.json()
    assert set(response.json()) == {"id", "notice", "application", "filed_at", "status"}
    objection = Objection.objects.get()
    assert (objection.name, objection.status) == ("王敏", ObjectionStatus.PENDING)


def test_objections_to_a_closed_notice_are_refused(db):
    notice = NoticeFactory(starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 1, 9))
    ApplicationFactory(campaign=notice.campaign, status=ApplicationStatus.PUBLIC_NOTICE,
                       notice=notice)

    response = APIClient().post(OBJECTIONS, objection_data(notice), format="json")

    assert response.status_code == 409
    assert not Objection.objects.exists()


def test_filing_is_throttled_per_address(db, settings):
    settings.OBJECTION_THROTTLE_RATE = "2/hour"
    notice = open_notice()
    client = APIClient()

    codes = [
        client.post(OBJECTIONS, objection_data(notice), format="json").status_code
        for _ in range(3)
    ]

    assert codes == [201, 201, 429]
    assert Objection.objects.count() == 2


def test_a_missing_field_is_reported_by_name(db):
    notice = open_notice()

    response = APIClient().post(OBJECTIONS, objection_data(notice, text=""), format="json")

    assert response.status_code == 400
    assert "text" in response.json()["fields"]


# Permission matrix for reading and ruling.
ACTORS = ["anonymous", "api_user", "other_city_user", "city_user", "province_user"]
MATRIX = {
    "list": (401, 200, 200, 200, 200),
    "get": (401, 200, 404, 200, 200),
    "uphold": (401, 403, 403, 403, 200),
    "dismiss": (401, 403, 403, 403, 200),
}


@permission_matrix(ACTORS, MATRIX)
def test_objection_permission_matrix(db, request, as_user, operation, actor, expected):
    user = user_of(request, actor)
    notice = open_notice()
    objection = ObjectionFactory(application=notice.applications.first())
    client = as_user(user)
    url = reverse("certification-api:objection-detail", args=[objection.pk])
    response = {
        "list": lambda: client.get(OBJECTIONS),
        "get": lambda: client.get(url),
        "uphold": lambda: client.post(f"{url}uphold/", {"reason": "经核查属实。"}, format="json"),
        "dismiss": lambda: client.post(f"{url}dismiss/", {"reason": "经核查不实。"},
                                       format="json"),
    }[operation]()

    assert response.status_code == expected, response.content


def test_other_regions_do_not_see_objections_in_the_list(as_user, other_city_user):
    notice = open_notice()
    ObjectionFactory(application=notice.applications.first())

    response = as_user(other_city_user).get(OBJECTIONS)

    assert response.json()["results"] == []


def test_upholding_through_the_api_rejects_the_application(as_user, province_user):
    notice = open_notice()
    application = notice.applications.first()
    objection = ObjectionFactory(application=application)
    url = reverse("certification-api:objection-uphold", args=[objection.pk])

    response = as_user(province_user).post(url, {"reason": "经核查属实。"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "upheld"
    assert response.json()["decided_by"] == str(province_user)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


@pytest.mark.parametrize("count", [2, 10])
def test_the_objection_list_makes_the_same_queries_for_few_or_many(
    as_user, province_user, django_assert_num_queries, count
):
    notice = open_notice(firms=1)
    for _ in range(count):
        ObjectionFactory(application=notice.applications.get())
    client = as_user(province_user)

    # Signing in with the token takes three; the page is one, whatever its length.
    with django_assert_num_queries(4):
        response = client.get(OBJECTIONS)

    assert len(response.json()["results"]) == count



def test_each_firm_of_a_notice_carries_its_outcome(province_user):
    notice = open_notice()
    rejected, listed = notice.applications.order_by("pk")
    objection_decide(
        actor=province_user, objection=ObjectionFactory(application=rejected), uphold=True,
        reason="经核查异议属实。",
    )

    response = APIClient().get(reverse("certification-api:notice-detail", args=[notice.pk]))

    firms = {firm["application"]: firm for firm in response.data["firms"]}
    assert firms[rejected.pk]["outcome"] == "objection_upheld"
    assert firms[listed.pk]["outcome"] == "in_notice"
    assert set(firms[listed.pk]) == {
        "application", "name", "uscc", "region", "industry", "main_products", "outcome",
        "outcome_display",
    }


def test_an_objection_to_a_firm_no_longer_in_notice_is_refused_on_its_field(db):
    notice = open_notice()
    rejected = notice.applications.order_by("pk").first()
    Application.objects.filter(pk=rejected.pk).update(
        status=ApplicationStatus.REJECTED
    )

    response = APIClient().post(
        OBJECTIONS, objection_data(notice, application=rejected.pk), format="json"
    )

    assert response.status_code == 400
    assert response.data["code"] == "no_longer_in_notice"
    assert response.data["fields"]["application"]
    assert not Objection.objects.exists()
