"""Browser pages of the cultivation pool: who reaches them, what they show and what they write."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from registry.choices import PoolEntryStatus, PoolKind, PoolTier, VisitStatus
from registry.models import CultivationPlan, PoolEntry, ServiceVisit
from registry.services import pool_entry_admit, pool_entry_promote
from tests.factories.accounts import UserFactory
from tests.factories.pool import (
    CultivationPlanFactory,
    PoolEntryFactory,
    ServiceVisitFactory,
    verified_annual,
)
from tests.factories.registry import EnterpriseFactory, region

LIST_URL = reverse("registry:pool-entry-list")
THIS_YEAR = timezone.localdate().year


def url(name, entry, *args):
    return reverse(f"registry:{name}", args=[entry.pk, *args])


def listed(response):
    """Ids of the entries on a list page, in order."""
    return [int(pk) for pk in re.findall(r'<tr data-entry="(\d+)">', response.text)]


@pytest.fixture
def entry(county_user, enterprise):
    return pool_entry_admit(
        actor=county_user, enterprise=enterprise, pool=PoolKind.ZJTX, tier=PoolTier.COUNTY,
        admission_year=THIS_YEAR, admission_reason="细分市场占有率居全省前列",
        contact_officer="张丽",
    )


# --- who reaches which page -------------------------------------------------------------------

PAGES = {
    "list": ("get", lambda e: f"{LIST_URL}?pool=zjtx"),
    "detail": ("get", lambda e: url("pool-entry-detail", e)),
    "edit": ("get", lambda e: url("pool-entry-edit", e)),
    "admit": ("get", lambda e: reverse("registry:pool-entry-admit", args=[e.enterprise.uscc])),
    "promote": ("post", lambda e: url("pool-entry-promote", e)),
    "graduate": ("post", lambda e: url("pool-entry-graduate", e)),
    "remove": ("post", lambda e: url("pool-entry-remove", e)),
    "category": ("post", lambda e: url("pool-entry-category", e)),
    "new plan": ("get", lambda e: url("pool-plan-create", e)),
    "new visit": ("get", lambda e: url("pool-visit-create", e)),
}
POST_DATA = {
    "promote-reason": "推荐", "graduate-reason": "毕业", "remove-reason": "出库",
    "category-category": "grow", "category-reason": "理由",
}


def call(client, page, entry):
    method, make_url = PAGES[page]
    if method == "post":
        return client.post(make_url(entry), POST_DATA)
    return client.get(make_url(entry))


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, entry, page):
    response = call(client, page, entry)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    ("page", "actor"),
    [
        ("list", "expert_user"),
        ("detail", "expert_user"),
        *((page, "api_user") for page in PAGES if page not in ("list", "detail")),
        ("promote", "county_user"),
        ("promote", "province_user"),
    ],
)
def test_roles_without_the_right_get_the_403_page(client, request, entry, page, actor):
    client.force_login(request.getfixturevalue(actor))

    response = call(client, page, entry)

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    entry.refresh_from_db()
    assert entry.status == PoolEntryStatus.ACTIVE


@pytest.mark.parametrize("page", [p for p in PAGES if p != "list"])
@pytest.mark.parametrize("actor", ["other_city_user", "other_county_user"])
def test_another_regions_entry_is_not_found(client, request, entry, page, actor):
    client.force_login(request.getfixturevalue(actor))

    response = call(client, page, entry)

    assert response.status_code == 404
    assert entry.enterprise.name not in response.text


# --- pool pages -------------------------------------------------------------------------------


def test_the_bare_pool_address_opens_the_current_zjtx_pool(client, county_user):
    client.force_login(county_user)

    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url == f"{LIST_URL}?pool=zjtx&status=active"


def test_city_staff_of_tianshui_cannot_see_lanzhou_pool_entries(
    client, other_city_user, entry, tianshui_enterprise
):
    theirs = PoolEntryFactory(enterprise=tianshui_enterprise)
    client.force_login(other_city_user)

    response = client.get(LIST_URL, {"pool": "zjtx"})

    assert listed(response) == [theirs.pk]
    assert entry.enterprise.name not in response.text


def test_tabs_and_tier_selector_filter_the_list(client, city_user, entry):
    city_tier = PoolEntryFactory(tier=PoolTier.CITY)
    scale = PoolEntryFactory(pool=PoolKind.SCALE_UP)
    client.force_login(city_user)

    assert set(listed(client.get(LIST_URL, {"pool": "zjtx"}))) == {entry.pk, city_tier.pk}
    assert listed(client.get(LIST_URL, {"pool": "zjtx", "tier": "city"})) == [city_tier.pk]
    response = client.get(LIST_URL, {"pool": "scale_up"})
    assert listed(response) == [scale.pk]
    assert re.search(r'<a href="\?pool=scale_up"\s+aria-current="page">', response.text)


def test_status_filter_shows_closed_entries_only_when_asked(client, city_user, entry):
    gone = PoolEntryFactory(status=PoolEntryStatus.REMOVED)
    client.force_login(city_user)

    assert listed(client.get(LIST_URL, {"pool": "zjtx", "status": "active"})) == [entry.pk]
    assert listed(client.get(LIST_URL, {"pool": "zjtx", "status": "removed"})) == [gone.pk]


def test_column_headers_sort_by_name_both_ways(client, city_user):
    for name in ("兰州乙公司", "兰州甲公司", "兰州丙公司"):
        PoolEntryFactory(enterprise=EnterpriseFactory(name=name))
    client.force_login(city_user)

    ascending = client.get(LIST_URL, {"pool": "zjtx", "ordering": "enterprise_name"})
    descending = client.get(LIST_URL, {"pool": "zjtx", "ordering": "-enterprise_name"})

    assert listed(ascending) == list(reversed(listed(descending)))
    assert 'aria-sort="ascending"' in ascending.text


def test_htmx_requests_get_only_the_results(client, county_user, entry):
    client.force_login(county_user)

    response = client.get(LIST_URL, {"pool": "zjtx"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<section id="pool-results"')
    assert listed(response) == [entry.pk]


@pytest.mark.parametrize("rows", [5, 50])
def test_list_page_makes_the_same_queries_for_5_or_50_rows(
    client, city_user, django_assert_num_queries, rows
):
    admitted_by = UserFactory(role=Role.COUNTY_STAFF)
    for _ in range(rows):
        PoolEntryFactory(admitted_by=admitted_by)
    client.force_login(city_user)

    # Session, user, the user's region, the menu's task count, the regions of the filter, the
    # count and the page.
    with django_assert_num_queries(7):
        response = client.get(LIST_URL, {"pool": "zjtx", "status": "active"})

    assert len(listed(response)) == rows


# --- entry page -------------------------------------------------------------------------------


def test_city_staff_see_the_promote_form_and_county_staff_do_not(
    client, county_user, city_user, entry
):
    client.force_login(county_user)
    county_page = client.get(url("pool-entry-detail", entry)).text
    client.force_login(city_user)
    city_page = client.get(url("pool-entry-detail", entry)).text

    promote = url("pool-entry-promote", entry)
    assert promote not in county_page and url("pool-entry-remove", entry) in county_page
    assert promote in city_page


def test_readers_see_the_entry_without_forms(client, api_user, entry):
    client.force_login(api_user)

    html = client.get(url("pool-entry-detail", entry)).text

    assert entry.enterprise.name in html
    assert "<form method=\"post\"" not in html.split('<main id="main"')[1]


def test_city_staff_promote_an_entry_in_the_browser(client, city_user, entry):
    client.force_login(city_user)

    response = client.post(url("pool-entry-promote", entry), {"promote-reason": "市级推荐"})

    promoted = PoolEntry.objects.get(promoted_from=entry)
    assert response.status_code == 302
    assert response.url == url("pool-entry-detail", promoted)
    page = client.get(response.url).text
    assert "市级推荐" in page
    assert url("pool-entry-detail", entry) in page  # the promotion path links back


def test_promotion_without_a_reason_shows_the_error(client, city_user, entry):
    client.force_login(city_user)

    response = client.post(url("pool-entry-promote", entry), {"promote-reason": ""})

    assert response.status_code == 400
    assert response.context["transition_forms"]["promote"].errors
    entry.refresh_from_db()
    assert entry.status == PoolEntryStatus.ACTIVE


def test_entry_page_shows_plans_visits_and_transitions_of_the_whole_path(
    client, county_user, city_user, entry
):
    CultivationPlanFactory(entry=entry, measures="对接省级工业设计中心")
    ServiceVisitFactory(entry=entry, problems="流动资金紧张")
    promoted = pool_entry_promote(actor=city_user, entry=entry, reason="市级推荐")
    client.force_login(city_user)

    html = client.get(url("pool-entry-detail", promoted)).text

    assert "对接省级工业设计中心" in html
    assert "流动资金紧张" in html
    assert html.count("市级推荐") >= 2  # the closing of one entry and the opening of the next


def entry_page_queries(client, entry):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("pool-entry-detail", entry))
    assert response.status_code == 200
    return len(queries)


def test_entry_page_costs_the_same_queries_however_long_its_record(
    client, county_user, city_user, entry
):
    client.force_login(county_user)
    CultivationPlanFactory(entry=entry, created_by=county_user)
    ServiceVisitFactory(entry=entry, created_by=county_user)
    PoolEntry.objects.filter(pk=entry.pk).update(contact_officer="刘洋")
    short = entry_page_queries(client, entry)
    for _ in range(10):
        CultivationPlanFactory(entry=entry)
        ServiceVisitFactory(entry=entry)
    for officer in ("李强", "王芳", "赵磊"):
        PoolEntry.objects.filter(pk=entry.pk).update(contact_officer=officer)

    assert entry_page_queries(client, entry) == short


def test_scale_up_entry_shows_the_suggestion_with_its_figures(client, county_user, enterprise):
    verified_annual(enterprise, THIS_YEAR - 2, 1200)
    verified_annual(enterprise, THIS_YEAR - 1, 1500)
    scale = pool_entry_admit(
        actor=county_user, enterprise=enterprise, pool=PoolKind.SCALE_UP, tier=PoolTier.COUNTY,
        admission_year=THIS_YEAR, admission_reason="主营收入逐年增长",
    )
    client.force_login(county_user)

    response = client.get(url("pool-entry-detail", scale))

    assert response.context["detail"].suggestion.category == "grow"
    assert "1500.00" in response.text and "1200.00" in response.text


def test_setting_another_category_needs_a_reason_in_the_browser(
    client, county_user, enterprise
):
    scale = PoolEntryFactory(enterprise=enterprise, pool=PoolKind.SCALE_UP)
    client.force_login(county_user)
    target = url("pool-entry-category", scale)

    refused = client.post(target, {"category-category": "grow"})
    saved = client.post(target, {"category-category": "grow", "category-reason": "技改投产"})

    assert refused.status_code == 400
    assert "category_override_reason" not in refused.context["category_form"].fields
    assert refused.context["category_form"].non_field_errors()
    assert saved.status_code == 302
    scale.refresh_from_db()
    assert (scale.category, scale.category_override_reason) == ("grow", "技改投产")


# --- admission from the enterprise page ------------------------------------------------------


def test_enterprise_page_lists_its_entries_and_offers_admission(client, county_user, entry):
    client.force_login(county_user)

    html = client.get(reverse("registry:enterprise-detail", args=[entry.enterprise.uscc])).text

    assert url("pool-entry-detail", entry) in html
    assert reverse("registry:pool-entry-admit", args=[entry.enterprise.uscc]) in html


def test_readers_get_no_admission_button_on_the_enterprise_page(client, api_user, entry):
    client.force_login(api_user)

    html = client.get(reverse("registry:enterprise-detail", args=[entry.enterprise.uscc])).text

    assert url("pool-entry-detail", entry) in html
    assert reverse("registry:pool-entry-admit", args=[entry.enterprise.uscc]) not in html


def test_county_staff_are_offered_only_the_county_tier(client, county_user, enterprise):
    client.force_login(county_user)

    form = client.get(reverse("registry:pool-entry-admit", args=[enterprise.uscc])).context["form"]

    assert [value for value, _label in form.fields["tier"].choices] == ["county"]


def test_county_staff_admit_an_enterprise_in_the_browser(client, county_user, enterprise):
    client.force_login(county_user)

    response = client.post(
        reverse("registry:pool-entry-admit", args=[enterprise.uscc]),
        {"pool": "zjtx", "tier": "county", "admission_year": THIS_YEAR,
         "admission_reason": "新认定高新技术企业", "track": "innovative"},
    )

    entry = PoolEntry.objects.get()
    assert response.status_code == 302
    assert response.url == url("pool-entry-detail", entry)
    assert (entry.tier, entry.track, entry.admitted_by) == ("county", "innovative", county_user)


def test_a_second_admission_shows_the_services_message(client, county_user, entry):
    client.force_login(county_user)

    response = client.post(
        reverse("registry:pool-entry-admit", args=[entry.enterprise.uscc]),
        {"pool": "zjtx", "tier": "county", "admission_year": THIS_YEAR,
         "admission_reason": "重复提交"},
    )

    assert response.status_code == 400
    assert "已在此培育库" in str(response.context["form"].errors["pool"])
    assert PoolEntry.objects.count() == 1


# --- edits, plans and visits ------------------------------------------------------------------


def test_county_staff_change_the_contact_officer(client, county_user, entry):
    client.force_login(county_user)

    response = client.post(
        url("pool-entry-edit", entry),
        {"contact_officer": "李强", "contact_officer_phone": "0931-8123456",
         "track": "innovative"},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.contact_officer, entry.track) == ("李强", "innovative")


def test_county_staff_cannot_open_the_edit_page_of_a_city_tier_entry(
    client, county_user, city_user, entry
):
    promoted = pool_entry_promote(actor=city_user, entry=entry, reason="市级推荐")
    client.force_login(county_user)

    assert client.get(url("pool-entry-edit", promoted)).status_code == 403


def test_write_and_edit_a_plan(client, county_user, entry):
    client.force_login(county_user)
    fields = {"measures": "协调技改贷款贴息", "goals": "主营收入突破2000万元",
              "responsible_official": "王晓燕", "review_on": f"{THIS_YEAR}-12-31"}

    created = client.post(url("pool-plan-create", entry), fields)
    plan = CultivationPlan.objects.get()
    edited = client.post(url("pool-plan-edit", entry, plan.pk), {**fields, "goals": "突破3000万元"})

    assert (created.status_code, edited.status_code) == (302, 302)
    plan.refresh_from_db()
    assert (plan.goals, plan.created_by) == ("突破3000万元", county_user)


def test_record_a_visit_and_mark_it_resolved(client, county_user, entry):
    client.force_login(county_user)
    today = timezone.localdate()
    fields = {"visited_on": today.isoformat(), "officer": "张丽", "status": "open",
              "problems": "用地指标不足", "actions": ""}

    form = client.get(url("pool-visit-create", entry)).context["form"]
    client.post(url("pool-visit-create", entry), fields)
    visit = ServiceVisit.objects.get()
    client.post(
        url("pool-visit-edit", entry, visit.pk),
        {**fields, "status": "resolved", "actions": "协调工业园区标准化厂房"},
    )

    assert (form["officer"].value(), form["visited_on"].value()) == ("张丽", today)
    visit.refresh_from_db()
    assert (visit.status, visit.actions) == (VisitStatus.RESOLVED, "协调工业园区标准化厂房")


def test_a_visit_dated_tomorrow_is_refused_on_the_field(client, county_user, entry):
    client.force_login(county_user)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        url("pool-visit-create", entry),
        {"visited_on": tomorrow.isoformat(), "officer": "张丽", "status": "open",
         "problems": "用地指标不足"},
    )

    assert response.status_code == 400
    assert "visited_on" in response.context["form"].errors
    assert not ServiceVisit.objects.exists()


def test_another_entrys_plan_is_not_found(client, county_user, entry):
    other = PoolEntryFactory(pool=PoolKind.SCALE_UP, enterprise=entry.enterprise)
    plan = CultivationPlanFactory(entry=other)
    client.force_login(county_user)

    assert client.get(url("pool-plan-edit", entry, plan.pk)).status_code == 404


def test_nav_marks_the_pool_link_on_pool_pages(client, county_user, entry):
    client.force_login(county_user)

    html = client.get(url("pool-entry-detail", entry)).text

    assert re.search(r'href="/enterprises/pool/"\s+aria-current="page"', html)
    assert not re.search(r'href="/enterprises/"\s+aria-current="page"', html)


def test_a_lanzhou_new_area_firm_is_admitted_by_its_own_staff(client, db):
    staff = UserFactory(role=Role.CITY_STAFF, region=region("LZXQ"))
    firm = EnterpriseFactory(region=region("LZXQ"))
    client.force_login(staff)

    response = client.post(
        reverse("registry:pool-entry-admit", args=[firm.uscc]),
        {"pool": "zjtx", "tier": "city", "admission_year": THIS_YEAR,
         "admission_reason": "新区重点培育"},
    )

    assert response.status_code == 302
    assert PoolEntry.objects.get().tier == "city"
