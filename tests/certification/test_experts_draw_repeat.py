"""A first expert draw sent twice (double click, retried request) returns the first draw instead
of asking for replacements: the service, the draw page and the API action."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from certification.choices import ApplicationStatus
from certification.models import ExpertDraw
from certification.services.experts import experts_draw
from gansu_sme.exceptions import InvalidTransition
from tests.factories.accounts import api_token
from tests.factories.applications import ApplicationFactory
from tests.factories.experts import ExpertFactory

S = ApplicationStatus


@pytest.fixture
def accepted(enterprise):
    for _ in range(6):
        ExpertFactory()
    return ApplicationFactory(enterprise=enterprise, status=S.PROVINCE_ACCEPTED)


def test_a_repeated_first_draw_returns_the_first_draw_unchanged(province_user, accepted):
    first = experts_draw(
        actor=province_user, application=accepted, expected_status=S.PROVINCE_ACCEPTED
    )

    again = experts_draw(
        actor=province_user, application=accepted, expected_status=S.PROVINCE_ACCEPTED
    )

    assert again.pk == first.pk
    assert ExpertDraw.objects.filter(application=accepted).count() == 1
    assert accepted.assignments.count() == 3
    assert accepted.transitions.count() == 1


def test_a_draw_seen_in_another_status_is_refused(province_user, accepted):
    with pytest.raises(InvalidTransition) as refused:
        experts_draw(
            actor=province_user, application=accepted, expected_status=S.UNDER_EXPERT_REVIEW
        )

    assert refused.value.code == "status_changed"

    assert not ExpertDraw.objects.exists()


def test_the_draw_page_answers_a_double_click_with_the_first_draw(client, province_user, accepted):
    client.force_login(province_user)
    url = reverse("certification:application-draw", args=[accepted.pk])
    data = {"count": "", "seed": "", "expected_status": S.PROVINCE_ACCEPTED}

    first = client.post(url, data)
    second = client.post(url, data)

    draw = ExpertDraw.objects.get(application=accepted)
    assert first.status_code == second.status_code == 302
    assert second["Location"].endswith(f"#draw-{draw.pk}")


def test_the_api_answers_a_repeated_first_draw_with_the_same_draw(province_user, accepted):
    token = api_token(province_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = reverse("certification-api:application-draw-experts", args=[accepted.pk])
    data = {"expected_status": S.PROVINCE_ACCEPTED}

    first = client.post(url, data, format="json")
    second = client.post(url, data, format="json")
    unknown = client.post(url, {"expected_status": "nonsense"}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.data["id"] == first.data["id"]
    assert ExpertDraw.objects.filter(application=accepted).count() == 1
    assert unknown.status_code == 400
    assert "expected_status" in unknown.data["fields"]
