"""One error shape, never a server error: the inputs the hardening probe found (a malformed id,
an ``updated_since`` offset PostgreSQL cannot hold, a body over the size limit) answer the API's
JSON error, a form error or a 400 page (docs/SECURITY.md, section 4)."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories.applications import AttachmentFactory
from tests.factories.monitoring import MonitoringReportFactory

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"
# UTC offsets Python reads but PostgreSQL refuses in a query (beyond ±15:59).
FAR_OFFSETS = ("2026-01-01T00:00:00+16:00", "2026-01-01T00:00:00-23:59")
# A time with no UTC equivalent: the first moment of the calendar, east of Greenwich.
EDGE_OF_CALENDAR = "0001-01-01T00:00:00+08:00"


def assert_error_shape(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code and body["message"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/abc/attachments/1/",
        "/api/v1/applications/1.5/",
        "/api/v1/pool-entries/%E4%B8%80/",
        "/api/v1/no-such-resource/",
    ],
)
def test_a_malformed_id_or_unknown_address_answers_the_json_not_found(
    as_user, province_user, path
):
    assert_error_shape(as_user(province_user).get(path), 404, "not_found")


def test_an_attachment_with_a_numeric_id_still_downloads(as_user, county_user, enterprise):
    attachment = AttachmentFactory(application__enterprise=enterprise)
    path = f"/api/v1/applications/{attachment.application_id}/attachments/{attachment.pk}/"

    assert as_user(county_user).get(path).status_code == 200


@pytest.mark.parametrize("since", FAR_OFFSETS)
@pytest.mark.parametrize("path", [ENTERPRISES, "/api/v1/monitoring-reports/",
                                  "/api/v1/pool-entries/"])
def test_any_offset_python_reads_is_converted_to_utc(as_user, city_user, enterprise, path, since):
    MonitoringReportFactory(enterprise=enterprise)

    response = as_user(city_user).get(path, {"updated_since": since})

    assert response.status_code == 200


def test_a_time_past_the_edge_of_the_calendar_is_a_refused_field(as_user, city_user):
    response = as_user(city_user).get(ENTERPRISES, {"updated_since": EDGE_OF_CALENDAR})

    body = assert_error_shape(response, 400, "invalid")
    assert list(body["fields"]) == ["updated_since"]


@pytest.mark.parametrize("since", [*FAR_OFFSETS, EDGE_OF_CALENDAR])
@pytest.mark.parametrize("name", ["registry:enterprise-list", "registry:monitoring-list"])
def test_the_list_pages_show_a_form_error_or_convert_never_a_server_error(
    client, city_user, name, since
):
    client.force_login(city_user)

    response = client.get(reverse(name), {"updated_since": since})

    assert response.status_code == 200
    if since == EDGE_OF_CALENDAR:
        assert response.context["filter"].errors["updated_since"]


@pytest.mark.parametrize("name", ["registry:enterprise-export", "registry:pool-entry-export"])
def test_an_export_with_a_refused_filter_is_a_400_page_not_a_file_of_other_rows(
    client, city_user, name
):
    client.force_login(city_user)

    response = client.get(reverse(name), {"updated_since": EDGE_OF_CALENDAR})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("name", ["registry:enterprise-export", "registry:monitoring-export"])
@pytest.mark.parametrize("since", FAR_OFFSETS)
def test_an_export_converts_a_far_offset(client, city_user, name, since):
    client.force_login(city_user)

    assert client.get(reverse(name), {"updated_since": since}).status_code == 200


@pytest.fixture
def small_body_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    return 2048


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", json.dumps({"name": "x" * 4096})),
        ("application/x-www-form-urlencoded", "name=" + "x" * 4096),
    ],
)
def test_a_body_over_the_limit_answers_the_json_413(
    as_user, county_user, small_body_limit, content_type, body
):
    response = as_user(county_user).generic(
        "POST", ENTERPRISES, body, content_type=content_type
    )

    assert_error_shape(response, 413, "request_too_large")


def test_a_body_over_the_limit_before_the_view_answers_the_json_413(
    county_user, small_body_limit
):
    # Signed in through the session: DRF's CSRF check reads the form before the view runs.
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_user)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32

    response = client.post(ENTERPRISES, {"name": "x" * 4096})

    assert_error_shape(response, 413, "request_too_large")


def test_a_page_refuses_a_body_over_the_limit_with_its_error_page(
    client, city_user, small_body_limit
):
    client.force_login(city_user)

    response = client.post(reverse("registry:enterprise-create"), {"name": "x" * 4096})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")


# Found by the full fuzzing run (make hardening) on 2026-12-08.


def test_a_nested_row_refused_is_named_by_one_dotted_key(as_user, province_user):
    body = {
        "year": 2026, "kind": "provincial", "title": "2026年第二批省级专精特新认定",
        "ruleset": "miit-2022-zjtx", "opens_on": "2026-09-01", "closes_on": "2026-09-30",
        "county_review_days": 3, "city_recommendation_days": 5, "province_decision_days": 10,
        "quotas": [{"region": "620100", "quota": 8}, {"region": "½", "quota": 5}],
    }

    response = as_user(province_user).post("/api/v1/campaigns/", body, format="json")

    fields = assert_error_shape(response, 400, "invalid")["fields"]
    assert list(fields) == ["quotas.1.region"]
    assert all(isinstance(message, str) for message in fields["quotas.1.region"])


def test_a_year_no_date_can_hold_is_a_refused_field(as_user, province_user):
    response = as_user(province_user).get(
        "/api/v1/matching-events/", {"year": "-3055319054449592.0"}
    )

    assert list(assert_error_shape(response, 400, "invalid")["fields"]) == ["year"]


def test_a_nul_in_the_query_of_a_logged_read_is_logged_not_a_server_error(as_user, city_user):
    from oplog.models import Operation

    response = as_user(city_user).get("/api/v1/entitlements/", {"search": "a\x00b"})

    assert response.status_code in (200, 400)
    logged = Operation.objects.filter(path__startswith="/api/v1/entitlements/").get()
    assert "\x00" not in logged.path and "\x00" not in json.dumps(logged.details)


def test_a_step_refused_in_the_rows_state_is_documented_as_409():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    for path in ("/api/v1/applications/{id}/recommend/", "/api/v1/applications/{id}/withdraw/"):
        assert "409" in schema["paths"][path]["post"]["responses"], path
