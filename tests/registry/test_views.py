"""Browser pages of the registry: who reaches them, what they show, and what they write."""

import datetime
import re

import pytest
from django.urls import reverse

from registry.models import Enterprise, Industry
from tests.factories.registry import EnterpriseFactory, region

VALID_CODE = "91620105MA71T4YW8Q"
WRONG_CHECK_CODE = "91620105MA71T4YW8R"

LIST_URL = reverse("registry:enterprise-list")
CREATE_URL = reverse("registry:enterprise-create")


def detail_url(enterprise):
    return reverse("registry:enterprise-detail", args=[enterprise.uscc])


def edit_url(enterprise):
    return reverse("registry:enterprise-edit", args=[enterprise.uscc])


def deactivate_url(enterprise):
    return reverse("registry:enterprise-deactivate", args=[enterprise.uscc])


def form_data(**overrides):
    data = {
        "uscc": VALID_CODE,
        "name": "兰州新材料科技有限公司",
        "legal_representative": "李娜",
        "founded_on": "2015-03-01",
        "region": region("620102").pk,
        "industry": Industry.objects.get(code="C35").pk,
        "main_products": "稀土永磁材料",
        "niche_market": "稀土永磁电机转子",
        "address": "兰州市城关区雁滩路 1 号",
        "contact_name": "王强",
        "contact_phone": "0931-8888888",
        "contact_email": "wq@example.cn",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def result_rows(response):
    """Credit codes of the rows listed on a list page, in order."""
    return re.findall(r'<td class="mono"[^>]*><a href="[^"]+">([0-9A-Z]{18})</a>', response.text)


# --- permission matrix -----------------------------------------------------------------------

PAGES = {
    "list": ("get", lambda e: LIST_URL),
    "detail": ("get", detail_url),
    "create": ("get", lambda e: CREATE_URL),
    "edit": ("get", edit_url),
    "deactivate": ("post", deactivate_url),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, enterprise, page):
    method, url = PAGES[page]
    response = getattr(client, method)(url(enterprise))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    assert Enterprise.objects.get(pk=enterprise.pk).is_active


@pytest.mark.parametrize(
    ("page", "user_fixture"),
    [
        ("list", "expert_user"),
        ("detail", "expert_user"),
        ("create", "expert_user"),
        ("create", "province_user"),
        ("create", "api_user"),
        ("edit", "province_user"),
        ("edit", "api_user"),
        ("deactivate", "province_user"),
        ("deactivate", "api_user"),
    ],
)
def test_roles_without_the_right_get_the_403_page(client, enterprise, request, page, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    method, url = PAGES[page]
    response = getattr(client, method)(url(enterprise), {"reason": "x"} if method == "post" else {})
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert Enterprise.objects.get(pk=enterprise.pk).is_active


@pytest.mark.parametrize("page", ["detail", "edit", "deactivate"])
@pytest.mark.parametrize("user_fixture", ["other_city_user", "other_county_user"])
def test_another_regions_enterprise_is_not_found(client, enterprise, request, page, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    method, url = PAGES[page]
    response = getattr(client, method)(url(enterprise), {"reason": "x"} if method == "post" else {})
    assert response.status_code == 404
    assert enterprise.name not in response.text
    assert Enterprise.objects.get(pk=enterprise.pk).is_active


@pytest.mark.parametrize("page", ["list", "detail", "create", "edit"])
@pytest.mark.parametrize("user_fixture", ["county_user", "city_user"])
def test_county_and_city_staff_of_the_region_reach_every_page(
    client, enterprise, request, page, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    method, url = PAGES[page]
    assert getattr(client, method)(url(enterprise)).status_code == 200


@pytest.mark.parametrize("user_fixture", ["province_user", "api_user"])
def test_readers_see_list_and_detail_without_edit_buttons(
    client, enterprise, request, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    listing = client.get(LIST_URL)
    detail = client.get(detail_url(enterprise))
    assert listing.status_code == detail.status_code == 200
    assert enterprise.name in listing.text
    assert CREATE_URL not in listing.text
    assert edit_url(enterprise) not in detail.text
    assert deactivate_url(enterprise) not in detail.text


def test_editors_see_create_edit_and_deactivate_buttons(client, county_user, enterprise):
    client.force_login(county_user)
    assert CREATE_URL in client.get(LIST_URL).text
    detail = client.get(detail_url(enterprise)).text
    assert edit_url(enterprise) in detail
    assert deactivate_url(enterprise) in detail


def test_out_of_scope_and_missing_codes_get_the_same_404_page(
    client, other_city_user, enterprise
):
    client.force_login(other_city_user)
    out_of_scope = client.get(detail_url(enterprise))
    missing = client.get(reverse("registry:enterprise-detail", args=[VALID_CODE]))
    assert out_of_scope.status_code == missing.status_code == 404
    # Only the CSRF token, the request id and the requested path differ between the two.
    strip = re.compile(r'value="[^"]{64}"|[0-9a-f]{32}|/enterprises/[0-9A-Z]{18}/')
    assert strip.sub("", out_of_scope.text) == strip.sub("", missing.text)
    assert "未找到" in out_of_scope.text


# --- list: scope, filters, sorting, paging ---------------------------------------------------


@pytest.fixture
def lanzhou_and_tianshui(enterprise, tianshui_enterprise):
    qilihe = EnterpriseFactory(name="七里河制药有限公司", region=region("620103"))
    return enterprise, qilihe, tianshui_enterprise


def test_city_staff_list_only_their_citys_enterprises_and_count(
    client, city_user, lanzhou_and_tianshui
):
    chengguan, qilihe, tianshui = lanzhou_and_tianshui
    client.force_login(city_user)
    response = client.get(LIST_URL)
    assert sorted(result_rows(response)) == sorted([chengguan.uscc, qilihe.uscc])
    assert "共 2 家企业" in response.text
    assert tianshui.name not in response.text


def test_county_staff_list_only_their_county(client, county_user, lanzhou_and_tianshui):
    chengguan, qilihe, tianshui = lanzhou_and_tianshui
    client.force_login(county_user)
    response = client.get(LIST_URL)
    assert result_rows(response) == [chengguan.uscc]
    assert "共 1 家企业" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"region": "620500"},
        {"region": "620502"},
        {"search": "天水"},
        {"is_active": "true"},
        {"industry": "C"},
        {"ordering": "-name"},
    ],
)
def test_filters_never_reach_another_regions_rows(client, city_user, lanzhou_and_tianshui, params):
    tianshui = lanzhou_and_tianshui[2]
    client.force_login(city_user)
    response = client.get(LIST_URL, params)
    assert tianshui.uscc not in result_rows(response)
    assert tianshui.name not in response.text


def test_region_filter_lists_only_regions_in_scope(client, county_user, city_user):
    client.force_login(city_user)
    options = re.findall(r'<option value="(\d{6})"', client.get(LIST_URL).text)
    assert "620100" in options and "620102" in options and "620103" in options
    assert not {"620000", "620500", "620502", "620200"} & set(options)
    client.force_login(county_user)
    options = re.findall(r'<option value="(\d{6})"', client.get(LIST_URL).text)
    assert options == ["620102"]


def test_region_filter_includes_the_counties_below(client, city_user, lanzhou_and_tianshui):
    chengguan, qilihe, _ = lanzhou_and_tianshui
    client.force_login(city_user)
    assert result_rows(client.get(LIST_URL, {"region": "620103"})) == [qilihe.uscc]
    assert len(result_rows(client.get(LIST_URL, {"region": "620100"}))) == 2


def test_search_industry_and_active_filters(client, city_user, lanzhou_and_tianshui):
    chengguan, qilihe, _ = lanzhou_and_tianshui
    qilihe.industry = Industry.objects.get(code="C27")
    qilihe.is_active = False
    qilihe.save()
    client.force_login(city_user)
    assert result_rows(client.get(LIST_URL, {"search": "七里河"})) == [qilihe.uscc]
    assert result_rows(client.get(LIST_URL, {"search": chengguan.uscc[:10]})) == [chengguan.uscc]
    assert result_rows(client.get(LIST_URL, {"industry": "C27"})) == [qilihe.uscc]
    assert result_rows(client.get(LIST_URL, {"is_active": "false"})) == [qilihe.uscc]
    assert result_rows(client.get(LIST_URL, {"is_active": "true"})) == [chengguan.uscc]


def test_column_headers_sort_both_ways(client, city_user):
    names = ["甲公司", "乙公司", "丙公司"]
    made = {name: EnterpriseFactory(name=name) for name in names}
    client.force_login(city_user)
    ascending = client.get(LIST_URL, {"ordering": "name"})
    descending = client.get(LIST_URL, {"ordering": "-name"})
    assert result_rows(descending) == list(reversed(result_rows(ascending)))
    assert sorted(result_rows(ascending)) == sorted(e.uscc for e in made.values())
    # The sorted column's header links to the reverse order and keeps the other filters.
    page = client.get(LIST_URL, {"ordering": "name", "search": "公司"}).text
    assert 'href="?ordering=-name&amp;search=%E5%85%AC%E5%8F%B8"' in page
    assert 'aria-sort="ascending"' in page


def test_pages_of_fifty_keep_filters_in_page_links(client, county_user):
    EnterpriseFactory.create_batch(51, name="兰州测试有限公司")
    client.force_login(county_user)
    first = client.get(LIST_URL, {"search": "兰州测试"})
    assert len(result_rows(first)) == 50
    assert "共 51 家企业" in first.text
    cursor = first.context["page"].next_cursor
    assert f'href="?search=%E5%85%B0%E5%B7%9E%E6%B5%8B%E8%AF%95&amp;cursor={cursor}"' in first.text
    second = client.get(LIST_URL, {"search": "兰州测试", "cursor": cursor})
    assert len(result_rows(second)) == 1
    assert not set(result_rows(first)) & set(result_rows(second))


def test_htmx_requests_get_only_the_results(client, county_user, enterprise):
    client.force_login(county_user)
    full = client.get(LIST_URL)
    partial = client.get(LIST_URL, {"search": "城关"}, headers={"HX-Request": "true"})
    assert "<html" in full.text and 'id="enterprise-filter"' in full.text
    assert "<html" not in partial.text and 'id="enterprise-filter"' not in partial.text
    assert result_rows(partial) == [enterprise.uscc]
    assert "HX-Request" in partial["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, county_user):
    client.force_login(county_user)
    response = client.get(
        LIST_URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


def test_filter_form_works_without_javascript(client, county_user, enterprise):
    """A plain GET of the form's fields filters; htmx only enhances it."""
    client.force_login(county_user)
    page = client.get(LIST_URL).text
    assert 'method="get"' in page and 'type="submit"' in page
    response = client.get(LIST_URL, {"search": "不存在的名称", "region": "", "industry": ""})
    assert result_rows(response) == []
    assert "没有符合条件的企业" in response.text


@pytest.mark.parametrize("rows", [5, 50])
def test_list_page_makes_the_same_queries_for_5_or_50_rows(
    client, city_user, django_assert_num_queries, rows
):
    for i in range(rows):
        EnterpriseFactory(region=region("620102" if i % 2 else "620103"))
    client.force_login(city_user)
    # session, user, user's region, the menu's task count, filter regions, count, rows,
    # industries for the filter
    with django_assert_num_queries(8):
        response = client.get(LIST_URL)
    assert len(result_rows(response)) == rows


# --- detail and history ----------------------------------------------------------------------


def test_detail_shows_fields_and_who_changed_what(client, county_user, enterprise):
    from registry.services import enterprise_update

    enterprise_update(actor=county_user, enterprise=enterprise, name="兰州城关精工有限公司")
    client.force_login(county_user)
    response = client.get(detail_url(enterprise), headers={"X-Request-ID": "req-42"})
    page = response.text
    assert "兰州城关精工有限公司" in page
    assert enterprise.uscc in page
    assert "张伟" in page and "矿山专用设备" in page
    # The history row names the field, old and new values and the official.
    assert "兰州城关精密机械有限公司" in page
    assert "企业名称" in page
    assert county_user.full_name in page


def test_history_shows_the_request_id_of_a_change_made_in_the_browser(
    client, county_user, enterprise
):
    client.force_login(county_user)
    client.post(edit_url(enterprise), form_data(uscc=None, name="改名后的公司"),
                headers={"X-Request-ID": "edit-request-7"})
    page = client.get(detail_url(enterprise)).text
    assert "edit-request-7" in page
    assert "改名后的公司" in page


# --- create ----------------------------------------------------------------------------------


def test_wrong_check_character_is_shown_in_chinese_on_the_field(client, county_user):
    client.force_login(county_user)
    response = client.post(CREATE_URL, form_data(uscc=WRONG_CHECK_CODE))
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    errors = response.context["form"].errors["uscc"]
    assert any("校验位错误：第18位应为 Q" in e for e in errors)
    assert "校验位错误" in response.text


def test_county_staff_register_an_enterprise_of_their_county(client, county_user):
    client.force_login(county_user)
    response = client.post(CREATE_URL, form_data(uscc=VALID_CODE.lower()))
    enterprise = Enterprise.objects.get(uscc=VALID_CODE)
    assert response.status_code == 302
    assert response.url == detail_url(enterprise)
    assert enterprise.created_by == county_user
    assert enterprise.founded_on == datetime.date(2015, 3, 1)
    assert "企业已登记" in client.get(response.url).text


def test_registration_region_choices_are_the_counties_in_scope(client, county_user, city_user):
    client.force_login(city_user)
    form = client.get(CREATE_URL).context["form"]
    codes = {r.code for r in form.fields["region"].queryset}
    assert "620102" in codes and "620103" in codes
    assert "620100" not in codes and "620502" not in codes
    assert form["region"].value() is None
    client.force_login(county_user)
    form = client.get(CREATE_URL).context["form"]
    assert [r.code for r in form.fields["region"].queryset] == ["620102"]
    assert form["region"].value() == region("620102").pk


def test_prefecture_without_counties_can_hold_its_enterprises(client, db):
    from accounts.choices import Role
    from tests.factories.accounts import UserFactory

    jiayuguan = UserFactory(role=Role.CITY_STAFF, region=region("620200"))
    client.force_login(jiayuguan)
    form = client.get(CREATE_URL).context["form"]
    assert [r.code for r in form.fields["region"].queryset] == ["620200"]
    assert form["region"].value() == region("620200").pk


def test_a_region_outside_the_choices_is_refused(client, county_user):
    client.force_login(county_user)
    response = client.post(CREATE_URL, form_data(region=region("620502").pk))
    assert "region" in response.context["form"].errors
    assert not Enterprise.objects.exists()


def test_a_registered_code_is_refused_with_the_services_message(
    client, county_user, tianshui_enterprise
):
    client.force_login(county_user)
    response = client.post(CREATE_URL, form_data(uscc=tianshui_enterprise.uscc))
    assert response.context["form"].has_error("uscc", "uscc_taken")
    assert Enterprise.objects.count() == 1


def test_required_fields_are_reported_in_chinese(client, county_user):
    client.force_login(county_user)
    response = client.post(CREATE_URL, {"uscc": VALID_CODE})
    assert response.context["form"].errors["name"] == ["该字段是必填项。"]


# --- edit and deactivate ---------------------------------------------------------------------


def test_city_staff_edit_an_enterprise_of_their_county(client, city_user, enterprise):
    client.force_login(city_user)
    response = client.post(
        edit_url(enterprise),
        form_data(uscc=None, name="新名称有限公司", region=region("620103").pk),
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "新名称有限公司"
    assert enterprise.region.code == "620103"


def test_county_staff_cannot_move_an_enterprise_out_of_their_county(
    client, county_user, enterprise
):
    client.force_login(county_user)
    response = client.post(edit_url(enterprise), form_data(uscc=None, region=region("620103").pk))
    assert "region" in response.context["form"].errors
    enterprise.refresh_from_db()
    assert enterprise.region.code == "620102"


def test_an_unchanged_edit_writes_nothing(client, county_user, enterprise):
    client.force_login(county_user)
    data = client.get(edit_url(enterprise)).context["form"].initial
    data = {k: ("" if v is None else v) for k, v in data.items() if k != "id"}
    updated_at = enterprise.updated_at
    response = client.post(edit_url(enterprise), data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.updated_at == updated_at


def test_deactivation_needs_a_reason(client, county_user, enterprise):
    client.force_login(county_user)
    response = client.post(deactivate_url(enterprise), {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.context["deactivate_form"].errors
    assert Enterprise.objects.get(pk=enterprise.pk).is_active


def test_deactivation_keeps_the_reason_in_the_history(client, county_user, enterprise):
    client.force_login(county_user)
    response = client.post(deactivate_url(enterprise), {"reason": "企业已注销"})
    assert response.status_code == 302
    assert not Enterprise.objects.get(pk=enterprise.pk).is_active
    page = client.get(detail_url(enterprise)).text
    assert "企业已注销" in page
    assert "已停用" in page


def test_deactivate_answers_only_post(client, county_user, enterprise):
    client.force_login(county_user)
    assert client.get(deactivate_url(enterprise)).status_code == 405
