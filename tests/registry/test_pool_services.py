"""Cultivation pool services: who admits, promotes and closes entries at which tier, the
transitions table, the 保/增/长/返/补 rules, plans and visits."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.choices import Role
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from gansu_sme.models import AuditEvent
from registry.choices import (
    POOL_ENTRY_TRANSITIONS,
    PeriodKind,
    PoolEntryStatus,
    PoolKind,
    PoolTier,
    PoolTrack,
    ReportStatus,
    ScaleUpCategory,
    VisitStatus,
)
from registry.models import (
    CultivationPlan,
    Industry,
    PoolEntry,
    PoolEntryTransition,
    ServiceVisit,
)
from registry.selectors import scale_up_category_suggest
from registry.services import (
    cultivation_plan_save,
    pool_entry_admit,
    pool_entry_graduate,
    pool_entry_promote,
    pool_entry_remove,
    pool_entry_set_category,
    pool_entry_update,
    service_visit_record,
    service_visit_update,
)
from tests.factories.accounts import UserFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.pool import PoolEntryFactory, ServiceVisitFactory, verified_annual
from tests.factories.registry import EnterpriseFactory, region

THIS_YEAR = timezone.localdate().year


def admission(enterprise, **overrides):
    fields = {
        "enterprise": enterprise,
        "pool": PoolKind.ZJTX,
        "tier": PoolTier.COUNTY,
        "admission_year": THIS_YEAR,
        "admission_reason": "细分市场占有率居全省前列",
        "track": PoolTrack.INNOVATIVE,
        "contact_officer": "张丽",
    }
    fields.update(overrides)
    return fields


def writes():
    """Entries, transitions and history events, to show that a refused call wrote nothing."""
    return (
        PoolEntry.objects.count(),
        PoolEntryTransition.objects.count(),
        PoolEntry.pgh_event_model.objects.count(),
    )


def transitions(entry):
    return list(
        PoolEntryTransition.objects.filter(entry=entry).values_list("from_status", "to_status")
    )


@pytest.fixture
def county_entry(county_user, enterprise):
    return pool_entry_admit(actor=county_user, **admission(enterprise))


@pytest.fixture
def city_entry(city_user, county_entry):
    return pool_entry_promote(actor=city_user, entry=county_entry, reason="市级推荐")


@pytest.fixture
def finance_user(db):
    return UserFactory(role=Role.FINANCE_OFFICER, region=region("620000"))


# Admission


def test_county_staff_admit_a_firm_of_their_county_at_county_tier(county_user, enterprise):
    entry = pool_entry_admit(actor=county_user, **admission(enterprise))

    entry.refresh_from_db()
    assert (entry.tier, entry.status, entry.admitted_by) == (
        PoolTier.COUNTY, PoolEntryStatus.ACTIVE, county_user
    )
    assert entry.closed_at is None
    row = PoolEntryTransition.objects.get(entry=entry)
    assert (row.from_status, row.to_status, row.actor, row.reason) == (
        "", PoolEntryStatus.ACTIVE, county_user, "细分市场占有率居全省前列"
    )
    event = AuditEvent.objects.tracks(entry).get()
    assert event.user_id == county_user.pk


def test_county_staff_cannot_admit_at_city_tier(county_user, enterprise):
    before = writes()

    with pytest.raises(PermissionDenied):
        pool_entry_admit(actor=county_user, **admission(enterprise, tier=PoolTier.CITY))

    assert writes() == before


@pytest.mark.parametrize("tier", [PoolTier.COUNTY, PoolTier.CITY])
def test_city_staff_admit_at_county_or_city_tier(city_user, enterprise, tier):
    entry = pool_entry_admit(actor=city_user, **admission(enterprise, tier=tier))

    assert entry.tier == tier


def test_city_staff_cannot_admit_at_province_tier(city_user, enterprise):
    with pytest.raises(PermissionDenied):
        pool_entry_admit(actor=city_user, **admission(enterprise, tier=PoolTier.PROVINCE))


@pytest.mark.parametrize("tier", [PoolTier.COUNTY, PoolTier.CITY])
def test_provincial_reviewers_admit_only_at_province_tier(province_user, enterprise, tier):
    with pytest.raises(PermissionDenied):
        pool_entry_admit(actor=province_user, **admission(enterprise, tier=tier))

    entry = pool_entry_admit(actor=province_user, **admission(enterprise, tier="province"))
    assert entry.tier == PoolTier.PROVINCE


def test_county_staff_cannot_admit_a_firm_of_another_county(other_county_user, enterprise):
    before = writes()

    with pytest.raises(OutOfScope):
        pool_entry_admit(actor=other_county_user, **admission(enterprise))

    assert writes() == before


def test_city_staff_of_tianshui_cannot_admit_a_lanzhou_firm(other_city_user, enterprise):
    with pytest.raises(OutOfScope):
        pool_entry_admit(actor=other_city_user, **admission(enterprise, tier=PoolTier.CITY))


@pytest.mark.parametrize("actor", ["expert_user", "api_user", "finance_user"])
def test_roles_that_keep_no_pool_cannot_admit(request, enterprise, actor):
    with pytest.raises(PermissionDenied):
        pool_entry_admit(actor=request.getfixturevalue(actor), **admission(enterprise))


def test_a_second_active_entry_in_the_same_pool_is_a_field_error(county_user, county_entry):
    before = writes()

    with pytest.raises(DomainError) as err:
        pool_entry_admit(actor=county_user, **admission(county_entry.enterprise))

    assert "已在此培育库" in err.value.fields["pool"][0]
    assert writes() == before


def test_the_database_refuses_a_second_active_entry_in_a_pool(county_entry):
    with pytest.raises(IntegrityError):
        PoolEntryFactory(enterprise=county_entry.enterprise, admitted_by=county_entry.admitted_by)


def test_a_firm_may_be_in_both_pools_at_once(county_user, county_entry):
    other = pool_entry_admit(
        actor=county_user,
        **admission(county_entry.enterprise, pool=PoolKind.SCALE_UP, track=""),
    )

    assert other.pool == PoolKind.SCALE_UP


def test_a_removed_firm_may_be_admitted_again(county_user, county_entry):
    pool_entry_remove(actor=county_user, entry=county_entry, reason="企业迁出")

    again = pool_entry_admit(actor=county_user, **admission(county_entry.enterprise))

    assert again.pk != county_entry.pk


def test_a_deactivated_enterprise_cannot_be_admitted(county_user, enterprise):
    enterprise.is_active = False
    enterprise.save()

    with pytest.raises(DomainError) as err:
        pool_entry_admit(actor=county_user, **admission(enterprise))

    assert "enterprise" in err.value.fields


def test_admission_needs_a_reason(county_user, enterprise):
    with pytest.raises(ValidationError) as err:
        pool_entry_admit(actor=county_user, **admission(enterprise, admission_reason="  "))

    assert "admission_reason" in err.value.message_dict


def test_an_admission_year_after_this_year_is_refused(county_user, enterprise):
    with pytest.raises(DomainError) as err:
        pool_entry_admit(actor=county_user, **admission(enterprise, admission_year=THIS_YEAR + 1))

    assert "admission_year" in err.value.fields


def test_a_category_belongs_to_the_scale_up_pool_only(county_user, enterprise):
    with pytest.raises(DomainError) as err:
        pool_entry_admit(
            actor=county_user, **admission(enterprise, category=ScaleUpCategory.GROW)
        )

    assert "category" in err.value.fields


def test_a_track_belongs_to_the_zjtx_pool_only(county_user, enterprise):
    with pytest.raises(DomainError) as err:
        pool_entry_admit(actor=county_user, **admission(enterprise, pool=PoolKind.SCALE_UP))

    assert "track" in err.value.fields


# Category at admission


def scale_up(enterprise, **overrides):
    return admission(enterprise, pool=PoolKind.SCALE_UP, track="", **overrides)


def test_scale_up_admission_stores_the_suggested_category(county_user, enterprise):
    verified_annual(enterprise, THIS_YEAR - 2, 1200)
    verified_annual(enterprise, THIS_YEAR - 1, 1500)

    entry = pool_entry_admit(actor=county_user, **scale_up(enterprise))

    assert (entry.category, entry.suggested_category, entry.category_override_reason) == (
        ScaleUpCategory.GROW, ScaleUpCategory.GROW, ""
    )


def test_another_category_than_the_suggestion_needs_a_reason(county_user, enterprise):
    verified_annual(enterprise, THIS_YEAR - 2, 1200)
    verified_annual(enterprise, THIS_YEAR - 1, 1500)
    before = writes()

    with pytest.raises(DomainError) as err:
        pool_entry_admit(
            actor=county_user, **scale_up(enterprise, category=ScaleUpCategory.ADD)
        )

    assert "category_override_reason" in err.value.fields
    assert writes() == before


def test_another_category_with_a_reason_is_kept_with_the_suggestion(county_user, enterprise):
    verified_annual(enterprise, THIS_YEAR - 2, 1200)
    verified_annual(enterprise, THIS_YEAR - 1, 1500)

    entry = pool_entry_admit(
        actor=county_user,
        **scale_up(
            enterprise, category=ScaleUpCategory.ADD, category_override_reason="新生产线年内投产"
        ),
    )

    assert (entry.category, entry.suggested_category, entry.category_override_reason) == (
        ScaleUpCategory.ADD, ScaleUpCategory.GROW, "新生产线年内投产"
    )


# Promotion


def test_city_staff_promote_a_county_entry_to_the_city_tier(city_user, county_entry):
    promoted = pool_entry_promote(actor=city_user, entry=county_entry, reason="市级推荐")

    county_entry.refresh_from_db()
    assert (county_entry.status, county_entry.closed_reason) == (
        PoolEntryStatus.PROMOTED, "市级推荐"
    )
    assert county_entry.closed_at is not None
    assert (promoted.tier, promoted.status, promoted.promoted_from) == (
        PoolTier.CITY, PoolEntryStatus.ACTIVE, county_entry
    )
    assert (promoted.track, promoted.contact_officer, promoted.admitted_by) == (
        PoolTrack.INNOVATIVE, "张丽", city_user
    )
    assert promoted.admission_year == THIS_YEAR
    assert transitions(county_entry) == [("", "active"), ("active", "promoted")]
    assert transitions(promoted) == [("", "active")]


def test_county_staff_cannot_promote_to_city_tier(county_user, county_entry):
    before = writes()

    with pytest.raises(PermissionDenied):
        pool_entry_promote(actor=county_user, entry=county_entry, reason="推荐")

    assert writes() == before


def test_provincial_reviewers_cannot_skip_the_city_tier(province_user, county_entry):
    with pytest.raises(PermissionDenied):
        pool_entry_promote(actor=province_user, entry=county_entry, reason="直接推荐")


def test_provincial_reviewers_promote_a_city_entry_to_the_province_tier(province_user, city_entry):
    promoted = pool_entry_promote(actor=province_user, entry=city_entry, reason="省级遴选")

    assert (promoted.tier, promoted.promoted_from) == (PoolTier.PROVINCE, city_entry)


def test_city_staff_cannot_promote_their_own_tier(city_user, city_entry):
    with pytest.raises(PermissionDenied):
        pool_entry_promote(actor=city_user, entry=city_entry, reason="推荐")


def test_a_province_tier_entry_has_no_tier_to_move_to(province_user, enterprise):
    entry = pool_entry_admit(actor=province_user, **admission(enterprise, tier="province"))

    with pytest.raises(InvalidTransition):
        pool_entry_promote(actor=province_user, entry=entry, reason="推荐")


def test_city_staff_of_tianshui_cannot_promote_lanzhou_entries(other_city_user, county_entry):
    with pytest.raises(OutOfScope):
        pool_entry_promote(actor=other_city_user, entry=county_entry, reason="推荐")


def test_promotion_needs_a_reason(city_user, county_entry):
    with pytest.raises(DomainError) as err:
        pool_entry_promote(actor=city_user, entry=county_entry, reason=" ")

    assert "reason" in err.value.fields
    county_entry.refresh_from_db()
    assert county_entry.status == PoolEntryStatus.ACTIVE


def test_promoting_twice_returns_the_entry_opened_the_first_time(city_user, county_entry):
    first = pool_entry_promote(actor=city_user, entry=county_entry, reason="市级推荐")
    before = writes()

    second = pool_entry_promote(actor=city_user, entry=county_entry, reason="市级推荐")

    assert second == first
    assert writes() == before


# Graduation and removal


def test_county_staff_graduate_their_county_tier_entry(county_user, county_entry):
    entry = pool_entry_graduate(actor=county_user, entry=county_entry, reason="已认定省级专精特新")

    assert (entry.status, entry.closed_reason) == (PoolEntryStatus.GRADUATED, "已认定省级专精特新")
    assert transitions(entry)[-1] == ("active", "graduated")


def test_city_staff_remove_a_county_tier_entry_of_their_city(city_user, county_entry):
    entry = pool_entry_remove(actor=city_user, entry=county_entry, reason="企业停产")

    assert entry.status == PoolEntryStatus.REMOVED


def test_county_staff_cannot_remove_a_city_tier_entry(county_user, city_entry):
    before = writes()

    with pytest.raises(PermissionDenied):
        pool_entry_remove(actor=county_user, entry=city_entry, reason="企业停产")

    assert writes() == before


def test_county_staff_of_another_county_cannot_graduate_the_entry(other_county_user, county_entry):
    with pytest.raises(OutOfScope):
        pool_entry_graduate(actor=other_county_user, entry=county_entry, reason="毕业")


@pytest.mark.parametrize("service", [pool_entry_graduate, pool_entry_remove])
def test_leaving_the_pool_needs_a_reason(county_user, county_entry, service):
    with pytest.raises(DomainError) as err:
        service(actor=county_user, entry=county_entry, reason="")

    assert "reason" in err.value.fields


def test_graduating_twice_records_one_transition(county_user, county_entry):
    pool_entry_graduate(actor=county_user, entry=county_entry, reason="毕业")
    before = writes()

    pool_entry_graduate(actor=county_user, entry=county_entry, reason="毕业")

    assert writes() == before


# The transitions table: every allowed edge works, every other edge is refused.

SERVICES = {
    PoolEntryStatus.PROMOTED: lambda actor, entry: pool_entry_promote(
        actor=actor, entry=entry, reason="推荐"
    ),
    PoolEntryStatus.GRADUATED: lambda actor, entry: pool_entry_graduate(
        actor=actor, entry=entry, reason="毕业"
    ),
    PoolEntryStatus.REMOVED: lambda actor, entry: pool_entry_remove(
        actor=actor, entry=entry, reason="出库"
    ),
}
ALLOWED = [(s, t) for s, targets in POOL_ENTRY_TRANSITIONS.items() for t in targets.values()]
FORBIDDEN = [
    (s, t)
    for s in POOL_ENTRY_TRANSITIONS
    for t in SERVICES
    if t not in POOL_ENTRY_TRANSITIONS[s].values() and t != s
]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_each_allowed_transition_moves_the_entry(city_user, county_entry, from_status, to_status):
    SERVICES[to_status](city_user, county_entry)

    county_entry.refresh_from_db()
    assert county_entry.status == to_status
    assert transitions(county_entry)[-1] == (from_status, to_status)


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_each_forbidden_transition_is_refused(city_user, county_entry, from_status, to_status):
    SERVICES[from_status](city_user, county_entry)
    before = writes()

    with pytest.raises(InvalidTransition):
        SERVICES[to_status](city_user, county_entry)

    county_entry.refresh_from_db()
    assert county_entry.status == from_status
    assert writes() == before


def test_the_forbidden_edges_cover_every_closed_status():
    assert {s for s, _t in FORBIDDEN} == {
        PoolEntryStatus.PROMOTED, PoolEntryStatus.GRADUATED, PoolEntryStatus.REMOVED
    }


# Changing an entry


def test_update_changes_the_contact_officer_and_history_names_the_actor(
    county_user, county_entry
):
    entry = pool_entry_update(
        actor=county_user, entry=county_entry, contact_officer="李强",
        contact_officer_phone="0931-8123456",
    )

    assert (entry.contact_officer, entry.contact_officer_phone) == ("李强", "0931-8123456")
    latest = AuditEvent.objects.tracks(entry).order_by("-pgh_id").first()
    assert latest.pgh_diff["contact_officer"] == ["张丽", "李强"]
    assert latest.user_id == county_user.pk


def test_an_unchanged_update_writes_nothing(county_user, county_entry):
    before = writes()

    pool_entry_update(actor=county_user, entry=county_entry, contact_officer="张丽")

    assert writes() == before


def test_county_staff_cannot_change_a_city_tier_entry(county_user, city_entry):
    with pytest.raises(PermissionDenied):
        pool_entry_update(actor=county_user, entry=city_entry, contact_officer="李强")


def test_a_closed_entry_cannot_be_changed(county_user, county_entry):
    pool_entry_graduate(actor=county_user, entry=county_entry, reason="毕业")

    with pytest.raises(InvalidTransition):
        pool_entry_update(actor=county_user, entry=county_entry, contact_officer="李强")


def test_update_refuses_fields_it_does_not_keep(county_user, county_entry):
    with pytest.raises(DomainError):
        pool_entry_update(actor=county_user, entry=county_entry, tier=PoolTier.PROVINCE)


# Setting the category


@pytest.fixture
def scale_up_entry(county_user, enterprise):
    verified_annual(enterprise, THIS_YEAR - 2, 1200)
    verified_annual(enterprise, THIS_YEAR - 1, 1500)
    return pool_entry_admit(actor=county_user, **scale_up(enterprise))


def test_setting_the_suggested_category_needs_no_reason(county_user, scale_up_entry):
    pool_entry_set_category(
        actor=county_user, entry=scale_up_entry, category=ScaleUpCategory.ADD, reason="新产能"
    )

    entry = pool_entry_set_category(
        actor=county_user, entry=scale_up_entry, category=ScaleUpCategory.GROW
    )

    assert (entry.category, entry.category_override_reason) == (ScaleUpCategory.GROW, "")


def test_overriding_the_category_needs_a_reason_kept_in_history(county_user, scale_up_entry):
    with pytest.raises(DomainError) as err:
        pool_entry_set_category(
            actor=county_user, entry=scale_up_entry, category=ScaleUpCategory.KEEP
        )
    assert "category_override_reason" in err.value.fields

    entry = pool_entry_set_category(
        actor=county_user, entry=scale_up_entry, category=ScaleUpCategory.KEEP,
        reason="订单已签，预计年底达规",
    )

    assert (entry.category, entry.category_override_reason) == (
        ScaleUpCategory.KEEP, "订单已签，预计年底达规"
    )
    latest = AuditEvent.objects.tracks(entry).order_by("-pgh_id").first()
    assert latest.pgh_diff["category"] == ["grow", "keep"]
    assert latest.user_id == county_user.pk


def test_setting_the_same_category_again_writes_nothing(county_user, scale_up_entry):
    before = writes()

    pool_entry_set_category(actor=county_user, entry=scale_up_entry, category="grow")

    assert writes() == before


def test_a_zjtx_entry_has_no_category(county_user, county_entry):
    with pytest.raises(DomainError) as err:
        pool_entry_set_category(actor=county_user, entry=county_entry, category="grow")

    assert "category" in err.value.fields


# Plans and visits


def plan_fields(**overrides):
    fields = {
        "measures": "协调技改贷款贴息",
        "goals": "年内主营业务收入突破2000万元",
        "responsible_official": "王晓燕",
        "review_on": datetime.date(THIS_YEAR, 12, 31),
    }
    fields.update(overrides)
    return fields


def test_county_staff_write_a_plan_for_a_city_tier_entry_of_their_county(
    county_user, city_entry
):
    plan = cultivation_plan_save(actor=county_user, entry=city_entry, **plan_fields())

    assert (plan.entry, plan.created_by) == (city_entry, county_user)


def test_editing_a_plan_unchanged_writes_nothing(county_user, county_entry):
    plan = cultivation_plan_save(actor=county_user, entry=county_entry, **plan_fields())
    events = CultivationPlan.pgh_event_model.objects.count()

    cultivation_plan_save(actor=county_user, entry=county_entry, plan=plan, **plan_fields())
    edited = cultivation_plan_save(
        actor=county_user, entry=county_entry, plan=plan, **plan_fields(goals="突破3000万元")
    )

    assert edited.goals == "突破3000万元"
    assert CultivationPlan.pgh_event_model.objects.count() == events + 1


def test_staff_of_another_city_cannot_write_a_plan(other_city_user, county_entry):
    with pytest.raises(OutOfScope):
        cultivation_plan_save(actor=other_city_user, entry=county_entry, **plan_fields())


def test_read_only_roles_cannot_write_plans_or_visits(api_user, county_entry):
    with pytest.raises(PermissionDenied):
        cultivation_plan_save(actor=api_user, entry=county_entry, **plan_fields())
    with pytest.raises(PermissionDenied):
        service_visit_record(
            actor=api_user, entry=county_entry, visited_on=datetime.date(THIS_YEAR, 1, 5),
            officer="张丽", problems="融资难",
        )


def test_a_closed_entry_takes_no_new_plan(county_user, county_entry):
    pool_entry_remove(actor=county_user, entry=county_entry, reason="出库")

    with pytest.raises(InvalidTransition):
        cultivation_plan_save(actor=county_user, entry=county_entry, **plan_fields())


def test_the_same_visit_submitted_twice_is_recorded_once(county_user, county_entry):
    visit = {
        "visited_on": datetime.date(THIS_YEAR, 1, 5), "officer": "张丽", "problems": "融资难",
    }

    first = service_visit_record(actor=county_user, entry=county_entry, **visit)
    second = service_visit_record(actor=county_user, entry=county_entry, **visit)

    assert first == second
    assert ServiceVisit.objects.count() == 1
    assert first.status == VisitStatus.OPEN


def test_a_visit_cannot_be_dated_in_the_future(county_user, county_entry):
    with pytest.raises(DomainError) as err:
        service_visit_record(
            actor=county_user, entry=county_entry,
            visited_on=timezone.localdate() + datetime.timedelta(days=1),
            officer="张丽", problems="融资难",
        )

    assert "visited_on" in err.value.fields


def test_a_visit_outcome_can_be_recorded_after_the_entry_was_promoted(
    county_user, city_user, county_entry
):
    visit = ServiceVisitFactory(entry=county_entry, created_by=county_user)
    pool_entry_promote(actor=city_user, entry=county_entry, reason="市级推荐")

    updated = service_visit_update(
        actor=county_user, visit=visit, actions="协调银行授信500万元",
        status=VisitStatus.RESOLVED,
    )

    assert (updated.status, updated.actions) == (VisitStatus.RESOLVED, "协调银行授信500万元")


def test_staff_of_another_county_cannot_change_a_visit(other_county_user, county_entry):
    visit = ServiceVisitFactory(entry=county_entry)

    with pytest.raises(OutOfScope):
        service_visit_update(actor=other_county_user, visit=visit, status=VisitStatus.RESOLVED)


# The suggested category, rule by rule at its boundaries (rules in registry.scaleup).

YEAR = 2026


def suggest(enterprise, registered=False):
    return scale_up_category_suggest(enterprise, year=YEAR, statistics_registered=registered)


@pytest.fixture
def firm(db):
    """An industrial firm (C35) founded long ago, so 增 applies only by missing figures."""
    return EnterpriseFactory(founded_on=datetime.date(2010, 1, 1))


def figures(firm, **revenues):
    """Verified annual reports: ``y2025=1500`` gives 1,500 万元 for 2025."""
    for key, revenue in revenues.items():
        verified_annual(firm, int(key[1:]), revenue)


@pytest.mark.parametrize(("revenue", "category"), [("2000", "fill"), ("1999.99", "")])
def test_fill_starts_at_the_threshold_for_firms_not_in_the_statistics(firm, revenue, category):
    figures(firm, y2024="1999.99", y2025=revenue)

    assert suggest(firm).category == category


@pytest.mark.parametrize(
    ("revenue", "category"), [("2000", "keep"), ("2200", "keep"), ("2200.01", "")]
)
def test_keep_covers_registered_firms_up_to_ten_percent_above_the_threshold(
    firm, revenue, category
):
    figures(firm, y2024="2500", y2025=revenue)

    assert suggest(firm, registered=True).category == category


@pytest.mark.parametrize("above_in", ["y2024", "y2023"])
def test_return_when_above_scale_in_either_of_the_two_years_before(firm, above_in):
    figures(firm, **{"y2025": "1999.99", above_in: "2000"})

    suggestion = suggest(firm)

    assert suggestion.category == "return"
    assert str(int(above_in[1:])) in suggestion.explanation


def test_no_return_when_above_scale_only_three_years_before(firm):
    figures(firm, y2025="800", y2024="800", y2023="800", y2022="2500")

    assert suggest(firm).category == ""


@pytest.mark.parametrize(("revenue", "category"), [("1000", "grow"), ("999.99", "")])
def test_grow_needs_half_the_threshold(firm, revenue, category):
    figures(firm, y2024="900", y2025=revenue)

    assert suggest(firm).category == category


def test_grow_needs_revenue_up_on_the_year_before(firm):
    figures(firm, y2024="1500", y2025="1500")

    assert suggest(firm).category == ""


def test_grow_explanation_names_both_years_and_figures(firm):
    figures(firm, y2024="1200", y2025="1500")

    suggestion = suggest(firm)

    assert "1,500.00" in suggestion.explanation and "1,200.00" in suggestion.explanation
    assert [(f.year, f.above_scale) for f in suggestion.figures] == [(2025, False), (2024, False)]


@pytest.mark.parametrize(("founded", "category"), [(2024, "add"), (2023, "")])
def test_add_covers_firms_founded_within_three_years(db, founded, category):
    young = EnterpriseFactory(founded_on=datetime.date(founded, 12, 31))
    figures(young, y2024="300", y2025="300")

    assert suggest(young).category == category


def test_add_when_there_are_no_figures_for_the_year_before(firm):
    figures(firm, y2025="300", y2023="200")

    assert suggest(firm).category == "add"


@pytest.mark.parametrize(("founded", "category"), [(2025, "add"), (2015, "")])
def test_without_any_figures_only_a_young_firm_gets_add(db, founded, category):
    young = EnterpriseFactory(founded_on=datetime.date(founded, 3, 1))

    assert suggest(young).category == category


def test_a_firm_outside_industry_gets_no_category(db):
    shop = EnterpriseFactory(industry=Industry.objects.get(code="F52"))
    figures(shop, y2024="3000", y2025="1500")

    assert suggest(shop).category == ""


def test_only_verified_annual_reports_count(firm):
    figures(firm, y2023="900", y2024="900")
    MonitoringReportFactory(
        enterprise=firm, year=2025, status=ReportStatus.SUBMITTED,
        main_business_revenue=1500,
    )
    MonitoringReportFactory(
        enterprise=firm, year=2025, period_kind=PeriodKind.MONTH, period=6,
        status=ReportStatus.VERIFIED, main_business_revenue=1500,
    )

    suggestion = suggest(firm)

    assert [f.year for f in suggestion.figures] == [2024, 2023]
    assert suggestion.category == ""


def test_figures_after_the_year_asked_about_are_ignored(firm):
    figures(firm, y2024="1200", y2025="1500", y2027="3000")

    assert suggest(firm).category == "grow"
