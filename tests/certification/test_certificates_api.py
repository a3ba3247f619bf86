"""Certificates, verification and national recommendations through the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certification.choices import (
    ApplicationStatus,
    CampaignKind,
    CertificateStatus,
    RecommendationOutcome,
    RevocationReason,
)
from certification.models import NationalRecommendation
from certification.services.certificates import certificate_revoke
from tests.factories.accounts import api_token
from tests.factories.applications import ApplicationFactory, CampaignFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.permissions import permission_matrix, user_of

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")

CERTIFICATES = reverse("certification-api:certificate-list")
RECOMMENDATIONS = reverse("certification-api:national-recommendation-list")


@pytest.fixture
def as_user():
    def client_for(user):
        client = APIClient()
        if user is not None:
            token = api_token(user)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_for


def verify_url(number):
    return reverse("certification-api:verification", args=[number])


def test_anonymous_callers_list_only_valid_certificates_with_limited_fields(db):
    valid = CertificateFactory()
    CertificateFactory(status=CertificateStatus.EXPIRED)

    response = APIClient().get(CERTIFICATES)

    assert response.status_code == 200
    assert response.json()["results"] == [{
        "number": valid.number,
        "enterprise_name": valid.enterprise.name,
        "uscc": valid.enterprise.uscc,
        "level": "provincial",
        "issued_on": "2026-10-20",
        "valid_until": "2029-10-19",
    }]


def test_an_expert_sees_the_public_list_of_valid_certificates(as_user, expert_user):
    valid = CertificateFactory()
    CertificateFactory(status=CertificateStatus.EXPIRED)

    response = as_user(expert_user).get(CERTIFICATES)

    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == [valid.number]
    assert "status" not in response.json()["results"][0]


def test_staff_list_certificates_of_their_region_with_every_field(as_user, city_user):
    mine = CertificateFactory(status=CertificateStatus.EXPIRED)
    CertificateFactory(enterprise=EnterpriseFactory(region=region("620502")))

    response = as_user(city_user).get(CERTIFICATES)

    [row] = response.json()["results"]
    assert row["number"] == mine.number
    assert row["status"] == "expired"
    assert row["region_name"] == "兰州市城关区"


def test_certificates_filter_by_level_status_year_and_region(as_user, province_user):
    CertificateFactory(issued_on=datetime.date(2025, 5, 6))
    wanted = CertificateFactory(enterprise=EnterpriseFactory(region=region("620502")))

    response = as_user(province_user).get(
        CERTIFICATES, {"level": "provincial", "status": "active", "year": 2026, "region": "620500"}
    )

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


@pytest.mark.parametrize("count", [3, 15])
def test_the_certificate_list_makes_the_same_queries_for_few_or_many(
    as_user, province_user, django_assert_num_queries, count
):
    CertificateFactory.create_batch(count)
    client = as_user(province_user)

    # Signing in with the token takes three; the page is one, whatever its length.
    with django_assert_num_queries(4):
        response = client.get(CERTIFICATES)

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [3, 15])
def test_the_public_certificate_list_is_one_query(db, django_assert_num_queries, count):
    CertificateFactory.create_batch(count)

    with django_assert_num_queries(1):
        response = APIClient().get(CERTIFICATES)

    assert len(response.json()["results"]) == count


def test_verification_answers_for_a_valid_certificate(db):
    certificate = CertificateFactory()

    response = APIClient().get(verify_url(certificate.number.lower()))

    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["status"], body["enterprise_name"]) == (
        certificate.number, "active", certificate.enterprise.name
    )
    assert body["valid_until"] == "2029-10-19"


def test_verification_shows_a_revocation_with_reason_and_date(province_user):
    certificate = CertificateFactory()
    certificate_revoke(
        actor=province_user, certificate=certificate, reason=RevocationReason.FALSIFIED,
        note="申报材料弄虚作假。",
    )

    body = APIClient().get(verify_url(certificate.number)).json()

    assert body["status"] == "revoked"
    assert body["revocation_reason"] == "falsified"
    assert body["revoked_on"] == timezone.localdate().isoformat()


def test_verification_of_an_unknown_number_is_404(db):
    response = APIClient().get(verify_url("GS-ZJTX-2026-9999"))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# Permission matrix: revoke and recommendations.
ACTORS = ["anonymous", "api_user", "other_city_user", "city_user", "province_user"]
MATRIX = {
    "get certificate": (404, 200, 404, 200, 200),
    "revoke": (401, 403, 403, 403, 200),
    "list recommendations": (401, 403, 403, 403, 200),
    "record outcome": (401, 403, 403, 403, 200),
}


@permission_matrix(ACTORS, MATRIX)
def test_certificate_permission_matrix(db, request, as_user, operation, actor, expected):
    user = user_of(request, actor)
    # An expired certificate: anonymous callers do not find it at all.
    certificate = CertificateFactory(status=CertificateStatus.EXPIRED)
    recommendation = recommend()
    client = as_user(user)
    detail = reverse("certification-api:certificate-detail", args=[certificate.pk])
    outcome = reverse(
        "certification-api:national-recommendation-record-outcome", args=[recommendation.pk]
    )
    response = {
        "get certificate": lambda: client.get(detail),
        "revoke": lambda: client.post(
            f"{detail}revoke/", {"reason": "relocated", "note": "迁出本省"}, format="json"
        ),
        "list recommendations": lambda: client.get(RECOMMENDATIONS),
        "record outcome": lambda: client.post(
            outcome, {"approved": False, "document": "工信部公告2026年第5号"}, format="json"
        ),
    }[operation]()

    assert response.status_code == expected, response.content


def recommend(enterprise=None):
    campaign = CampaignFactory(kind=CampaignKind.LITTLE_GIANT)
    application = ApplicationFactory(
        campaign=campaign, enterprise=enterprise or EnterpriseFactory(),
        status=ApplicationStatus.RECOMMENDED,
    )
    return NationalRecommendation.objects.create(
        application=application, enterprise=application.enterprise, year=2026,
        recommended_by=campaign.created_by,
    )


def test_revoking_through_the_api_needs_a_coded_reason(as_user, province_user):
    certificate = CertificateFactory()
    url = reverse("certification-api:certificate-revoke", args=[certificate.pk])

    refused = as_user(province_user).post(url, {"reason": "whim", "note": "x"}, format="json")
    done = as_user(province_user).post(
        url, {"reason": "major_incident", "note": "2026年发生重大安全事故。"}, format="json"
    )

    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["revocation_reason"]) == (
        "revoked", "major_incident"
    )


def test_recording_an_approval_returns_the_national_certificate(as_user, province_user):
    recommendation = recommend()
    url = reverse(
        "certification-api:national-recommendation-record-outcome", args=[recommendation.pk]
    )

    response = as_user(province_user).post(
        url, {"approved": True, "document": "工信部企业函〔2026〕150号"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == RecommendationOutcome.APPROVED
    assert response.json()["certificate_number"].startswith("GS-XJR-")


@pytest.mark.parametrize("count", [2, 8])
def test_the_recommendation_list_makes_the_same_queries_for_few_or_many(
    as_user, province_user, django_assert_num_queries, count
):
    for _ in range(count):
        recommend()
    client = as_user(province_user)

    with django_assert_num_queries(4):
        response = client.get(RECOMMENDATIONS)

    assert len(response.json()["results"]) == count
