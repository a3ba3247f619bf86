"""API tokens: issued by the create_api_token command, stored hashed, expiring by default,
read-only unless issued for writing, listed and revoked by their owner and administrators."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts.models import ApiToken
from oplog.choices import Kind
from oplog.models import Operation

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
    stored = ApiToken.objects.get(user=api_user)
    assert stored.digest == hash_token(token)
    # knox keeps the first characters to find the row; the rest exists only in the output.
    assert token not in {stored.digest, stored.token_key}
    assert len(stored.token_key) < len(token)
    # Expiring after API_TOKEN_DAYS (90) and read-only, unless issued otherwise.
    expected = timezone.now() + datetime.timedelta(days=90)
    assert abs(stored.expiry - expected) < datetime.timedelta(minutes=1)
    assert not stored.write


def test_printed_token_opens_the_api_as_its_owner(api_user, enterprise, tianshui_enterprise):
    token = create_token("--user", api_user.username).strip()

    response = bearer(token).get(ENTERPRISES)

    assert response.status_code == 200
    assert [row["uscc"] for row in response.json()["results"]] == [enterprise.uscc]


def test_expires_days_sets_the_expiry(api_user):
    create_token("--user", api_user.username, "--expires-days", "30")

    expiry = ApiToken.objects.get(user=api_user).expiry
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs(expiry - expected) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize("days", ["0", "-3"])
def test_expires_days_must_be_positive(api_user, days):
    with pytest.raises(CommandError, match="--expires-days"):
        create_token("--user", api_user.username, "--expires-days", days)

    assert not ApiToken.objects.exists()


def test_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="'nobody'"):
        create_token("--user", "nobody")

    assert not ApiToken.objects.exists()


def test_token_past_its_expiry_is_refused_and_removed(api_user):
    token = create_token("--user", api_user.username, "--expires-days", "1").strip()
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))

    response = bearer(token).get(ENTERPRISES)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_revoked_token_is_refused(api_user):
    token = create_token("--user", api_user.username).strip()
    ApiToken.objects.filter(user=api_user).delete()

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


# --- scope: read-only unless issued for writing --------------------------------------------

APPLICATIONS = reverse("certification-api:application-list")


def test_a_token_issued_without_write_may_only_read(county_user, enterprise):
    token = create_token("--user", county_user.username).strip()

    assert bearer(token).get(ENTERPRISES).status_code == 200
    response = bearer(token).patch(
        reverse("registry-api:enterprise-detail", args=[enterprise.uscc]),
        {"main_products": "改了"}, format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"
    enterprise.refresh_from_db()
    assert enterprise.main_products != "改了"


def test_a_write_token_writes_and_each_write_is_logged(county_user, enterprise):
    token = create_token("--user", county_user.username, "--write").strip()
    url = reverse("registry-api:enterprise-detail", args=[enterprise.uscc])

    bearer(token).get(ENTERPRISES)
    response = bearer(token).patch(url, {"main_products": "精密轴承"}, format="json")

    assert response.status_code == 200
    writes = Operation.objects.filter(kind=Kind.TOKEN_WRITE)
    # The read is not logged, the write is, with the token and its owner.
    assert [(op.user, op.details["method"], op.path) for op in writes] == [
        (county_user, "PATCH", url)
    ]
    assert writes.get().object_id == str(ApiToken.objects.get(user=county_user).pk)


def test_write_is_refused_for_a_read_only_role(api_user):
    with pytest.raises(CommandError):
        create_token("--user", api_user.username, "--write")

    assert not ApiToken.objects.exists()


def test_issuing_a_token_is_logged(api_user):
    create_token("--user", api_user.username, "--name", "省统计局数据交换")

    issued = Operation.objects.get(kind=Kind.TOKEN_ISSUED)
    assert issued.details == {
        "owner": api_user.username, "write": False, "days": 90,
        "via": "manage.py create_api_token",
    }
    assert ApiToken.objects.get().name == "省统计局数据交换"


# --- listing and revoking, in pages and the API ---------------------------------------------

TOKENS = reverse("accounts-api:token-list")


def test_the_owner_lists_and_revokes_their_token_through_the_api(api_user, county_user):
    token = create_token("--user", api_user.username).strip()
    create_token("--user", county_user.username)
    client = bearer(token)

    listed = client.get(TOKENS).json()["results"]
    assert [row["owner"] for row in listed] == [api_user.username]
    assert token not in str(listed) and "digest" not in listed[0]

    # A read-only token may revoke: revoking only takes power away.
    response = client.post(reverse("accounts-api:token-revoke", args=[listed[0]["id"]]))

    assert response.status_code == 204
    assert client.get(TOKENS).status_code == 401
    assert Operation.objects.filter(kind=Kind.TOKEN_REVOKED, user=api_user).count() == 1


def test_another_account_s_token_is_not_found(api_user, county_user):
    create_token("--user", county_user.username)
    other = ApiToken.objects.get(user=county_user)
    client = bearer(create_token("--user", api_user.username).strip())

    response = client.post(reverse("accounts-api:token-revoke", args=[other.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()


def test_an_administrator_lists_and_revokes_any_token_in_the_api(admin_user, api_user):
    token = create_token("--user", api_user.username).strip()
    client = APIClient()
    client.force_login(admin_user)

    listed = client.get(TOKENS).json()["results"]
    response = client.post(reverse("accounts-api:token-revoke", args=[listed[0]["id"]]))

    assert [row["owner"] for row in listed] == [api_user.username]
    assert response.status_code == 204
    assert bearer(token).get(ENTERPRISES).status_code == 401
    revoked = Operation.objects.get(kind=Kind.TOKEN_REVOKED)
    assert (revoked.user, revoked.details["owner"]) == (admin_user, api_user.username)


def test_the_token_page_lists_one_s_tokens_and_revokes_them(client, county_user, api_user):
    create_token("--user", county_user.username, "--write", "--name", "县局报送")
    create_token("--user", api_user.username, "--name", "别人的")
    client.force_login(county_user)

    page = client.get(reverse("token-list")).content.decode()

    assert "县局报送" in page and "别人的" not in page
    token = ApiToken.objects.get(user=county_user)
    response = client.post(reverse("token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    other = ApiToken.objects.get(user=api_user)
    assert client.post(reverse("token-revoke", args=[other.pk])).status_code == 404


def test_an_administrator_sees_every_token_on_the_page(client, admin_user, api_user):
    create_token("--user", api_user.username, "--name", "省统计局数据交换")
    client.force_login(admin_user)

    page = client.get(reverse("token-list")).content.decode()

    assert "省统计局数据交换" in page and api_user.username in page
