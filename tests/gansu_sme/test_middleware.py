"""Every page answers a refusal raised below it as the API does: out of scope 404, role 403."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import include, path

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
