"""The registry REST API through HTTP: scope, roles, writes, paging, sync, errors, throttling."""

import datetime
import random
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from demo.codes import make_uscc
from gansu_sme.models import AuditEvent
from registry import services
from registry.models import Enterprise, Industry, Region
from registry.uscc import AUTHORITIES, check_character
from tests.factories.registry import EnterpriseFactory, region
from tests.permissions import ACTORS, permission_matrix, user_of

REGIONS = reverse("registry-api:region-list")
ENTERPRISES = reverse("registry-api:enterprise-list")


def region_url(code):
    return reverse("registry-api:region-detail", args=[code])


def enterprise_url(uscc):
    return reverse("registry-api:enterprise-detail", args=[uscc])


def deactivate_url(uscc):
    return reverse("registry-api:enterprise-deactivate", args=[uscc])





def registration(region_code="620102", **overrides):
    """A valid POST body for a new enterprise."""
    body = {
        "uscc": make_uscc(region_code),
        "name": "兰州华新精密机械有限公司",
        "legal_representative": "马建国",
        "founded_on": "2014-03-12",
        "region": region_code,
        "industry": "C34",
        "main_products": "数控卧式车床",
        "niche_market": "大型数控车床",
        "address": "兰州市城关区雁滩路1号",
        "contact_name": "李娜",
        "contact_phone": "0931-8888888",
        "contact_email": "lina@example.cn",
    }
    body.update(overrides)
    return body


def codes(response):
    return [row["uscc"] for row in response.json()["results"]]


def codes_of(response):
    return [row["code"] for row in response.json()["results"]]


def page_through(client, url, params=None, between_pages=None):
    """Every row's credit code, following ``next`` to the end; calls ``between_pages`` after
    each page but the last."""
    seen = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        seen += codes(response)
        next_url = response.json()["next"]
        if next_url is None:
            return seen
        if between_pages:
            between_pages()
        response = client.get(next_url)


# Permission matrix: every endpoint and method, for each kind of caller.


# One column per actor above; the target is 城关区 (兰州市) and an enterprise in it.
MATRIX = {
    "list regions": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "get region": (401, 404, 200, 200, 200, 404, 404, 200, 200),
    "list enterprises": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "get enterprise": (401, 404, 200, 200, 200, 404, 404, 200, 200),
    "create enterprise": (401, 403, 403, 403, 403, 400, 400, 201, 201),
    "replace enterprise": (401, 403, 403, 403, 403, 404, 404, 200, 200),
    "edit enterprise": (401, 403, 403, 403, 403, 404, 404, 200, 200),
    "deactivate enterprise": (401, 403, 403, 403, 403, 404, 404, 200, 200),
    "delete enterprise": (401, 403, 403, 403, 403, 405, 405, 405, 405),
}
# Callers whose region covers 城关区; only they may find it or its enterprise in a list.
COVERING = {"api_user", "auditor_user", "province_user", "county_user", "city_user"}


def send(client, operation, enterprise):
    body = registration()
    edit = {k: v for k, v in body.items() if k != "uscc"}
    detail = enterprise_url(enterprise.uscc)
    return {
        "list regions": lambda: client.get(REGIONS),
        "get region": lambda: client.get(region_url("620102")),
        "list enterprises": lambda: client.get(ENTERPRISES),
        "get enterprise": lambda: client.get(detail),
        "create enterprise": lambda: client.post(ENTERPRISES, body, format="json"),
        "replace enterprise": lambda: client.put(detail, edit, format="json"),
        "edit enterprise": lambda: client.patch(detail, {"name": "新名称"}, format="json"),
        "deactivate enterprise": lambda: client.post(
            deactivate_url(enterprise.uscc), {"reason": "已注销"}, format="json"
        ),
        "delete enterprise": lambda: client.delete(detail),
    }[operation]()


@permission_matrix(ACTORS, MATRIX)
def test_permission_matrix(request, as_user, enterprise, operation, actor, expected):
    user = user_of(request, actor)

    response = send(as_user(user), operation, enterprise)

    assert response.status_code == expected, response.json()
    if operation == "list regions" and expected == 200:
        assert ("620102" in codes_of(response)) == (actor in COVERING)
    if operation == "list enterprises" and expected == 200:
        assert codes(response) == ([enterprise.uscc] if actor in COVERING else [])
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        unchanged = Enterprise.objects.get()
        assert (unchanged.name, unchanged.is_active) == (enterprise.name, True)


# What each caller sees.


def test_city_staff_cannot_see_enterprises_of_another_city(
    as_user, other_city_user, enterprise, tianshui_enterprise
):
    response = as_user(other_city_user).get(ENTERPRISES)

    assert codes(response) == [tianshui_enterprise.uscc]


def test_county_staff_see_only_their_own_county(as_user, county_user, enterprise):
    neighbour = EnterpriseFactory(region=region("620103"))

    assert codes(as_user(county_user).get(ENTERPRISES)) == [enterprise.uscc]
    assert as_user(county_user).get(enterprise_url(neighbour.uscc)).status_code == 404


def test_city_staff_see_every_county_of_their_city(as_user, city_user, enterprise):
    neighbour = EnterpriseFactory(region=region("620103"))
    EnterpriseFactory(region=region("620502"))

    assert sorted(codes(as_user(city_user).get(ENTERPRISES))) == sorted(
        [enterprise.uscc, neighbour.uscc]
    )


def test_province_sees_every_city(as_user, province_user, enterprise, tianshui_enterprise):
    assert len(codes(as_user(province_user).get(ENTERPRISES))) == 2


def test_expert_without_a_region_sees_no_enterprise(as_user, expert_user, enterprise):
    assert codes(as_user(expert_user).get(ENTERPRISES)) == []


def test_region_filter_on_another_city_reveals_nothing(
    as_user, city_user, enterprise, tianshui_enterprise
):
    """A 兰州 official asking for 天水 gets the same answer as for a code that does not exist."""
    client = as_user(city_user)

    other_city = client.get(ENTERPRISES, {"region": "620500"})
    no_such_region = client.get(ENTERPRISES, {"region": "629999"})

    assert other_city.status_code == no_such_region.status_code == 400
    assert other_city.json() == no_such_region.json()
    assert set(other_city.json()["fields"]) == {"region"}
    assert tianshui_enterprise.uscc not in other_city.content.decode()


def test_region_filter_includes_every_county_below(as_user, city_user, enterprise):
    neighbour = EnterpriseFactory(region=region("620103"))

    response = as_user(city_user).get(ENTERPRISES, {"region": "620100"})
    only_county = as_user(city_user).get(ENTERPRISES, {"region": "620103"})

    assert sorted(codes(response)) == sorted([enterprise.uscc, neighbour.uscc])
    assert codes(only_county) == [neighbour.uscc]


def test_search_does_not_reach_another_city(as_user, city_user, tianshui_enterprise):
    response = as_user(city_user).get(ENTERPRISES, {"search": "天水"})

    assert codes(response) == []


def test_search_matches_name_or_start_of_credit_code(as_user, city_user, enterprise):
    other = EnterpriseFactory(name="兰州七里河食品有限公司")
    client = as_user(city_user)

    assert codes(client.get(ENTERPRISES, {"search": "精密"})) == [enterprise.uscc]
    assert codes(client.get(ENTERPRISES, {"search": other.uscc[:12].lower()})) == [other.uscc]


def test_industry_filter_takes_a_section_letter_or_a_division_code(as_user, city_user, enterprise):
    dairy = EnterpriseFactory(industry=Industry.objects.get(code="A03"))
    client = as_user(city_user)

    assert codes(client.get(ENTERPRISES, {"industry": "a"})) == [dairy.uscc]
    assert codes(client.get(ENTERPRISES, {"industry": "C35"})) == [enterprise.uscc]
    assert codes(client.get(ENTERPRISES, {"industry": "35"})) == [enterprise.uscc]
    assert codes(client.get(ENTERPRISES, {"industry": "C"})) == [enterprise.uscc]


def test_regions_are_listed_from_the_users_region_down(as_user, county_user, city_user):
    counties = Region.objects.filter(parent__code="620100").values_list("code", flat=True)

    assert codes_of(as_user(county_user).get(REGIONS)) == ["620102"]
    city = codes_of(as_user(city_user).get(REGIONS))
    assert city[0] == "620100"
    assert set(city) == {"620100", *counties}


def test_a_region_outside_the_users_region_answers_404(as_user, city_user):
    response = as_user(city_user).get(region_url("620500"))

    assert response.status_code == 404
    assert response.json() == as_user(city_user).get(region_url("629999")).json()


def test_enterprise_shows_region_prefecture_and_industry_by_code_and_name(
    as_user, city_user, enterprise
):
    body = as_user(city_user).get(enterprise_url(enterprise.uscc)).json()

    assert body["region"] == "620102"
    assert body["region_name"] == "城关区"
    assert body["prefecture_name"] == "兰州市"
    assert body["industry"] == "C35"
    assert body["industry_name"] == enterprise.industry.name
    assert set(body) == {
        "uscc", "name", "legal_representative", "founded_on", "region", "region_name",
        "prefecture_name", "industry", "industry_name", "industry_class",
        "industry_class_name", "main_products", "niche_market",
        "address", "contact_name", "contact_phone", "contact_email", "is_active", "size_class",
        "size_class_not_classed", "is_above_scale", "figures_year", "created_at", "updated_at",
    }


def test_derived_size_and_scale_cannot_be_typed_in(as_user, county_user, enterprise):
    response = as_user(county_user).patch(
        enterprise_url(enterprise.uscc),
        {"size_class": "large", "is_above_scale": True, "main_products": "破碎机"},
        format="json",
    )

    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.is_above_scale) == ("", False)
    assert enterprise.main_products == "破碎机"


def test_prefecture_unit_without_counties_is_its_own_prefecture(as_user, province_user):
    enterprise = EnterpriseFactory(region=region("LZXQ"))

    body = as_user(province_user).get(enterprise_url(enterprise.uscc)).json()

    assert body["region_name"] == body["prefecture_name"] == "兰州新区"


# Writes, all through registry.services.


def test_county_staff_register_an_enterprise(as_user, county_user):
    body = registration(uscc=make_uscc("620102").lower())

    response = as_user(county_user).post(ENTERPRISES, body, format="json")

    assert response.status_code == 201, response.json()
    enterprise = Enterprise.objects.get()
    assert response.json()["uscc"] == enterprise.uscc == body["uscc"].upper()
    assert enterprise.created_by == county_user
    assert enterprise.contact_email == "lina@example.cn"
    assert AuditEvent.objects.tracks(enterprise).get().user_id == county_user.pk


def test_wrong_check_character_is_refused_naming_the_check(as_user, county_user):
    response = as_user(county_user).post(
        ENTERPRISES, registration(uscc="91620105MA71T4YW8A"), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["uscc"]
    assert "校验位错误" in body["fields"]["uscc"][0]
    assert "第18位应为 Q" in body["fields"]["uscc"][0]
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("pair", [a + k for a, (_, ks) in AUTHORITIES.items() for k in ks])
def test_every_defined_authority_and_type_pair_registers(as_user, county_user, pair):
    first17 = pair + "620102MA71T4YW8"

    response = as_user(county_user).post(
        ENTERPRISES, registration(uscc=first17 + check_character(first17)), format="json"
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("01620100719023721X", "uscc_authority"),
        ("Y2620100719023721U", "uscc_entity_type"),
        ("91620105 MA71T4YW8Q", "uscc_length"),
        ("91620105\tMA71T4YW8Q", "uscc_length"),
    ],
)
def test_undefined_pairs_and_inner_spaces_are_refused(as_user, county_user, code, error):
    response = as_user(county_user).post(ENTERPRISES, registration(uscc=code), format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["uscc"]
    assert not Enterprise.objects.exists()


def test_every_invalid_field_is_reported_at_once(as_user, county_user):
    body = registration(uscc="916201", founded_on="yesterday", industry="Z99", name="")

    response = as_user(county_user).post(ENTERPRISES, body, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"uscc", "founded_on", "industry", "name"}
    assert "应为18位" in response.json()["fields"]["uscc"][0]


def test_field_messages_are_in_chinese_and_english_on_request(as_user, county_user):
    client = as_user(county_user)

    chinese = client.post(ENTERPRISES, {}, format="json").json()
    english = client.post(ENTERPRISES, {}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()

    assert chinese["fields"]["name"] == ["该字段是必填项。"]
    assert english["fields"]["name"] == ["This field is required."]


def test_a_credit_code_already_registered_is_refused(as_user, county_user, enterprise):
    response = as_user(county_user).post(
        ENTERPRISES, registration(uscc=enterprise.uscc), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "uscc_taken"
    assert "不能登记" in response.json()["fields"]["uscc"][0]


def test_a_region_outside_scope_is_refused_without_revealing_whether_it_exists(
    as_user, county_user
):
    client = as_user(county_user)

    elsewhere = client.post(ENTERPRISES, registration(region="620502"), format="json").json()
    nowhere = client.post(ENTERPRISES, registration(region="629999"), format="json").json()

    message = elsewhere["fields"]["region"][0]
    assert message == "620502 不存在或不在您的管辖范围内。"
    english = client.post(
        ENTERPRISES, registration(region="620502"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert english["fields"]["region"] == [
        "620502 does not exist or is outside your jurisdiction."
    ]
    assert message.replace("620502", "") == nowhere["fields"]["region"][0].replace("629999", "")
    assert not Enterprise.objects.exists()


def test_a_prefecture_with_counties_cannot_hold_an_enterprise(as_user, city_user):
    response = as_user(city_user).post(ENTERPRISES, registration(region="620100"), format="json")

    assert response.status_code == 400
    assert "请选择县区" in response.json()["fields"]["region"][0]


def test_edit_changes_the_given_fields_and_never_the_credit_code(as_user, county_user, enterprise):
    response = as_user(county_user).patch(
        enterprise_url(enterprise.uscc),
        {"name": "兰州城关精工有限公司", "uscc": make_uscc("620102")},
        format="json",
    )

    assert response.status_code == 200, response.json()
    enterprise.refresh_from_db()
    assert enterprise.name == "兰州城关精工有限公司"
    assert response.json()["uscc"] == enterprise.uscc


def test_replace_needs_every_required_field(as_user, county_user, enterprise):
    response = as_user(county_user).put(
        enterprise_url(enterprise.uscc), {"name": "兰州城关精工有限公司"}, format="json"
    )

    assert response.status_code == 400
    assert {"legal_representative", "region", "industry"} <= set(response.json()["fields"])


def test_city_staff_move_an_enterprise_between_their_counties(as_user, city_user, enterprise):
    response = as_user(city_user).patch(
        enterprise_url(enterprise.uscc), {"region": "620103"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["region_name"] == "七里河区"


def test_county_staff_cannot_move_an_enterprise_out_of_their_county(
    as_user, county_user, enterprise
):
    response = as_user(county_user).patch(
        enterprise_url(enterprise.uscc), {"region": "620103"}, format="json"
    )

    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["fields"]["region"][0]
    enterprise.refresh_from_db()
    assert enterprise.region.code == "620102"


def test_deactivation_needs_a_reason(as_user, county_user, enterprise):
    response = as_user(county_user).post(deactivate_url(enterprise.uscc), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason"}
    enterprise.refresh_from_db()
    assert enterprise.is_active


def test_deactivation_keeps_the_record_with_its_reason(as_user, county_user, enterprise):
    client = as_user(county_user)

    response = client.post(
        deactivate_url(enterprise.uscc), {"reason": "企业已注销"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["is_active"] is False
    assert client.get(enterprise_url(enterprise.uscc)).json()["is_active"] is False
    latest = AuditEvent.objects.tracks(enterprise).order_by("-pgh_id").first()
    assert latest.reason == "企业已注销"
    assert latest.user_id == county_user.pk


# Browser sessions keep CSRF.


@pytest.fixture
def session_client(county_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(county_user)
    return client


def test_session_can_read(session_client, enterprise):
    assert codes(session_client.get(ENTERPRISES)) == [enterprise.uscc]


def test_session_write_without_csrf_token_is_refused(session_client):
    response = session_client.post(ENTERPRISES, registration(), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["message"]
    assert not Enterprise.objects.exists()


def test_session_write_with_csrf_token_is_accepted(session_client):
    secret = secrets.token_hex(16)
    session_client.cookies["csrftoken"] = secret

    response = session_client.post(
        ENTERPRISES, registration(), format="json", HTTP_X_CSRFTOKEN=secret
    )

    assert response.status_code == 201, response.json()


def test_session_of_an_expired_account_is_not_authenticated(session_client, county_user):
    county_user.expires_on = timezone.localdate()
    county_user.save()

    response = session_client.get(ENTERPRISES)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# Errors share one shape.


def test_error_shape_for_401_403_404_405(as_user, api_user, county_user, enterprise):
    unauthenticated = APIClient().get(ENTERPRISES)
    read_only = as_user(api_user).post(ENTERPRISES, registration(), format="json")
    missing = as_user(county_user).get(enterprise_url(make_uscc("620102")))
    delete = as_user(county_user).delete(enterprise_url(enterprise.uscc))

    assert unauthenticated.status_code == 401
    assert unauthenticated["WWW-Authenticate"] == "Bearer"
    assert read_only.status_code == 403
    assert missing.status_code == 404
    assert delete.status_code == 405
    for response, code in [
        (unauthenticated, "not_authenticated"),
        (read_only, "token_read_only"),
        (missing, "not_found"),
        (delete, "method_not_allowed"),
    ]:
        body = response.json()
        assert body == {"code": code, "message": body["message"], "fields": {}}
        assert body["message"]
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()


# Cursor pages.


def test_page_size_is_chosen_by_the_client_up_to_200(as_user, city_user):
    Enterprise.objects.bulk_create(EnterpriseFactory.build_batch(201))
    client = as_user(city_user)

    assert len(codes(client.get(ENTERPRISES, {"page_size": 7}))) == 7
    assert len(codes(client.get(ENTERPRISES))) == 50
    assert len(codes(client.get(ENTERPRISES, {"page_size": 1000}))) == 200


def test_default_order_is_by_credit_code(as_user, city_user):
    EnterpriseFactory.create_batch(5)

    seen = page_through(as_user(city_user), ENTERPRISES, {"page_size": 2})

    assert seen == sorted(Enterprise.objects.values_list("uscc", flat=True))


def sorted_codes(count, division="620102"):
    rng = random.Random(7)
    return sorted({make_uscc(division, rng) for _ in range(count)})


def test_rows_inserted_between_pages_cause_no_duplicates_or_misses(as_user, city_user):
    code = sorted_codes(20)
    original = code[1::2]
    for value in original:
        EnterpriseFactory(uscc=value)
    # Pages of three: after the first, a row lands before the cursor; after the second, one
    # right after it; after the third, one further on.
    arrivals = iter([code[0], code[12], code[18]])

    def insert():
        value = next(arrivals, None)
        if value is not None:
            EnterpriseFactory(uscc=value)

    seen = page_through(as_user(city_user), ENTERPRISES, {"page_size": 3}, between_pages=insert)

    assert seen == sorted([*original, code[12], code[18]])


@pytest.mark.parametrize("ordering", ["name", "-name", "founded_on", "-updated_at"])
def test_rows_sharing_the_ordering_value_are_paged_without_loss(as_user, city_user, ordering):
    same = EnterpriseFactory.create_batch(
        7, name="甘肃同名机械有限公司", founded_on=datetime.date(2010, 1, 1)
    )
    Enterprise.objects.update(updated_at=timezone.now())

    seen = page_through(as_user(city_user), ENTERPRISES, {"ordering": ordering, "page_size": 2})

    assert sorted(seen) == sorted(e.uscc for e in same)


def test_previous_link_leads_back_to_the_page_before(as_user, city_user):
    EnterpriseFactory.create_batch(5)
    client = as_user(city_user)
    first = client.get(ENTERPRISES, {"page_size": 2, "ordering": "-name"})

    second = client.get(first.json()["next"])
    back = client.get(second.json()["previous"])

    assert codes(back) == codes(first)
    assert first.json()["previous"] is None


def test_a_tampered_cursor_or_one_cut_for_another_order_is_refused(as_user, city_user):
    EnterpriseFactory.create_batch(3)
    client = as_user(city_user)
    next_url = client.get(ENTERPRISES, {"page_size": 1, "ordering": "name"}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]

    tampered = client.get(ENTERPRISES, {"cursor": "bm90IGEgY3Vyc29y"})
    other_order = client.get(ENTERPRISES, {"cursor": cursor, "ordering": "uscc"})
    # A malformed parameter like any other: 400 on the field, in the one error shape.
    assert (tampered.status_code, tampered.json()["code"]) == (400, "invalid")
    assert list(tampered.json()["fields"]) == ["cursor"]
    assert other_order.status_code == 400
    assert other_order.json()["code"] == "invalid"


# Incremental sync.


def test_updated_since_returns_only_rows_changed_from_then_on(as_user, city_user, enterprise):
    since = timezone.now()
    Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=since - datetime.timedelta(1))
    changed = EnterpriseFactory()

    response = as_user(city_user).get(ENTERPRISES, {"updated_since": since.isoformat()})

    assert codes(response) == [changed.uscc]


def test_incremental_sync_misses_no_change_made_while_paging(as_user, city_user):
    since = timezone.now() - datetime.timedelta(hours=1)
    untouched = EnterpriseFactory.create_batch(2)
    Enterprise.objects.update(updated_at=since - datetime.timedelta(days=1))
    changed = EnterpriseFactory.create_batch(7)
    # A bulk import gives many rows one timestamp; ties must not hide any of them.
    tie = since + datetime.timedelta(minutes=5)
    Enterprise.objects.filter(pk__in=[e.pk for e in changed[:5]]).update(updated_at=tie)
    edits = iter([changed[0], untouched[0], changed[6]])
    arrivals = []

    def others_keep_working():
        edit = next(edits, None)
        if edit is not None:
            services.enterprise_update(actor=city_user, enterprise=edit, main_products="阀门")
        arrivals.append(EnterpriseFactory())

    seen = page_through(
        as_user(city_user),
        ENTERPRISES,
        {"updated_since": since.isoformat(), "ordering": "updated_at", "page_size": 3},
        between_pages=others_keep_working,
    )

    expected = {e.uscc for e in [*changed, untouched[0], *arrivals]}
    assert set(seen) == expected
    assert untouched[1].uscc not in seen
    assert seen.count(changed[0].uscc) == 2  # edited after it was sent, so sent again


def test_deactivation_reaches_an_incremental_sync(as_user, county_user, enterprise):
    since = timezone.now()
    client = as_user(county_user)
    client.post(deactivate_url(enterprise.uscc), {"reason": "迁出本省"}, format="json")

    rows = client.get(ENTERPRISES, {"updated_since": since.isoformat()}).json()["results"]

    assert [(row["uscc"], row["is_active"]) for row in rows] == [(enterprise.uscc, False)]


# A page costs the same number of queries whatever its size.


@pytest.fixture
def many_enterprises(db):
    counties = [region("620102"), region("620103"), region("620104")]
    Enterprise.objects.bulk_create(
        EnterpriseFactory.build(region=counties[i % 3]) for i in range(210)
    )


# Token: the token and its owner's other tokens (knox), the owner's region, the page, and the
# log of who read the contacts on it.
# Session: the session, its user, the user's region, the page, the reading log.
@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("page_size", [5, 200])
def test_listing_costs_the_same_queries_at_any_page_size(
    as_user, city_user, many_enterprises, django_assert_num_queries, auth, page_size
):
    if auth == "token":
        client = as_user(city_user)
    else:
        client = APIClient()
        client.force_login(city_user)

    with django_assert_num_queries(5):
        response = client.get(ENTERPRISES, {"page_size": page_size, "ordering": "name"})

    assert len(codes(response)) == page_size


def test_filtering_by_region_adds_one_query_whatever_the_page_size(
    as_user, city_user, many_enterprises, django_assert_num_queries
):
    client = as_user(city_user)
    for page_size in (5, 200):
        with django_assert_num_queries(6):
            response = client.get(ENTERPRISES, {"region": "620100", "page_size": page_size})
        assert len(codes(response)) == page_size


# Throttling, counted in Redis.


def low_rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "100/minute", **rates},
    }


def test_token_traffic_beyond_its_rate_gets_429(settings, as_user, api_user):
    low_rates(settings, user="3/minute")
    client = as_user(api_user)

    statuses = [client.get(ENTERPRISES).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(ENTERPRISES)
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_anonymous_traffic_beyond_its_rate_gets_429(settings, client):
    low_rates(settings, anon="2/minute")

    statuses = [client.get(reverse("schema")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_each_token_owner_has_their_own_allowance(settings, as_user, api_user, city_user):
    low_rates(settings, user="1/minute")

    assert as_user(api_user).get(ENTERPRISES).status_code == 200
    assert as_user(city_user).get(ENTERPRISES).status_code == 200
    assert as_user(api_user).get(ENTERPRISES).status_code == 429
