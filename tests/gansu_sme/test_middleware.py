"""Every page answers a refusal raised below it as the API does: out of scope 404, role 403.
What only a signed-in user sees, and every file handed out, is kept out of caches (no-store);
public pages are not."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import include, path, reverse

from gansu_sme import exceptions


def out_of_scope(request):
    raise exceptions.OutOfScope


def wrong_role(request):
    raise exceptions.PermissionDenied


def refused_by_rule(request):
    raise exceptions.InvalidTransition


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("out-of-scope/", out_of_scope),
    path("wrong-role/", wrong_role),
    path("rule/", refused_by_rule),
    path("fine/", fine),
    # The error pages link to the site's own pages.
    path("", include("gansu_sme.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@override_settings(DEBUG=False)
def test_a_row_out_of_scope_answers_not_found(client):
    assert client.get("/out-of-scope/").status_code == 404


@override_settings(DEBUG=False)
def test_a_role_that_may_not_act_answers_forbidden(client):
    assert client.get("/wrong-role/").status_code == 403


def test_other_domain_errors_are_left_to_the_view():
    from gansu_sme.middleware import DomainErrorMiddleware

    middleware = DomainErrorMiddleware(fine)
    request = RequestFactory().get("/rule/")
    assert middleware.process_exception(request, exceptions.InvalidTransition()) is None
    assert middleware(request).content == b"ok"


# --- NoStoreMiddleware ------------------------------------------------------------------------


def test_a_signed_in_page_is_not_stored(client, county_user):
    client.force_login(county_user)
    response = client.get(reverse("registry:enterprise-list"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_export_is_not_stored(client, county_user, enterprise):
    client.force_login(county_user)
    response = client.get(reverse("registry:enterprise-export"))
    assert response.status_code == 200
    assert response.has_header("Content-Disposition")
    assert "no-store" in response["Cache-Control"]


def test_a_certificate_pdf_is_not_stored(client, county_user):
    from tests.factories.certificates import CertificateFactory

    certificate = CertificateFactory()
    client.force_login(county_user)
    response = client.get(reverse("certification:certificate-pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_an_api_answer_to_a_token_is_not_stored(as_user, api_user):
    response = as_user(api_user).get("/api/v1/enterprises/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_public_notice_stays_cacheable(client, db):
    from tests.certification.test_notices_views import open_notice

    notice = open_notice(firms=1)
    response = client.get(reverse("public:notice-detail", args=[notice.pk]))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response.has_header("Content-Security-Policy")
