"""The pool-entries API through HTTP: scope, roles, actions, filters, paging and query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from registry.choices import POOL_ENTRY_TRANSITIONS, PoolEntryStatus, PoolKind, PoolTier
from registry.models import Enterprise, PoolEntry, PoolEntryTransition
from registry.services import pool_entry_admit, pool_entry_graduate
from tests.factories.accounts import UserFactory
from tests.factories.pool import PoolEntryFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.permissions import ACTORS, permission_matrix, user_of

ENTRIES = reverse("registry-api:pool-entry-list")
THIS_YEAR = timezone.localdate().year


def entry_url(entry, action=None):
    if action:
        return reverse(f"registry-api:pool-entry-{action}", args=[entry.pk])
    return reverse("registry-api:pool-entry-detail", args=[entry.pk])


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]





def admit(actor, enterprise, **overrides):
    fields = {
        "enterprise": enterprise,
        "pool": PoolKind.ZJTX,
        "tier": PoolTier.COUNTY,
        "admission_year": THIS_YEAR,
        "admission_reason": "细分市场占有率居全省前列",
    }
    fields.update(overrides)
    return pool_entry_admit(actor=actor, **fields)


@pytest.fixture
def entry(county_user, enterprise):
    """A county-tier 专精特新 entry of a 城关区 firm."""
    return admit(county_user, enterprise)


@pytest.fixture
def scale_entry(county_user, enterprise):
    return admit(county_user, enterprise, pool=PoolKind.SCALE_UP)


# Permission matrix: every endpoint and action, for each kind of caller.


# One column per actor above; the target is a county-tier entry of a 城关区 (兰州市) firm.
MATRIX = {
    "list entries": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "get entry": (401, 404, 200, 200, 200, 404, 404, 200, 200),
    "admit": (401, 403, 403, 403, 403, 400, 400, 201, 201),
    "edit entry": (401, 403, 403, 403, 200, 404, 404, 200, 200),
    "promote": (401, 403, 403, 403, 403, 404, 404, 403, 200),
    "graduate": (401, 403, 403, 403, 200, 404, 404, 200, 200),
    "remove": (401, 403, 403, 403, 200, 404, 404, 200, 200),
    "set category": (401, 403, 403, 403, 200, 404, 404, 200, 200),
    "replace entry": (401, 403, 403, 403, 405, 405, 405, 405, 405),
    "delete entry": (401, 403, 403, 403, 405, 405, 405, 405, 405),
}
# Callers whose region covers 城关区; only they may find the entry in a list.
COVERING = {"api_user", "auditor_user", "province_user", "county_user", "city_user"}


def send(client, operation, entry, scale_entry):
    newcomer = EnterpriseFactory(name="兰州新入库机械有限公司")
    reason = {"reason": "依据年度考核"}
    return {
        "list entries": lambda: client.get(ENTRIES),
        "get entry": lambda: client.get(entry_url(entry)),
        "admit": lambda: client.post(
            ENTRIES,
            {"enterprise": newcomer.uscc, "pool": "zjtx", "tier": "county",
             "admission_year": THIS_YEAR, "admission_reason": "新认定高新技术企业"},
            format="json",
        ),
        "edit entry": lambda: client.patch(
            entry_url(entry), {"contact_officer": "李强"}, format="json"
        ),
        "promote": lambda: client.post(entry_url(entry, "promote"), reason, format="json"),
        "graduate": lambda: client.post(entry_url(entry, "graduate"), reason, format="json"),
        "remove": lambda: client.post(entry_url(entry, "remove"), reason, format="json"),
        "set category": lambda: client.post(
            entry_url(scale_entry, "set-category"),
            {"category": "grow", "reason": "技改项目投产"},
            format="json",
        ),
        "replace entry": lambda: client.put(
            entry_url(entry), {"contact_officer": "李强"}, format="json"
        ),
        "delete entry": lambda: client.delete(entry_url(entry)),
    }[operation]()


def state():
    return sorted(
        PoolEntry.objects.values_list("id", "status", "contact_officer", "category")
    ), PoolEntryTransition.objects.count()


@permission_matrix(ACTORS, MATRIX)
def test_permission_matrix(
    request, as_user, entry, scale_entry, operation, actor, expected
):
    user = user_of(request, actor)
    before = state()

    response = send(as_user(user), operation, entry, scale_entry)

    assert response.status_code == expected, response.json()
    if operation == "list entries" and expected == 200:
        expected_ids = {entry.pk, scale_entry.pk} if actor in COVERING else set()
        assert set(ids(response)) == expected_ids
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert state() == before


# What each caller sees.


def test_city_staff_of_tianshui_cannot_see_lanzhou_pool_entries(
    as_user, other_city_user, entry, tianshui_enterprise
):
    tianshui_staff = UserFactory(role=Role.COUNTY_STAFF, region=region("620502"))
    theirs = admit(tianshui_staff, tianshui_enterprise)

    response = as_user(other_city_user).get(ENTRIES)

    assert ids(response) == [theirs.pk]
    assert as_user(other_city_user).get(entry_url(entry)).status_code == 404


def test_region_filter_includes_every_county_below(as_user, city_user, county_user, entry):
    neighbour = PoolEntryFactory(enterprise=EnterpriseFactory(region=region("620103")))
    client = as_user(city_user)

    assert set(ids(client.get(ENTRIES, {"region": "620100"}))) == {entry.pk, neighbour.pk}
    assert ids(client.get(ENTRIES, {"region": "620103"})) == [neighbour.pk]


def test_region_filter_on_another_city_reveals_nothing(as_user, city_user, entry):
    other_city = as_user(city_user).get(ENTRIES, {"region": "620500"})
    no_such_region = as_user(city_user).get(ENTRIES, {"region": "629999"})

    assert other_city.status_code == no_such_region.status_code == 400
    assert other_city.json() == no_such_region.json()


def test_pool_tier_status_year_and_search_filters(as_user, city_user, county_user, entry):
    city_tier = PoolEntryFactory(
        tier=PoolTier.CITY, admission_year=2024,
        enterprise=EnterpriseFactory(name="兰州永登水泥有限公司"),
    )
    scale = PoolEntryFactory(pool=PoolKind.SCALE_UP, category="keep")
    graduated = PoolEntryFactory(status=PoolEntryStatus.GRADUATED)
    client = as_user(city_user)

    assert ids(client.get(ENTRIES, {"pool": "scale_up"})) == [scale.pk]
    assert ids(client.get(ENTRIES, {"tier": "city"})) == [city_tier.pk]
    assert ids(client.get(ENTRIES, {"status": "graduated"})) == [graduated.pk]
    assert ids(client.get(ENTRIES, {"year": 2024})) == [city_tier.pk]
    assert ids(client.get(ENTRIES, {"category": "keep"})) == [scale.pk]
    assert ids(client.get(ENTRIES, {"search": "永登"})) == [city_tier.pk]
    assert ids(client.get(ENTRIES, {"search": entry.enterprise.uscc[:14]})) == [entry.pk]


def test_an_entry_names_its_enterprise_region_and_links(as_user, city_user, entry):
    body = as_user(city_user).get(entry_url(entry)).json()

    assert body["enterprise"] == entry.enterprise.uscc
    assert (body["region"], body["region_name"]) == ("620102", "城关区")
    assert (body["status"], body["promoted_from"], body["promoted_to"]) == ("active", None, None)


# Writes.


def test_county_staff_admit_and_get_the_entry_back(as_user, county_user, enterprise):
    response = as_user(county_user).post(
        ENTRIES,
        {"enterprise": enterprise.uscc.lower(), "pool": "zjtx", "tier": "county",
         "admission_year": THIS_YEAR, "admission_reason": "新认定高新技术企业",
         "track": "innovative", "contact_officer": "张丽"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["tier"], body["status"], body["track"]) == ("county", "active", "innovative")
    assert PoolEntry.objects.get(pk=body["id"]).admitted_by == county_user


def test_admitting_at_a_tier_the_role_does_not_keep_is_403(as_user, county_user, enterprise):
    response = as_user(county_user).post(
        ENTRIES,
        {"enterprise": enterprise.uscc, "pool": "zjtx", "tier": "city",
         "admission_year": THIS_YEAR, "admission_reason": "推荐"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_second_active_entry_is_refused_on_the_pool_field(as_user, county_user, entry):
    response = as_user(county_user).post(
        ENTRIES,
        {"enterprise": entry.enterprise.uscc, "pool": "zjtx", "tier": "county",
         "admission_year": THIS_YEAR, "admission_reason": "重复提交"},
        format="json",
    )

    assert response.status_code == 400
    assert "已在此培育库" in response.json()["fields"]["pool"][0]


def test_scale_up_admission_answers_with_the_suggested_category(
    as_user, county_user, enterprise
):
    verified_annual(enterprise, THIS_YEAR - 2, 1200)
    verified_annual(enterprise, THIS_YEAR - 1, 1500)
    client = as_user(county_user)
    body = {"enterprise": enterprise.uscc, "pool": "scale_up", "tier": "county",
            "admission_year": THIS_YEAR, "admission_reason": "主营收入逐年增长"}

    refused = client.post(ENTRIES, {**body, "category": "keep"}, format="json")
    response = client.post(ENTRIES, body, format="json")

    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"category_override_reason"}
    assert response.status_code == 201, response.json()
    assert (response.json()["category"], response.json()["suggested_category"]) == (
        "grow", "grow"
    )


def test_promotion_answers_with_the_entry_at_the_next_tier(as_user, city_user, entry):
    client = as_user(city_user)

    response = client.post(entry_url(entry, "promote"), {"reason": "市级推荐"}, format="json")

    body = response.json()
    assert response.status_code == 200, body
    assert (body["tier"], body["status"], body["promoted_from"]) == ("city", "active", entry.pk)
    old = client.get(entry_url(entry)).json()
    assert (old["status"], old["promoted_to"], old["closed_reason"]) == (
        "promoted", body["id"], "市级推荐"
    )


def test_a_closed_entry_cannot_move_again_and_answers_409(as_user, county_user, city_user, entry):
    pool_entry_graduate(actor=county_user, entry=entry, reason="已认定")

    response = as_user(city_user).post(entry_url(entry, "promote"), {"reason": "推荐"},
                                       format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


ACTION_OF = {
    PoolEntryStatus.PROMOTED: "promote",
    PoolEntryStatus.GRADUATED: "graduate",
    PoolEntryStatus.REMOVED: "remove",
}


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(s, t) for s, targets in POOL_ENTRY_TRANSITIONS.items() for t in targets.values()],
)
def test_each_allowed_transition_answers_200(as_user, city_user, entry, from_status, to_status):
    response = as_user(city_user).post(
        entry_url(entry, ACTION_OF[to_status]), {"reason": "依据年度考核"}, format="json"
    )

    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert (entry.status, PoolEntryTransition.objects.filter(entry=entry).last().from_status) == (
        to_status, from_status
    )


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (s, t)
        for s in POOL_ENTRY_TRANSITIONS
        for t in ACTION_OF
        if t not in POOL_ENTRY_TRANSITIONS[s].values() and t != s
    ],
)
def test_each_forbidden_transition_answers_409(as_user, city_user, entry, from_status, to_status):
    client = as_user(city_user)
    client.post(entry_url(entry, ACTION_OF[from_status]), {"reason": "先行处理"}, format="json")
    before = state()

    response = client.post(
        entry_url(entry, ACTION_OF[to_status]), {"reason": "依据年度考核"}, format="json"
    )

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "invalid_transition"
    assert state() == before


def test_an_action_without_a_reason_is_refused(as_user, county_user, entry):
    response = as_user(county_user).post(entry_url(entry, "remove"), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason"}
    entry.refresh_from_db()
    assert entry.status == PoolEntryStatus.ACTIVE


def test_status_cannot_be_written_by_an_edit(as_user, county_user, entry):
    response = as_user(county_user).patch(
        entry_url(entry), {"status": "graduated", "tier": "province", "contact_officer": "李强"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert (entry.status, entry.tier, entry.contact_officer) == ("active", "county", "李强")


# Cursor pages and query counts.


@pytest.fixture
def many_entries(county_user):
    Enterprise.objects.bulk_create(EnterpriseFactory.build() for _ in range(210))
    PoolEntry.objects.bulk_create(
        PoolEntry(
            enterprise=enterprise, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY,
            admission_year=THIS_YEAR, admission_reason="批量入库", admitted_by=county_user,
        )
        for enterprise in Enterprise.objects.all()
    )


# Token: the token and its owner's other tokens (knox), the owner's region, the page; a region
# filter adds the lookup of that region.
@pytest.mark.parametrize(
    ("params", "queries"),
    [({}, 4), ({"region": "620100"}, 5), ({"ordering": "enterprise_name", "pool": "zjtx"}, 4)],
)
@pytest.mark.parametrize("page_size", [5, 200])
def test_listing_costs_the_same_queries_for_5_or_200_rows(
    as_user, city_user, many_entries, django_assert_num_queries, params, queries, page_size
):
    client = as_user(city_user)

    with django_assert_num_queries(queries):
        response = client.get(ENTRIES, {**params, "page_size": page_size})

    assert len(ids(response)) == page_size


def test_paging_by_enterprise_name_neither_skips_nor_repeats(as_user, city_user, many_entries):
    client = as_user(city_user)
    seen = []
    response = client.get(ENTRIES, {"ordering": "enterprise_name", "page_size": 50})
    while True:
        seen += ids(response)
        if response.json()["next"] is None:
            break
        response = client.get(response.json()["next"])

    assert len(seen) == len(set(seen)) == PoolEntry.objects.count()
