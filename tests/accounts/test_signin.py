"""Password guessing: lock-out per account and per address with a growing delay, the admin's
sign-in included; a Chinese message naming when to retry; unlock by an administrator, logged;
sessions that end after inactivity; the password rules on every path that sets a password."""

import datetime
import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.signin import lockout_duration
from oplog.choices import Kind
from oplog.models import Operation
from tests.factories.accounts import PASSWORD
from tests.factories.registry import region

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z]+(?:[ \-'][A-Za-z][a-z]*)+")


def sign_in(client, username, password, url=LOGIN, address="10.0.0.1"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def guess(client, username, attempts, **kwargs):
    """``attempts`` wrong passwords; returns the status codes answered."""
    return [
        sign_in(client, username, f"wrong-{n}", **kwargs).status_code for n in range(attempts)
    ]


def alert(response):
    return re.search(r'id="lockout">\s*<p>(.*?)</p>', response.content.decode(), re.S).group(1)


def wrong_attempts_then_the_right_password(county_user, attempts):
    client = Client()
    started = time.monotonic()
    codes = guess(client, county_user.username, attempts)
    elapsed = time.monotonic() - started
    # The first failures are ordinary wrong passwords; from the limit on, the account is locked.
    limit = settings.SIGN_IN_FAILURE_LIMIT
    assert codes[: limit - 1] == [200] * (limit - 1)
    assert set(codes[limit - 1:]) == {429}

    response = sign_in(client, county_user.username, PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    assert "登录" in alert(response)
    return elapsed


def test_wrong_passwords_lock_the_account_and_the_right_one_is_refused_while_locked(
    county_user,
):
    elapsed = wrong_attempts_then_the_right_password(county_user, 30)
    print(f"30 wrong attempts in {elapsed:.1f} s")


@pytest.mark.hardening
def test_a_thousand_wrong_passwords_then_the_right_one_is_refused(county_user):
    elapsed = wrong_attempts_then_the_right_password(county_user, 1000)
    print(f"1,000 wrong attempts in {elapsed:.1f} s ({elapsed:.0f} ms each on average)")
    # Failures while locked count too: the lock now lasts its longest.
    assert lockout_duration(1000) == datetime.timedelta(
        minutes=settings.SIGN_IN_LOCKOUT_MAX_MINUTES
    )


def test_the_lockout_message_is_chinese_and_names_the_time_to_retry(county_user):
    client = Client()
    guess(client, county_user.username, settings.SIGN_IN_FAILURE_LIMIT)
    with time_machine.travel(timezone.now(), tick=False):
        response = sign_in(client, county_user.username, PASSWORD)
        until = timezone.localtime(
            AccessAttempt.objects.get().attempt_time
            + datetime.timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
        )

    message = alert(response)
    assert until.strftime("%Y-%m-%d %H:%M") in message
    assert "分钟" in message and "管理员" in message
    assert not ENGLISH_PHRASE.search(message)


def test_the_admin_sign_in_is_locked_too(county_user, admin_user):
    client = Client()
    codes = guess(client, admin_user.username, settings.SIGN_IN_FAILURE_LIMIT, url=ADMIN_LOGIN)

    response = sign_in(client, admin_user.username, "password", url=ADMIN_LOGIN)

    assert codes[-1] == 429
    assert response.status_code == 429
    assert not signed_in(client)


def test_one_address_guessing_many_accounts_is_locked_for_every_account(county_user):
    client = Client()
    others = [f"nobody{n}" for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)]
    # Fewer than an account's limit for each name, but the address's limit in all.
    for name in others:
        guess(client, name, 1, address="10.0.0.9")

    locked = sign_in(client, county_user.username, PASSWORD, address="10.0.0.9")
    elsewhere = sign_in(Client(), county_user.username, PASSWORD, address="10.0.0.10")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_signing_in_to_one_s_own_account_does_not_clear_another_s_count(county_user, city_user):
    client = Client()
    for _round in range(settings.SIGN_IN_FAILURE_LIMIT):
        guess(client, county_user.username, 1)
        # The guesser signs in to an account of their own, from the same address, each time.
        assert sign_in(Client(), city_user.username, PASSWORD).status_code == 302

    assert sign_in(client, county_user.username, PASSWORD).status_code == 429


def test_the_lock_ends_by_itself_and_each_further_failure_locks_for_longer(county_user):
    client = Client()
    limit = settings.SIGN_IN_FAILURE_LIMIT
    base = datetime.timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        guess(client, county_user.username, limit)
    with time_machine.travel(start + base + datetime.timedelta(seconds=5), tick=False):
        # The lock has ended: the right password signs in, and forgets the failures.
        assert sign_in(client, county_user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()

    client = Client()
    with time_machine.travel(start + 2 * base, tick=False):
        guess(client, county_user.username, 2 * limit)
    # Ten failures: locked twice as long as after five.
    assert lockout_duration(2 * limit) == 2 * base
    with time_machine.travel(start + 3 * base + datetime.timedelta(seconds=5), tick=False):
        # Still locked; and this attempt, right or wrong, counts and starts the lock again.
        assert sign_in(client, county_user.username, PASSWORD).status_code == 429
    with time_machine.travel(start + 5 * base + datetime.timedelta(seconds=10), tick=False):
        assert sign_in(client, county_user.username, PASSWORD).status_code == 302


def test_the_delay_doubles_and_stops_at_its_maximum():
    limit = settings.SIGN_IN_FAILURE_LIMIT
    base = settings.SIGN_IN_LOCKOUT_MINUTES
    assert [lockout_duration(n * limit).total_seconds() / 60 for n in (1, 2, 3, 4)] == [
        base, 2 * base, 4 * base, 8 * base,
    ]
    assert lockout_duration(10**6).total_seconds() / 60 == settings.SIGN_IN_LOCKOUT_MAX_MINUTES


# --- unlocking -------------------------------------------------------------------------------

LOCKOUTS = reverse("lockout-list")


def test_an_administrator_unlocks_an_account_saying_why_and_it_is_logged(
    client, admin_user, county_user,
):
    guess(Client(), county_user.username, settings.SIGN_IN_FAILURE_LIMIT)
    client.force_login(admin_user)

    page = client.get(LOCKOUTS).content.decode()
    refused = client.post(LOCKOUTS, {"username": county_user.username, "reason": " "})
    assert refused.status_code == 200
    assert AccessAttempt.objects.filter(username=county_user.username).exists()
    response = client.post(
        LOCKOUTS, {"username": county_user.username, "reason": "本人来电，核实身份"}
    )

    assert county_user.username in page and 'class="locked"' in page
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=county_user.username).exists()
    unlocked = Operation.objects.get(kind=Kind.SIGN_IN_UNLOCKED)
    assert unlocked.user == admin_user
    assert unlocked.object_id == str(county_user.pk)
    assert unlocked.details == {
        "username": county_user.username, "address": "",
        "failures": settings.SIGN_IN_FAILURE_LIMIT, "reason": "本人来电，核实身份",
    }
    assert sign_in(Client(), county_user.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_an_administrator_unlocks_an_address(client, admin_user, county_user):
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        guess(Client(), f"nobody{n}", 1, address="10.0.0.9")
    client.force_login(admin_user)

    client.post(LOCKOUTS, {"address": "10.0.0.9", "reason": "办公室网关，已核实"})

    assert sign_in(Client(), county_user.username, PASSWORD, address="10.0.0.9").status_code == 302


@pytest.mark.parametrize("role_fixture", ["province_user", "auditor_user", "city_user"])
def test_only_administrators_unlock(client, request, role_fixture, county_user):
    guess(Client(), county_user.username, settings.SIGN_IN_FAILURE_LIMIT)
    client.force_login(request.getfixturevalue(role_fixture))

    assert client.get(LOCKOUTS).status_code == 403
    assert client.post(
        LOCKOUTS, {"username": county_user.username, "reason": "x"}
    ).status_code == 403
    assert AccessAttempt.objects.exists()


# --- sessions end after inactivity -------------------------------------------------------------


def test_a_session_ends_after_the_idle_time_and_lives_on_while_used(county_user):
    client = Client()
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    home = reverse("account")
    with time_machine.travel(start, tick=False):
        assert sign_in(client, county_user.username, PASSWORD).status_code == 302
    # Used every two thirds of the idle time, it stays signed in well past the idle time.
    for step in (1, 2, 3):
        with time_machine.travel(start + step * idle * 2 / 3, tick=False):
            assert client.get(home).status_code == 200
    with time_machine.travel(start + 2 * idle + idle + datetime.timedelta(seconds=5), tick=False):
        response = client.get(home)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the password rules on every path ----------------------------------------------------------


@pytest.mark.parametrize("password", ["", "12345678", "password"])
def test_an_expert_account_with_an_empty_or_weak_password_is_refused_in_the_api(
    as_user, province_user, password,
):
    response = as_user(province_user).post(reverse("certification-api:expert-list"), {
        "username": "wanglei", "name": "王磊", "employer_name": "兰州大学",
        "region": "620100", "password": password,
    }, format="json")

    assert response.status_code == 400
    assert response.json()["fields"]["password"]
    assert not User.objects.filter(username="wanglei").exists()


def test_an_expert_account_is_refused_a_weak_password_on_the_page(client, province_user):
    client.force_login(province_user)

    response = client.post(reverse("certification:expert-create"), {
        "username": "wanglei", "name": "王磊", "employer_name": "兰州大学",
        "region": region("620100").pk, "password": "12345678",
    })

    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="wanglei").exists()


def test_an_account_added_in_the_admin_must_pass_the_password_rules(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "newcomer", "usable_password": "true",
        "password1": "12345678", "password2": "12345678",
        "full_name": "新人", "role": "expert",
    })

    assert response.status_code == 200
    assert not User.objects.filter(username="newcomer").exists()
