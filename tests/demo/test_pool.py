"""The demo pool and targets: complete, attributable, and written once."""

import pytest
from django.db.models import Count, F

from demo.pool import demo_pool_load
from demo.registry import DEMO_ACCOUNTS, HISTORY_REASON, demo_data_load
from gansu_sme.models import AuditEvent
from registry.choices import PoolEntryStatus, PoolKind, PoolTier, RegionLevel
from registry.models import (
    CultivationPlan,
    PoolEntry,
    PoolEntryTransition,
    Region,
    ServiceVisit,
    Target,
)

pytestmark = pytest.mark.django_db

TRACKED = (PoolEntry, CultivationPlan, ServiceVisit, Target)


@pytest.fixture
def loaded():
    demo_data_load()
    return demo_pool_load()


def snapshot():
    return [
        sorted(PoolEntry.objects.values_list("id", "status", "updated_at")),
        PoolEntryTransition.objects.count(),
        sorted(CultivationPlan.objects.values_list("id", "updated_at")),
        sorted(ServiceVisit.objects.values_list("id", "updated_at")),
        sorted(Target.objects.values_list("id", "value", "updated_at")),
        [model.pgh_event_model.objects.count() for model in TRACKED],
    ]


def test_a_second_run_writes_nothing(loaded):
    first = snapshot()

    again = demo_pool_load()

    assert again.unchanged
    assert snapshot() == first
    assert not loaded.unchanged


def test_without_demo_accounts_nothing_is_written(db):
    assert demo_pool_load().unchanged
    assert not PoolEntry.objects.exists()


def test_the_zjtx_pool_has_active_entries_at_every_tier(loaded):
    active = PoolEntry.objects.filter(pool=PoolKind.ZJTX, status=PoolEntryStatus.ACTIVE)

    tiers = dict(active.values_list("tier").annotate(n=Count("id")))

    assert all(tiers.get(tier, 0) >= 3 for tier in PoolTier.values), tiers


def test_the_scale_up_pool_has_county_and_city_entries_each_with_a_category(loaded):
    scale_up = PoolEntry.objects.filter(pool=PoolKind.SCALE_UP, status=PoolEntryStatus.ACTIVE)

    assert set(scale_up.values_list("tier", flat=True)) == {PoolTier.COUNTY, PoolTier.CITY}
    assert not scale_up.filter(category="").exists()
    overridden = scale_up.exclude(category=F("suggested_category"))
    assert not overridden.filter(category_override_reason="").exists()


def test_some_firms_went_from_county_to_city_to_province(loaded):
    top = PoolEntry.objects.filter(
        tier=PoolTier.PROVINCE, promoted_from__promoted_from__isnull=False
    )

    assert top.count() >= 3
    for entry in top:
        origin = entry.promoted_from.promoted_from
        assert (origin.tier, origin.status) == (PoolTier.COUNTY, PoolEntryStatus.PROMOTED)
        assert PoolEntryTransition.objects.filter(entry=origin).count() == 2


def test_some_entries_graduated_and_some_were_removed(loaded):
    statuses = set(PoolEntry.objects.values_list("status", flat=True))

    assert {PoolEntryStatus.GRADUATED, PoolEntryStatus.REMOVED} <= statuses


def test_active_entries_have_plans_and_visits(loaded):
    assert CultivationPlan.objects.count() >= 20
    assert ServiceVisit.objects.count() >= 40
    assert not ServiceVisit.objects.exclude(entry__status=PoolEntryStatus.ACTIVE).exists()


def test_targets_cover_two_years_the_province_every_unit_and_lanzhous_counties(loaded):
    units = set(Region.objects.filter(level=RegionLevel.PREFECTURE).values_list("code", flat=True))
    counties = set(Region.objects.filter(parent__code="620100").values_list("code", flat=True))
    years = sorted(set(Target.objects.values_list("year", flat=True)))

    assert len(years) == 2 and years[1] - years[0] == 1
    for year in years:
        codes = set(Target.objects.filter(year=year).values_list("region__code", flat=True))
        assert codes == {"620000"} | units | counties


def test_demo_rows_are_written_by_demo_staff_and_attributed_to_the_demo_load(loaded):
    staff = {username for username, *_ in DEMO_ACCOUNTS}

    assert set(PoolEntry.objects.values_list("admitted_by__username", flat=True)) <= staff
    assert set(PoolEntryTransition.objects.values_list("actor__username", flat=True)) <= staff
    assert set(Target.objects.values_list("set_by__username", flat=True)) == {
        "province", "lanzhou"
    }
    events = AuditEvent.objects.filter(
        pgh_model__in=[model.pgh_event_model._meta.label for model in TRACKED]
    )
    assert events.exists()
    assert set(events.values_list("pgh_context__reason", flat=True)) == {HISTORY_REASON}
