import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.registry import region

# Dates here come from timestamps: run at Beijing midnight as well as at noon.
pytestmark = pytest.mark.usefixtures("beijing_clock")

TODAY = timezone.localdate


def region_error(user):
    """The codes of the region errors ``user.clean()`` raises."""
    with pytest.raises(ValidationError) as err:
        user.clean()
    return [error.code for error in err.value.error_dict["region"]]


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.COUNTY_STAFF, "620102"),
        (Role.CITY_STAFF, "620100"),
        (Role.CITY_STAFF, "LZXQ"),
        (Role.PROVINCIAL_REVIEWER, "620000"),
        (Role.FINANCE_OFFICER, "620000"),
        (Role.AUDITOR, "620000"),
        (Role.API_CLIENT, "620000"),
        (Role.API_CLIENT, "620102"),
        (Role.EXPERT, None),
    ],
)
@pytest.mark.django_db
def test_each_role_is_accepted_at_its_region_level(role, code):
    User(username="u", role=role, region=region(code) if code else None).clean()


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.COUNTY_STAFF, "620100"),
        (Role.COUNTY_STAFF, "620000"),
        (Role.CITY_STAFF, "620102"),
        (Role.CITY_STAFF, "620000"),
        (Role.PROVINCIAL_REVIEWER, "620100"),
        (Role.FINANCE_OFFICER, "620102"),
        (Role.AUDITOR, "620100"),
    ],
)
@pytest.mark.django_db
def test_a_role_bound_to_the_wrong_region_level_is_refused(role, code):
    assert region_error(User(username="u", role=role, region=region(code))) == ["region_level"]


@pytest.mark.parametrize(
    "role", [Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER, Role.API_CLIENT]
)
def test_a_role_with_a_region_level_needs_a_region(role):
    assert region_error(User(username="u", role=role, region=None)) == ["region_required"]


@pytest.mark.django_db
def test_an_expert_is_not_bound_to_a_region():
    assert region_error(User(username="u", role=Role.EXPERT, region=region("620100"))) == [
        "region_not_allowed"
    ]


@pytest.mark.django_db
def test_an_account_signs_in_until_the_day_before_it_expires():
    UserFactory(username="zhang", expires_on=TODAY() + datetime.timedelta(days=1))

    assert authenticate(username="zhang", password=PASSWORD) is not None


@pytest.mark.parametrize("days_ago", [0, 30])
@pytest.mark.django_db
def test_an_expired_account_cannot_authenticate(days_ago):
    UserFactory(username="zhang", expires_on=TODAY() - datetime.timedelta(days=days_ago))

    assert authenticate(username="zhang", password=PASSWORD) is None


@pytest.mark.django_db
def test_an_inactive_account_cannot_authenticate():
    UserFactory(username="zhang", is_active=False)

    assert authenticate(username="zhang", password=PASSWORD) is None


@pytest.mark.django_db
def test_the_session_of_an_account_that_expires_becomes_anonymous(client):
    user = UserFactory(username="zhang")
    client.force_login(user)
    assert client.get("/").wsgi_request.user == user

    user.expires_on = TODAY()
    user.save(update_fields=["expires_on"])

    assert client.get("/").wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator_who_sees_everything(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Admin-password-2026")

    call_command(
        "createsuperuser", interactive=False, username="admin", email="admin@example.com",
        verbosity=0,
    )

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.role == Role.PROVINCIAL_REVIEWER
    assert authenticate(username="admin", password="Admin-password-2026") == admin


def test_has_role_is_true_for_a_listed_role_only():
    county = User(role=Role.COUNTY_STAFF)
    assert county.has_role(Role.COUNTY_STAFF, Role.CITY_STAFF)
    assert not county.has_role(Role.CITY_STAFF)
    assert not county.has_role()


def test_a_superuser_has_every_role():
    assert User(role=Role.EXPERT, is_superuser=True).has_role(Role.FINANCE_OFFICER)
