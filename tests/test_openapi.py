"""The OpenAPI schema and the Swagger UI served without any CDN."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    response = APIClient().get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert yaml.safe_load(target.read_text())["openapi"].startswith("3.")


REGISTRY_OPERATIONS = {
    ("/api/v1/regions/", "get"),
    ("/api/v1/regions/{code}/", "get"),
    ("/api/v1/enterprises/", "get"),
    ("/api/v1/enterprises/", "post"),
    ("/api/v1/enterprises/{uscc}/", "get"),
    ("/api/v1/enterprises/{uscc}/", "put"),
    ("/api/v1/enterprises/{uscc}/", "patch"),
    ("/api/v1/enterprises/{uscc}/deactivate/", "post"),
    ("/api/v1/pool-entries/", "get"),
    ("/api/v1/pool-entries/", "post"),
    ("/api/v1/pool-entries/{id}/", "get"),
    ("/api/v1/pool-entries/{id}/", "patch"),
    ("/api/v1/pool-entries/{id}/promote/", "post"),
    ("/api/v1/pool-entries/{id}/graduate/", "post"),
    ("/api/v1/pool-entries/{id}/remove/", "post"),
    ("/api/v1/pool-entries/{id}/set-category/", "post"),
    ("/api/v1/targets/", "get"),
    ("/api/v1/targets/", "post"),
    ("/api/v1/targets/{id}/", "get"),
    ("/api/v1/targets/progress/", "get"),
    ("/api/v1/monitoring-reports/", "get"),
    ("/api/v1/monitoring-reports/", "post"),
    ("/api/v1/monitoring-reports/{id}/", "get"),
    ("/api/v1/monitoring-reports/{id}/", "put"),
    ("/api/v1/monitoring-reports/{id}/", "patch"),
    ("/api/v1/monitoring-reports/{id}/submit/", "post"),
    ("/api/v1/monitoring-reports/{id}/verify/", "post"),
    ("/api/v1/monitoring-reports/{id}/return/", "post"),
    ("/api/v1/enterprises/{uscc}/monitoring-reports/", "get"),
}


CERTIFICATION_OPERATIONS = {
    ("/api/v1/applications/", "get"),
    ("/api/v1/applications/", "post"),
    ("/api/v1/applications/{id}/", "get"),
    ("/api/v1/applications/{id}/", "patch"),
    ("/api/v1/applications/{id}/accept/", "post"),
    ("/api/v1/applications/{id}/approve/", "post"),
    ("/api/v1/applications/{id}/attachments/", "get"),
    ("/api/v1/applications/{id}/attachments/", "post"),
    ("/api/v1/applications/{id}/attachments/{attachment_pk}/", "get"),
    ("/api/v1/applications/{id}/draw-experts/", "post"),
    ("/api/v1/applications/{id}/recommend/", "post"),
    ("/api/v1/applications/{id}/reject/", "post"),
    ("/api/v1/applications/{id}/return/", "post"),
    ("/api/v1/applications/{id}/review/", "post"),
    ("/api/v1/applications/{id}/submit/", "post"),
    ("/api/v1/applications/{id}/transitions/", "get"),
    ("/api/v1/applications/{id}/withdraw/", "post"),
    ("/api/v1/campaigns/", "get"),
    ("/api/v1/campaigns/", "post"),
    ("/api/v1/campaigns/{id}/", "get"),
    ("/api/v1/campaigns/{id}/", "patch"),
    ("/api/v1/certificates/", "get"),
    ("/api/v1/certificates/{id}/", "get"),
    ("/api/v1/certificates/{id}/revoke/", "post"),
    ("/api/v1/evaluations/", "get"),
    ("/api/v1/evaluations/{id}/", "get"),
    ("/api/v1/evaluations/precheck/", "post"),
    ("/api/v1/expert-assignments/", "get"),
    ("/api/v1/expert-assignments/{id}/", "get"),
    ("/api/v1/expert-assignments/{id}/declare/", "post"),
    ("/api/v1/expert-assignments/{id}/score/", "post"),
    ("/api/v1/expert-assignments/{id}/submit/", "post"),
    ("/api/v1/experts/", "get"),
    ("/api/v1/experts/", "post"),
    ("/api/v1/experts/{id}/", "get"),
    ("/api/v1/experts/{id}/", "patch"),
    ("/api/v1/national-recommendations/", "get"),
    ("/api/v1/national-recommendations/{id}/", "get"),
    ("/api/v1/national-recommendations/{id}/record-outcome/", "post"),
    ("/api/v1/notices/", "get"),
    ("/api/v1/notices/{id}/", "get"),
    ("/api/v1/objections/", "get"),
    ("/api/v1/objections/", "post"),
    ("/api/v1/objections/{id}/", "get"),
    ("/api/v1/objections/{id}/dismiss/", "post"),
    ("/api/v1/objections/{id}/uphold/", "post"),
    ("/api/v1/verification/{number}/", "get"),
}


SUBSIDIES_OPERATIONS = {
    ("/api/v1/allocations/", "get"),
    ("/api/v1/allocations/", "post"),
    ("/api/v1/allocations/{id}/", "get"),
    ("/api/v1/budgets/", "get"),
    ("/api/v1/budgets/", "post"),
    ("/api/v1/budgets/{id}/", "get"),
    ("/api/v1/entitlements/", "get"),
    ("/api/v1/entitlements/{id}/", "get"),
    ("/api/v1/entitlements/{id}/approve/", "post"),
    ("/api/v1/entitlements/{id}/cancel/", "post"),
    ("/api/v1/entitlements/{id}/record-recovery/", "post"),
    ("/api/v1/payment-batches/", "get"),
    ("/api/v1/payment-batches/", "post"),
    ("/api/v1/payment-batches/{id}/", "get"),
    ("/api/v1/payment-batches/{id}/add-entitlements/", "post"),
    ("/api/v1/payment-batches/{id}/approve/", "post"),
    ("/api/v1/payment-batches/{id}/bank-file/", "get"),
    ("/api/v1/payment-batches/{id}/cancel/", "post"),
    ("/api/v1/payment-batches/{id}/pay/", "post"),
    ("/api/v1/payment-batches/{id}/submit/", "post"),
    ("/api/v1/subsidy-ledger/", "get"),
    ("/api/v1/subsidy-programs/", "get"),
    ("/api/v1/subsidy-programs/{id}/", "get"),
    ("/api/v1/subsidy-programs/{id}/", "patch"),
}


# One's API tokens (every account's for an administrator), revoked by a POST, not a DELETE.
ACCOUNTS_OPERATIONS = {
    ("/api/v1/tokens/", "get"),
    ("/api/v1/tokens/{id}/", "get"),
    ("/api/v1/tokens/{id}/revoke/", "post"),
}

# Every account's 我的待办 (gansu_sme.inbox).
TASKS_OPERATIONS = {("/api/v1/tasks/", "get")}

FINANCING_OPERATIONS = {
    ("/api/v1/financing-needs/", "get"),
    ("/api/v1/financing-needs/", "post"),
    ("/api/v1/financing-needs/{id}/", "get"),
    ("/api/v1/financing-needs/{id}/withdraw/", "post"),
    ("/api/v1/matching-events/", "get"),
    ("/api/v1/matching-events/{id}/", "get"),
}
REPORTS_OPERATIONS = {
    ("/api/v1/notifications/", "get"),
    ("/api/v1/notifications/{id}/", "get"),
    ("/api/v1/notifications/{id}/read/", "post"),
    ("/api/v1/notifications/read-all/", "post"),
    ("/api/v1/reports/", "get"),
    ("/api/v1/reports/{id}/", "get"),
    ("/api/v1/reports/{id}/download/", "get"),
}


def test_schema_lists_every_operation_and_no_delete(schema):
    found = {(path, method) for path, method, _operation in operations(schema)}

    assert found == (
        REGISTRY_OPERATIONS | CERTIFICATION_OPERATIONS | SUBSIDIES_OPERATIONS | REPORTS_OPERATIONS
        | TASKS_OPERATIONS | ACCOUNTS_OPERATIONS | FINANCING_OPERATIONS
    )


def test_schema_documents_bearer_tokens_on_every_operation(schema):
    scheme = schema["components"]["securitySchemes"]["bearerAuth"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, method, operation in operations(schema):
        assert {"bearerAuth": []} in operation["security"], (path, method)


def test_schema_documents_the_one_error_shape(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]
    create = schema["paths"]["/api/v1/enterprises/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "429"} <= set(create)
    detail = schema["paths"]["/api/v1/enterprises/{uscc}/"]["get"]["responses"]
    assert detail["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_schema_offers_the_enterprise_filters_and_cursor(schema):
    listing = schema["paths"]["/api/v1/enterprises/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}

    assert names == {
        "region", "industry", "search", "updated_since", "is_active", "ordering", "cursor",
        "page_size",
    }


def test_swagger_ui_is_served_from_the_sidecar_without_a_cdn(client):
    html = client.get(reverse("swagger-ui")).content.decode()

    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(url.startswith("/static/drf_spectacular_sidecar/") for url in assets), assets
    assert not re.search(r"https?://", html)
    # Static files, and the start-up script served as a file of its own (the CSP allows no
    # inline script), which points Swagger UI at the schema.
    scripts = [url for url in assets if url.startswith(reverse("swagger-ui"))]
    assert len(scripts) == 1, assets
    for url in set(assets) - set(scripts):
        assert finders.find(url.removeprefix("/static/")), url
    script = client.get(scripts[0])
    assert script["Content-Type"].startswith("application/javascript")
    assert reverse("schema") in script.content.decode()
