from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import User
from demo.registry import DEMO_ACCOUNTS, HISTORY_REASON, demo_data_load
from gansu_sme.models import AuditEvent
from gansu_sme.querysets import region_path_q
from registry import uscc
from registry.models import Enterprise, Region

pytestmark = pytest.mark.django_db


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(User.objects.values_list("username", "password", "role", "region_id")),
        sorted(Enterprise.objects.values_list("uscc", "name", "region_id", "updated_at")),
        Enterprise.pgh_event_model.objects.count(),
    )


@pytest.fixture
def loaded():
    """The demo accounts and enterprises; the whole command (figures, pool, certification,
    subsidies, reports) takes ten times as long and is run by the tests of a second run."""
    return demo_data_load()


def test_a_second_run_duplicates_and_changes_nothing_a_changed_password_included():
    # One test for both: the whole command takes about a minute here.
    created = load_demo()
    user = User.objects.get(username="lanzhou")
    user.set_password("Changed-password-2026")
    user.save()
    first = snapshot()

    output = load_demo()

    assert snapshot() == first
    assert "unchanged" in output
    assert "created" in created
    assert authenticate(username="lanzhou", password="Changed-password-2026") == user


def test_at_least_300_enterprises_are_loaded(loaded):
    assert Enterprise.objects.count() >= 300


def test_every_prefecture_unit_has_enterprises(loaded):
    for unit in Region.objects.filter(level="prefecture"):
        below = Enterprise.objects.filter(region_path_q("region__path", unit.path))
        assert below.count() >= 5, unit.name


def test_every_county_has_at_least_one_enterprise(loaded):
    empty = Region.objects.filter(level="county", enterprises__isnull=True)

    assert list(empty) == []


def test_enterprises_sit_only_where_enterprises_can_be_held(loaded):
    regions = Region.objects.filter(enterprises__isnull=False).distinct()

    assert all(r.can_hold_enterprises for r in regions)


def test_every_credit_code_is_valid_and_carries_its_region_or_prefecture_code(loaded):
    for e in Enterprise.objects.select_related("region__parent"):
        assert uscc.validate(e.uscc) == e.uscc
        division = e.uscc[2:8]
        if e.region.code == "LZXQ":
            assert division == "620100"  # 兰州新区 has no GB/T 2260 code (RULES.md §5)
        else:
            assert division in {e.region.code, e.region.parent.code}, e.uscc


def test_manufacturing_dominates_the_demo_industries(loaded):
    total = Enterprise.objects.count()
    manufacturing = Enterprise.objects.filter(industry__section="C").count()

    assert manufacturing / total > 0.7
    assert Enterprise.objects.exclude(industry__section="C").exists()


def test_enterprise_records_are_complete_and_names_unique(loaded):
    rows = Enterprise.objects.values_list("name", "legal_representative", "main_products",
                                          "niche_market", "contact_phone")

    assert all(all(row) for row in rows)
    names = [row[0] for row in rows]
    assert len(set(names)) == len(names)
    assert all(name.endswith("有限公司") for name in names)


def test_demo_enterprises_are_attributed_to_the_demo_load_in_history(loaded):
    events = AuditEvent.objects.filter(pgh_model="registry.EnterpriseEvent")

    # One insert per firm; the size class derived from the demo figures is a later change.
    assert events.filter(pgh_label="insert").count() == Enterprise.objects.count()
    assert set(events.values_list("pgh_context__reason", flat=True)) == {HISTORY_REASON}


@pytest.mark.parametrize(("username", "role", "region_code", "full_name"), DEMO_ACCOUNTS)
def test_each_demo_account_has_its_role_and_region_and_signs_in(
    loaded, username, role, region_code, full_name
):
    user = authenticate(username=username, password=settings.DEMO_PASSWORD)

    assert user is not None
    assert (user.role, user.region.code if user.region else None) == (role, region_code)
    assert user.full_name == full_name
    assert not user.is_superuser
    user.full_clean()


def test_no_superuser_is_created(loaded):
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_demo_county_and_city_accounts_see_demo_enterprises(loaded):
    for username in ("chengguan", "lanzhou", "tianshui"):
        user = User.objects.get(username=username)
        assert Enterprise.objects.visible_to(user).exists(), username


def test_load_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        load_demo()

    assert not User.objects.exists()
