"""Signing in and out, the home page and the language switch."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import PASSWORD

LOGIN_URL = reverse("login")
LOGOUT_URL = reverse("logout")
HOME_URL = reverse("home")


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_login_page_is_in_chinese_by_default(client, db):
    page = client.get(LOGIN_URL).text
    assert '<html lang="zh-hans">' in page
    assert "登录" in page and "用户名" in page and "密码" in page


def test_home_sends_anonymous_users_to_sign_in(client, db):
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=/"


def test_staff_sign_in_and_see_name_role_and_region(client, county_user):
    response = sign_in(client, "chengguan")
    assert response.status_code == 302
    assert response.url == HOME_URL
    page = client.get(HOME_URL).text
    assert county_user.full_name in page
    assert "县区工信部门" in page
    assert "兰州市 城关区" in page
    assert reverse("registry:enterprise-list") in page


def test_sign_in_returns_to_the_page_asked_for(client, county_user):
    response = client.post(
        LOGIN_URL,
        {"username": "chengguan", "password": PASSWORD, "next": "/enterprises/"},
    )
    assert response.url == "/enterprises/"


def test_wrong_password_gets_the_generic_message(client, county_user):
    response = sign_in(client, "chengguan", "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text
    assert "到期" not in response.text
    assert "_auth_user_id" not in client.session


def test_expired_account_is_told_so_with_its_date(client, county_user):
    county_user.expires_on = timezone.localdate()
    county_user.save()
    response = sign_in(client, "chengguan")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    [error] = response.context["form"].errors.as_data()["__all__"]
    assert error.code == "expired"
    assert error.params == {"date": county_user.expires_on.isoformat()}


def test_expired_account_with_a_wrong_password_learns_nothing_more(client, county_user):
    county_user.expires_on = timezone.localdate() - datetime.timedelta(days=3)
    county_user.save()
    response = sign_in(client, "chengguan", "wrong-password")
    [error] = response.context["form"].errors.as_data()["__all__"]
    assert error.code == "invalid_login"


def test_a_session_ends_when_the_account_expires(client, county_user):
    client.force_login(county_user)
    assert client.get(HOME_URL).status_code == 200
    county_user.expires_on = timezone.localdate()
    county_user.save()
    assert client.get(HOME_URL).status_code == 302


def test_logout_needs_post(client, county_user):
    client.force_login(county_user)
    assert client.get(LOGOUT_URL).status_code == 405
    assert client.get(HOME_URL).status_code == 200
    response = client.post(LOGOUT_URL)
    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert client.get(HOME_URL).status_code == 302


def test_every_page_has_a_sign_out_form_that_posts(client, county_user):
    client.force_login(county_user)
    page = client.get(HOME_URL).text
    assert f'<form action="{LOGOUT_URL}" method="post">' in page


def test_language_switch_turns_the_pages_english(client, county_user):
    client.force_login(county_user)
    page = client.get(HOME_URL).text
    assert 'action="/i18n/setlang/"' in page and 'value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": HOME_URL})
    assert response.url == HOME_URL
    page = client.get(HOME_URL).text
    assert '<html lang="en">' in page
    assert "County staff" in page and "Sign out" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": HOME_URL})
    assert "退出登录" in client.get(HOME_URL).text


def test_experts_get_no_registry_link(client, expert_user):
    client.force_login(expert_user)
    page = client.get(HOME_URL).text
    assert "评审专家" in page
    assert reverse("registry:enterprise-list") not in page


@pytest.mark.parametrize("user_fixture", ["city_user", "province_user"])
def test_region_is_shown_for_city_and_province_staff(client, db, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    assert user.region.name in client.get(HOME_URL).text


def test_pages_load_htmx_and_styles_from_this_site_only(client, county_user):
    client.force_login(county_user)
    page = client.get(HOME_URL).text
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert not [url for url in urls if url.startswith(("http:", "https:", "//"))]


def test_server_error_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert "服务器错误" in page
    assert "/static/css/site.css" in page
