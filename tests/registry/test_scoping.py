"""The one region-scoping rule, ``visible_to``, for every role and account state."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.utils import timezone

from accounts.choices import Role
from registry.models import Enterprise, Region
from registry.selectors import enterprise_list
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region

# One enterprise in each of these regions: two counties of 兰州, 兰州新区, a county of 天水
# and 嘉峪关 (a city without counties).
PLACES = ("620102", "620103", "LZXQ", "620502", "620200")


@pytest.fixture
def firms(db):
    return {code: EnterpriseFactory(region=region(code)) for code in PLACES}


def visible_codes(user):
    return set(Enterprise.objects.visible_to(user).values_list("region__code", flat=True))


def staff(role, code):
    return UserFactory(role=role, region=region(code) if code else None)


@pytest.mark.parametrize("role", [Role.PROVINCIAL_REVIEWER, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_provincial_roles_see_every_enterprise(firms, role):
    assert visible_codes(staff(role, "620000")) == set(PLACES)


def test_city_staff_see_the_enterprises_of_their_counties_only(firms, city_user):
    assert visible_codes(city_user) == {"620102", "620103"}


def test_county_staff_see_only_their_county(firms, county_user):
    assert visible_codes(county_user) == {"620102"}


def test_api_client_sees_only_its_region(firms, api_user):
    assert visible_codes(api_user) == {"620102", "620103"}


def test_lanzhou_new_area_and_lanzhou_city_staff_do_not_see_each_others_enterprises(
    firms, city_user
):
    new_area_staff = staff(Role.CITY_STAFF, "LZXQ")

    assert visible_codes(new_area_staff) == {"LZXQ"}
    assert "LZXQ" not in visible_codes(city_user)


def test_a_region_whose_path_merely_starts_with_the_same_characters_is_not_below_it(
    firms, city_user
):
    # "620000/6201009" begins with "620000/620100" as a string, but is a sibling of 兰州, not
    # part of it: scoping must compare whole path segments.
    sibling = Region.objects.create(
        code="6201009",
        name="测试市",
        level="prefecture",
        parent=region("620000"),
        path="620000/6201009",
        is_standard=False,
    )
    EnterpriseFactory(region=sibling)

    assert "6201009" not in visible_codes(city_user)
    assert not Region.objects.visible_to(city_user).filter(pk=sibling.pk).exists()


def test_region_choices_of_city_staff_are_their_city_and_its_counties(city_user):
    codes = set(Region.objects.visible_to(city_user).values_list("code", flat=True))

    assert codes == {"620100", "620102", "620103", "620104", "620105", "620111", "620121",
                     "620122", "620123"}


def test_experts_see_no_enterprises(firms, expert_user):
    assert visible_codes(expert_user) == set()


def test_an_expert_given_a_region_by_mistake_still_sees_nothing(firms):
    expert = staff(Role.EXPERT, "620100")

    assert visible_codes(expert) == set()


def test_a_user_without_a_region_sees_nothing(firms):
    assert visible_codes(staff(Role.CITY_STAFF, None)) == set()


def test_anonymous_and_missing_users_see_nothing(firms):
    assert not Enterprise.objects.visible_to(AnonymousUser()).exists()
    assert not Enterprise.objects.visible_to(None).exists()


def test_an_expired_account_sees_nothing(firms):
    user = staff(Role.PROVINCIAL_REVIEWER, "620000")
    user.expires_on = timezone.localdate()

    assert visible_codes(user) == set()


def test_an_account_expiring_tomorrow_still_sees_its_region(firms):
    user = staff(Role.COUNTY_STAFF, "620102")
    user.expires_on = timezone.localdate() + datetime.timedelta(days=1)

    assert visible_codes(user) == {"620102"}


def test_an_inactive_account_sees_nothing(firms):
    user = staff(Role.PROVINCIAL_REVIEWER, "620000")
    user.is_active = False

    assert visible_codes(user) == set()


def test_a_superuser_sees_everything(firms):
    admin = UserFactory(role=Role.PROVINCIAL_REVIEWER, region=None, is_superuser=True)

    assert visible_codes(admin) == set(PLACES)


def test_counts_and_aggregates_never_include_other_regions(firms, city_user):
    EnterpriseFactory.create_batch(3, region=region("620502"))
    visible = Enterprise.objects.visible_to(city_user)

    by_city = dict(visible.values_list("region__parent__code").annotate(n=Count("id")))

    assert visible.count() == 2
    assert by_city == {"620100": 2}
    assert enterprise_list(user=city_user).count() == 2
