"""API tokens: issued by the create_api_token command, stored hashed, refused once revoked."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

ENTERPRISES = reverse("registry-api:enterprise-list")


def create_token(*args):
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_command_prints_the_token_once_and_stores_only_its_digest(api_user):
    output = create_token("--user", api_user.username)

    token = output.strip()
    assert output.count(token) == 1
    stored = AuthToken.objects.get(user=api_user)
    assert stored.digest == hash_token(token)
    # knox keeps the first characters to find the row; the rest exists only in the output.
    assert token not in {stored.digest, stored.token_key}
    assert len(stored.token_key) < len(token)
    assert stored.expiry is None


def test_printed_token_opens_the_api_as_its_owner(api_user, enterprise, tianshui_enterprise):
    token = create_token("--user", api_user.username).strip()

    response = bearer(token).get(ENTERPRISES)

    assert response.status_code == 200
    assert [row["uscc"] for row in response.json()["results"]] == [enterprise.uscc]


def test_expires_days_sets_the_expiry(api_user):
    create_token("--user", api_user.username, "--expires-days", "30")

    expiry = AuthToken.objects.get(user=api_user).expiry
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs(expiry - expected) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("days", ["0", "-3"])
def test_expires_days_must_be_positive(api_user, days):
    with pytest.raises(CommandError, match="--expires-days"):
        create_token("--user", api_user.username, "--expires-days", days)

    assert not AuthToken.objects.exists()


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="'nobody'"):
        create_token("--user", "nobody")

    assert not AuthToken.objects.exists()


def test_token_past_its_expiry_is_refused_and_removed(api_user):
    token = create_token("--user", api_user.username, "--expires-days", "1").strip()
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))

    response = bearer(token).get(ENTERPRISES)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not AuthToken.objects.exists()


def test_revoked_token_is_refused(api_user):
    token = create_token("--user", api_user.username).strip()
    AuthToken.objects.filter(user=api_user).delete()

    assert bearer(token).get(ENTERPRISES).status_code == 401


def test_token_of_an_expired_account_is_refused(api_user):
    token = create_token("--user", api_user.username).strip()
    api_user.expires_on = timezone.localdate()
    api_user.save()

    response = bearer(token).get(ENTERPRISES)

    assert response.status_code == 401
    assert response.json()["code"] == "account_expired"


def test_token_of_a_deactivated_account_is_refused(api_user):
    token = create_token("--user", api_user.username).strip()
    api_user.is_active = False
    api_user.save()

    assert bearer(token).get(ENTERPRISES).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer not-a-real-token", "Bearer two parts", "Token {token}"],
)
def test_malformed_or_unknown_credentials_are_refused(api_user, header):
    token = create_token("--user", api_user.username).strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.format(token=token))

    response = client.get(ENTERPRISES)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert set(response.json()) == {"code", "message", "fields"}
