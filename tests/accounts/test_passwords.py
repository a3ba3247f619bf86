"""Passwords people own: changing one's own, the change forced after an administrator set the
password, an administrator's reset, and the last sign-in shown."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import services
from accounts.models import User
from gansu_sme.exceptions import PermissionDenied
from oplog.choices import Kind
from oplog.models import Operation
from tests.factories.accounts import PASSWORD, UserFactory

LOGIN_URL = reverse("login")
HOME_URL = reverse("home")
CHANGE_URL = reverse("password_change")
ACCOUNT_URL = reverse("account")
NEW_PASSWORD = "Lanzhou-Huanghe-2027"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def change(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(CHANGE_URL, {
        "old_password": old, "new_password1": new, "new_password2": again or new,
    })


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True, region=None,
                       role="provincial_reviewer")


def test_the_user_menu_leads_to_the_account_page_and_on_to_the_password_change(
    client, county_user
):
    client.force_login(county_user)
    home = client.get(HOME_URL).text
    assert f'href="{ACCOUNT_URL}"' in home
    assert f'href="{CHANGE_URL}"' in client.get(ACCOUNT_URL).text
    assert client.get(CHANGE_URL).status_code == 200


def test_a_user_changes_their_password_and_signs_in_with_the_new_one(client, county_user):
    sign_in(client, "chengguan")
    response = change(client)
    assert response.status_code == 302 and response.url == ACCOUNT_URL
    # Still signed in: the session follows the new password.
    assert client.get(HOME_URL).status_code == 200
    county_user.refresh_from_db()
    assert county_user.check_password(NEW_PASSWORD)
    row = Operation.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert (row.user, row.object_id, row.address) == (county_user, str(county_user.pk), "127.0.0.1")


def test_the_password_validators_apply(client, county_user):
    client.force_login(county_user)
    response = change(client, new="12345678")
    assert response.status_code == 200
    codes = {e.code for e in response.context["form"].errors.as_data()["new_password2"]}
    assert {"password_too_common", "password_entirely_numeric"} & codes
    county_user.refresh_from_db()
    assert county_user.check_password(PASSWORD)


def test_a_wrong_old_password_changes_nothing(client, county_user):
    client.force_login(county_user)
    response = change(client, old="not-the-password")
    [error] = response.context["form"].errors.as_data()["old_password"]
    assert error.code == "password_incorrect"
    assert not Operation.objects.filter(kind=Kind.PASSWORD_CHANGED).exists()


def test_a_user_with_an_administrator_set_password_is_held_on_the_change_page(client, county_user):
    county_user.must_change_password = True
    county_user.save()
    sign_in(client, "chengguan")
    for url in (HOME_URL, reverse("registry:enterprise-list"), ACCOUNT_URL):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, CHANGE_URL)
    # htmx requests are sent on as a whole page, not swapped into a fragment.
    response = client.get(HOME_URL, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == CHANGE_URL
    # The change page's own fragments (the menu's badge) do not reload it again and again.
    badge = client.get(reverse("reports:notification-badge"), headers={
        "HX-Request": "true", "HX-Current-URL": f"http://testserver{CHANGE_URL}",
    })
    assert badge.status_code == 204
    assert client.get(CHANGE_URL).status_code == 200

    change(client)

    county_user.refresh_from_db()
    assert not county_user.must_change_password
    assert client.get(HOME_URL).status_code == 200


def test_a_user_held_on_the_change_page_may_still_sign_out(client, county_user):
    county_user.must_change_password = True
    county_user.save()
    client.force_login(county_user)
    assert client.post(reverse("logout")).url == LOGIN_URL
    assert "_auth_user_id" not in client.session


def test_factory_accounts_are_not_held(client, county_user):
    assert not county_user.must_change_password
    client.force_login(county_user)
    assert client.get(HOME_URL).status_code == 200


def test_an_administrator_resets_a_password_on_the_admin_page(client, admin_user, county_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[county_user.pk])
    response = client.post(url, {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
    })
    assert response.status_code == 302
    county_user.refresh_from_db()
    assert county_user.must_change_password
    assert county_user.check_password(NEW_PASSWORD)
    row = Operation.objects.get(kind=Kind.PASSWORD_RESET)
    assert (row.user, row.object_type, row.object_id) == (
        admin_user, "accounts.User", str(county_user.pk)
    )


def test_the_admin_action_hands_out_temporary_passwords_to_be_changed(client, admin_user,
                                                                        county_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_passwords", "_selected_action": [county_user.pk],
    })
    assert response.status_code == 200
    [password] = re.findall(r'class="temporary-password">([^<]+)<', response.text)
    county_user.refresh_from_db()
    assert county_user.must_change_password and county_user.check_password(password)

    client.logout()
    assert sign_in(client, "chengguan", password).status_code == 302
    assert client.get(HOME_URL).url == CHANGE_URL


def test_an_account_added_in_the_admin_must_change_its_first_password(client, admin_user,
                                                                        region_province):
    client.force_login(admin_user)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "usable_password": "true", "full_name": "新同事", "role": "auditor",
        "region": region_province.pk,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newcomer").must_change_password


@pytest.fixture
def region_province(db):
    from tests.factories.registry import region

    return region("620000")


def test_an_administrator_setting_their_own_password_is_not_held(admin_user):
    services.password_reset(actor=admin_user, user=admin_user, new_password=NEW_PASSWORD)
    admin_user.refresh_from_db()
    assert not admin_user.must_change_password


def test_only_administrators_reset_passwords(province_user, county_user):
    with pytest.raises(PermissionDenied) as refused:
        services.password_reset(actor=province_user, user=county_user)
    assert refused.value.code == "password_reset_not_allowed"


def test_the_last_sign_in_is_shown_with_its_address(client, county_user):
    sign_in(client, "chengguan")
    assert "menu-last-sign-in" in client.get(HOME_URL).text
    assert client.session["previous_sign_in"]["at"] is None
    first = Operation.objects.get(kind=Kind.SIGN_IN)
    client.post(reverse("logout"))

    sign_in(client, "chengguan")

    page = client.get(HOME_URL).text
    menu = page[page.index('id="menu-last-sign-in"'):].split("</span>")[0]
    assert "127.0.0.1" in menu
    assert str(first.at.astimezone().year) in menu
    account = client.get(ACCOUNT_URL)
    assert "127.0.0.1" in account.text.split('id="last-sign-in"')[1].split("</dd>")[0]


def test_failed_attempts_since_the_last_sign_in_are_reported_at_sign_in(client, county_user):
    sign_in(client, "chengguan")
    client.post(reverse("logout"))
    sign_in(client, "chengguan", "wrong-1")
    sign_in(client, "chengguan", "wrong-2")

    response = client.post(LOGIN_URL, {"username": "chengguan", "password": PASSWORD},
                           follow=True)

    [message] = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert "2" in str(message)
    assert client.session["previous_sign_in"]["failures"] == 2


def test_the_reset_command_prints_a_temporary_password_to_be_changed(county_user):
    out = io.StringIO()
    call_command("reset_password", "chengguan", stdout=out)
    password = out.getvalue().strip()
    county_user.refresh_from_db()
    assert county_user.check_password(password) and county_user.must_change_password
    row = Operation.objects.get(kind=Kind.PASSWORD_RESET)
    assert (row.user, row.object_id, row.details) == (
        None, str(county_user.pk), {"via": "manage.py reset_password"}
    )


def test_the_reset_command_refuses_an_unknown_account(db):
    with pytest.raises(CommandError, match="'nobody'"):
        call_command("reset_password", "nobody")


def test_demo_accounts_share_a_password_and_are_not_held(db):
    from demo.registry import demo_data_load

    demo_data_load()
    assert not User.objects.filter(must_change_password=True).exists()


def test_the_admin_s_own_password_change_is_the_site_s(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/password_change/").url == CHANGE_URL
