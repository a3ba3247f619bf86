"""Targets: who sets them for which region, how progress is counted, the API and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from certification.choices import CertificateLevel
from gansu_sme.exceptions import DomainError, PermissionDenied
from registry import metrics
from registry.choices import PoolEntryStatus, PoolKind, PoolTier, ReportStatus, TargetMetric
from registry.models import Industry, Region, Target
from registry.selectors import target_progress
from registry.services import pool_entry_graduate, pool_entry_promote, target_set
from tests.factories.accounts import UserFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, TargetFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region
from tests.permissions import ACTORS, permission_matrix, user_of

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")

THIS_YEAR = timezone.localdate().year
TARGETS = reverse("registry-api:target-list")
PROGRESS = reverse("registry-api:target-progress")
PROGRESS_PAGE = reverse("registry:target-progress")
SET_PAGE = reverse("registry:target-set")

TargetEvent = Target.pgh_event_model


@pytest.fixture
def finance_user(db):
    return UserFactory(role=Role.FINANCE_OFFICER, region=region("620000"))



def set_target(actor, code, metric=TargetMetric.POOL_COUNTY, value=10, **kwargs):
    target, _created = target_set(
        actor=actor, year=kwargs.pop("year", THIS_YEAR), region=region(code), metric=metric,
        value=value, **kwargs,
    )
    return target


# Who sets targets for which region


def test_provincial_reviewers_set_targets_for_the_province_and_its_cities(province_user):
    province = set_target(province_user, "620000", value=100)
    city = set_target(province_user, "620500", value=12)
    new_area = set_target(province_user, "LZXQ", value=4)

    assert [(t.region.code, t.value, t.set_by) for t in (province, city, new_area)] == [
        ("620000", 100, province_user), ("620500", 12, province_user), ("LZXQ", 4, province_user)
    ]


def test_provincial_reviewers_leave_county_targets_to_the_cities(province_user):
    with pytest.raises(DomainError) as err:
        set_target(province_user, "620102")

    assert "region" in err.value.fields
    assert not Target.objects.exists()


def test_city_staff_set_targets_for_their_counties(city_user):
    target = set_target(city_user, "620123", metric=TargetMetric.NET_NEW_ABOVE_SCALE, value=3)

    assert (target.region.name, target.metric, target.value) == ("榆中县", "net_new_above_scale", 3)


@pytest.mark.parametrize("code", ["620100", "620000", "620502"])
def test_city_staff_cannot_set_their_own_or_anothers_targets(city_user, code):
    with pytest.raises(DomainError) as err:
        set_target(city_user, code)

    assert "region" in err.value.fields


def test_new_area_staff_have_no_counties_to_set_targets_for(db):
    staff = UserFactory(role=Role.CITY_STAFF, region=region("LZXQ"))

    with pytest.raises(DomainError):
        set_target(staff, "LZXQ")


@pytest.mark.parametrize("actor", ["county_user", "api_user", "finance_user", "expert_user"])
def test_other_roles_cannot_set_targets(db, request, actor):
    with pytest.raises(PermissionDenied):
        set_target(request.getfixturevalue(actor), "620102")


def test_setting_a_target_again_replaces_it_and_history_keeps_both(province_user, city_user):
    set_target(city_user, "620102", value=10)
    other_city = UserFactory(role=Role.CITY_STAFF, region=region("620100"))

    target = set_target(other_city, "620102", value=14, note="年中调整")

    assert Target.objects.count() == 1
    assert (target.value, target.note, target.set_by) == (14, "年中调整", other_city)
    events = TargetEvent.objects.filter(pgh_obj=target).order_by("pgh_id")
    assert list(events.values_list("value", flat=True)) == [10, 14]


def test_setting_the_same_value_again_writes_nothing(city_user):
    set_target(city_user, "620102", value=10, note="年度目标")
    before = (TargetEvent.objects.count(), Target.objects.get().updated_at)

    set_target(city_user, "620102", value=10, note="年度目标")

    assert (TargetEvent.objects.count(), Target.objects.get().updated_at) == before


def test_a_negative_target_is_refused(city_user):
    with pytest.raises(ValidationError) as err:
        set_target(city_user, "620102", value=-1)

    assert "value" in err.value.message_dict


# Progress


def actuals(user, year=THIS_YEAR):
    return {
        (p.target.region.code, p.target.metric): p.actual
        for p in target_progress(user=user, year=year)
    }


def entry_in(code, **fields):
    return PoolEntryFactory(enterprise=EnterpriseFactory(region=region(code)), **fields)


def test_target_progress_counts_only_the_region_subtree(province_user):
    for code in ("620000", "620100", "620500", "620102"):
        TargetFactory(region=region(code), metric=TargetMetric.POOL_COUNTY)
    entry_in("620102")
    entry_in("620102")
    entry_in("620103")
    entry_in("620502")
    entry_in("620102", tier=PoolTier.CITY)

    assert actuals(province_user) == {
        ("620000", "pool_county"): 4,
        ("620100", "pool_county"): 3,
        ("620102", "pool_county"): 2,
        ("620500", "pool_county"): 1,
    }


def test_tier_targets_count_the_zjtx_pool_and_scale_up_has_its_own(province_user):
    for metric in ("pool_county", "pool_city", "pool_province", "pool_scale_up"):
        TargetFactory(region=region("620100"), metric=metric)
    entry_in("620102", tier=PoolTier.CITY)
    entry_in("620102", tier=PoolTier.PROVINCE)
    entry_in("620103", pool=PoolKind.SCALE_UP, tier=PoolTier.COUNTY)
    entry_in("620103", pool=PoolKind.SCALE_UP, tier=PoolTier.CITY)

    assert actuals(province_user) == {
        ("620100", "pool_county"): 0,
        ("620100", "pool_city"): 1,
        ("620100", "pool_province"): 1,
        ("620100", "pool_scale_up"): 2,
    }


def test_pool_size_counts_the_entries_in_the_pool_at_the_end_of_the_year(
    province_user, county_user, city_user
):
    TargetFactory(region=region("620100"), metric="pool_county")
    TargetFactory(region=region("620100"), metric="pool_county", year=THIS_YEAR - 1)
    promoted = entry_in("620102", admission_year=THIS_YEAR - 1)
    graduated = entry_in("620102", admission_year=THIS_YEAR - 1)
    entry_in("620102", admission_year=THIS_YEAR - 1)
    entry_in("620102", admission_year=THIS_YEAR)
    pool_entry_promote(actor=city_user, entry=promoted, reason="市级推荐")
    pool_entry_graduate(actor=county_user, entry=graduated, reason="毕业")

    assert actuals(province_user)[("620100", "pool_county")] == 2
    assert actuals(province_user, THIS_YEAR - 1)[("620100", "pool_county")] == 3


def test_an_entry_closed_before_the_year_ended_is_not_counted(province_user):
    TargetFactory(region=region("620100"), metric="pool_county", year=2024)
    entry_in("620102", admission_year=2023, status=PoolEntryStatus.REMOVED,
             closed_at=timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 0)))
    entry_in("620102", admission_year=2023, status=PoolEntryStatus.REMOVED,
             closed_at=timezone.make_aware(datetime.datetime(2025, 1, 1, 0, 0)))

    assert actuals(province_user, 2024)[("620100", "pool_county")] == 1


def test_net_new_above_scale_counts_firms_that_crossed_minus_those_that_fell(province_user):
    for code in ("620000", "620100"):
        TargetFactory(region=region(code), metric="net_new_above_scale", year=2025)
    old = datetime.date(2010, 1, 1)

    def firm(code="620102", founded=old, industry="C35"):
        return EnterpriseFactory(
            region=region(code), founded_on=founded, industry=Industry.objects.get(code=industry)
        )

    crossed = firm()
    verified_annual(crossed, 2024, "1999.99")
    verified_annual(crossed, 2025, "2000")
    fell = firm("620103")
    verified_annual(fell, 2024, "2500")
    verified_annual(fell, 2025, "1500")
    new_firm = firm(founded=datetime.date(2025, 3, 1))
    verified_annual(new_firm, 2025, "2300")
    no_prior_report = firm()
    verified_annual(no_prior_report, 2025, "3000")
    no_report_this_year = firm()
    verified_annual(no_report_this_year, 2024, "3000")
    shop = firm(industry="F52")
    verified_annual(shop, 2024, "1000")
    verified_annual(shop, 2025, "5000")
    unverified = firm()
    verified_annual(unverified, 2024, "1500")
    MonitoringReportFactory(enterprise=unverified, year=2025, status=ReportStatus.SUBMITTED,
                            main_business_revenue=2500)
    tianshui = firm("620502")
    verified_annual(tianshui, 2024, "1500")
    verified_annual(tianshui, 2025, "2500")

    assert actuals(province_user, 2025) == {
        ("620000", "net_new_above_scale"): 2,
        ("620100", "net_new_above_scale"): 1,
    }


def test_certified_firms_and_little_giants_count_certificates_valid_at_the_years_end(
    province_user,
):
    TargetFactory(region=region("620000"), metric="certified", value=200, year=2025)
    TargetFactory(region=region("620100"), metric="certified", value=20, year=2025)
    TargetFactory(region=region("620000"), metric="little_giant", value=10, year=2025)
    def lanzhou():
        return EnterpriseFactory(region=region("620102"))

    # Valid on 2025-12-31: counted; ended the day before, or issued the day after: not.
    CertificateFactory(enterprise=lanzhou(), issued_on=datetime.date(2023, 1, 1),
                       valid_until=datetime.date(2025, 12, 31))
    CertificateFactory(enterprise=lanzhou(), issued_on=datetime.date(2022, 12, 31),
                       valid_until=datetime.date(2025, 12, 30))
    CertificateFactory(enterprise=lanzhou(), issued_on=datetime.date(2026, 1, 1))
    CertificateFactory(enterprise=EnterpriseFactory(region=region("620502")),
                       issued_on=datetime.date(2025, 6, 1))
    CertificateFactory(enterprise=lanzhou(), level=CertificateLevel.NATIONAL,
                       issued_on=datetime.date(2025, 12, 31))

    assert actuals(province_user, 2025) == {
        ("620000", "certified"): 2, ("620100", "certified"): 1, ("620000", "little_giant"): 1,
    }
    assert not any(row.pending for row in target_progress(user=province_user, year=2025))


def test_a_metric_no_app_counts_is_pending_not_zero(province_user, monkeypatch):
    monkeypatch.setattr(metrics, "_TARGET_COUNTERS", {})
    TargetFactory(region=region("620000"), metric="certified", value=200)
    TargetFactory(region=region("620000"), metric="little_giant", value=10)

    rows = target_progress(user=province_user, year=THIS_YEAR)

    assert [(r.target.metric, r.actual, r.percent, r.pending) for r in rows] == [
        ("certified", None, None, True), ("little_giant", None, None, True)
    ]


@pytest.mark.parametrize(
    ("value", "entries", "percent", "bar"),
    [(4, 3, "75.0", 75), (3, 1, "33.3", 33), (2, 3, "150.0", 100), (0, 1, None, 0)],
)
def test_percent_achieved_and_bar_width(province_user, value, entries, percent, bar):
    TargetFactory(region=region("620100"), metric="pool_county", value=value)
    for _ in range(entries):
        entry_in("620102")

    [row] = target_progress(user=province_user, year=THIS_YEAR)

    assert (None if row.percent is None else str(row.percent), row.bar) == (percent, bar)


def test_progress_lists_only_targets_in_the_users_region(other_city_user, province_user):
    TargetFactory(region=region("620100"))
    TargetFactory(region=region("620500"))
    TargetFactory(region=region("620000"))

    assert list(actuals(other_city_user)) == [("620500", "pool_county")]


@pytest.mark.parametrize("regions", [1, 15])
def test_progress_costs_four_queries_whatever_the_number_of_targets(
    province_user, django_assert_num_queries, regions
):
    units = Region.objects.filter(level="prefecture").order_by("path")[:regions]
    for unit in units:
        for metric in ("pool_county", "pool_scale_up", "net_new_above_scale", "certified"):
            TargetFactory(region=unit, metric=metric)
        entry_in(unit.children.first().code if unit.children.exists() else unit.code)

    # Targets, pool entries, directory moves, certificates.
    with django_assert_num_queries(4):
        rows = target_progress(user=province_user, year=THIS_YEAR)

    assert len(rows) == regions * 4


# API




@pytest.fixture
def county_target(city_user):
    """The 城关区 target for this year's county-tier pool, set by 兰州."""
    return set_target(city_user, "620102", value=8)


MATRIX = {
    "list targets": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "get target": (401, 404, 200, 200, 200, 404, 404, 200, 200),
    "set target": (401, 403, 403, 403, 400, 400, 403, 403, 200),
    "progress": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "delete target": (401, 403, 403, 403, 405, 405, 403, 403, 405),
}
COVERING = {"api_user", "auditor_user", "province_user", "county_user", "city_user"}


def send(client, operation, target):
    detail = reverse("registry-api:target-detail", args=[target.pk])
    return {
        "list targets": lambda: client.get(TARGETS),
        "get target": lambda: client.get(detail),
        "set target": lambda: client.post(
            TARGETS,
            {"year": THIS_YEAR, "region": "620102", "metric": "pool_county", "value": 9},
            format="json",
        ),
        "progress": lambda: client.get(PROGRESS, {"year": THIS_YEAR}),
        "delete target": lambda: client.delete(detail),
    }[operation]()


@permission_matrix(ACTORS, MATRIX)
def test_permission_matrix(request, as_user, county_target, operation, actor, expected):
    user = user_of(request, actor)

    response = send(as_user(user), operation, county_target)

    assert response.status_code == expected, response.json()
    if operation == "list targets" and expected == 200:
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([county_target.pk] if actor in COVERING else [])
    if operation == "progress" and expected == 200:
        regions = [row["region"] for row in response.json()]
        assert regions == (["620102"] if actor in COVERING else [])
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert Target.objects.get().value == 8


def test_posting_a_new_target_answers_201_and_a_replacement_200(as_user, province_user):
    client = as_user(province_user)
    body = {"year": THIS_YEAR, "region": "620500", "metric": "pool_city", "value": 6}

    created = client.post(TARGETS, body, format="json")
    replaced = client.post(TARGETS, {**body, "value": 7, "note": "调增"}, format="json")

    assert (created.status_code, replaced.status_code) == (201, 200)
    assert replaced.json()["id"] == created.json()["id"]
    assert (replaced.json()["value"], replaced.json()["note"]) == (7, "调增")


def test_targets_filter_by_year_region_and_metric(as_user, province_user):
    a = set_target(province_user, "620100", metric="pool_city", value=5)
    b = set_target(province_user, "620500", metric="pool_city", value=5, year=THIS_YEAR - 1)
    c = set_target(province_user, "620500", metric="certified", value=5)
    client = as_user(province_user)

    def ids(params):
        return {row["id"] for row in client.get(TARGETS, params).json()["results"]}

    assert ids({"year": THIS_YEAR - 1}) == {b.pk}
    assert ids({"region": "620500"}) == {b.pk, c.pk}
    assert ids({"metric": "pool_city"}) == {a.pk, b.pk}


def test_progress_endpoint_gives_actual_and_percent(as_user, city_user, county_target):
    for _ in range(2):
        entry_in("620102")

    rows = as_user(city_user).get(PROGRESS, {"year": THIS_YEAR}).json()

    assert rows == [{
        "year": THIS_YEAR, "region": "620102", "region_name": "城关区", "metric": "pool_county",
        "target": 8, "actual": 2, "percent": "25.0",
    }]


def test_progress_endpoint_needs_a_year(as_user, city_user):
    response = as_user(city_user).get(PROGRESS)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"year"}


@pytest.mark.parametrize("page_size", [5, 200])
def test_listing_targets_costs_the_same_queries_at_any_page_size(
    as_user, province_user, django_assert_num_queries, page_size
):
    units = list(Region.objects.filter(level__in=["prefecture", "county"]))[:70]
    for unit in units:
        for metric in ("pool_county", "pool_city", "pool_scale_up"):
            TargetFactory(region=unit, metric=metric, set_by=province_user)
    client = as_user(province_user)

    with django_assert_num_queries(4):
        response = client.get(TARGETS, {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


# Pages


def test_progress_page_shows_target_actual_and_bar_for_each_region(client, city_user):
    set_target(city_user, "620102", value=4)
    set_target(city_user, "620103", metric="pool_scale_up", value=2)
    entry_in("620102")
    client.force_login(city_user)

    response = client.get(PROGRESS_PAGE)

    assert response.status_code == 200
    html = response.text
    assert 'data-region="620102"' in html and 'data-region="620103"' in html
    assert 'aria-valuenow="25"' in html
    assert '<rect width="25" height="1"/>' in html


def test_progress_page_shows_certified_firms_counted_from_certificates(client, province_user):
    TargetFactory(region=region("620000"), metric="certified", value=200)
    CertificateFactory(issued_on=timezone.localdate())
    client.force_login(province_user)

    html = client.get(PROGRESS_PAGE).text

    assert 'class="num pending"' not in html
    assert '<td class="num actual">1</td>' in html


def test_progress_page_year_selector_shows_the_chosen_year(client, province_user):
    TargetFactory(region=region("620000"), year=2025, value=7)
    client.force_login(province_user)

    response = client.get(PROGRESS_PAGE, {"year": 2025})

    assert '<option value="2025" selected>' in response.text
    assert 'data-region="620000"' in response.text
    assert 'data-region="620000"' not in client.get(PROGRESS_PAGE).text


@pytest.mark.parametrize("regions", [1, 15])
def test_progress_page_costs_the_same_queries_for_any_number_of_regions(
    client, province_user, django_assert_num_queries, regions
):
    for unit in Region.objects.filter(level="prefecture").order_by("path")[:regions]:
        for metric in ("pool_county", "certified"):
            TargetFactory(region=unit, metric=metric)
    client.force_login(province_user)

    # Session, user, the user's region, the menu's task count, the years with targets, the
    # targets, the pool counts and the certificates; reports are read only when a net-new
    # target is shown. Then the plan's section, 14 whatever the regions: the plan and its
    # targets, its hand-entered figures, and one query per computed metric (the figures of
    # annual reports from the kept region figures, whatever the years they add up; the firms
    # in credit cultivation).
    with django_assert_num_queries(8 + 14):
        response = client.get(PROGRESS_PAGE)

    assert response.status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(PROGRESS_PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("page", "actor"), [
    (PROGRESS_PAGE, "expert_user"), (SET_PAGE, "expert_user"), (SET_PAGE, "county_user"),
    (SET_PAGE, "api_user"),
])
def test_roles_without_the_right_get_the_403_page(db, client, request, page, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(page).status_code == 403


def test_city_staff_choose_among_their_counties_only(client, city_user):
    client.force_login(city_user)

    form = client.get(SET_PAGE).context["form"]

    codes = {r.code for r in form.fields["region"].queryset}
    assert codes == set(
        Region.objects.filter(parent__code="620100").values_list("code", flat=True)
    )


def test_city_staff_set_a_county_target_in_the_browser(client, city_user):
    client.force_login(city_user)

    response = client.post(SET_PAGE, {
        "year": THIS_YEAR, "region": region("620102").pk, "metric": "pool_county", "value": 5,
        "note": "年度目标",
    })

    assert response.status_code == 302
    assert response.url == f"{PROGRESS_PAGE}?year={THIS_YEAR}"
    assert Target.objects.get().value == 5


def test_a_region_outside_the_choices_is_refused_on_the_form(client, city_user):
    client.force_login(city_user)

    response = client.post(SET_PAGE, {
        "year": THIS_YEAR, "region": region("620502").pk, "metric": "pool_county", "value": 5,
    })

    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not Target.objects.exists()
