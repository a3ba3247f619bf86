"""Shared fixtures: one account per role and region that the permission matrices use.

Regions and industries come from the data migration, so every test database has them.
"""

import datetime
import importlib
import uuid
from contextlib import contextmanager

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from tests.factories.accounts import UserFactory, api_token
from tests.factories.registry import EnterpriseFactory, region

# Data migrations whose rows the services and pages need, with the function that loads them
# again (idempotent).
REFERENCE_DATA = (
    ("registry.migrations.0002_load_reference_data", "load"),
    ("registry.migrations.0008_industry_classes", "load_classes"),
    ("registry.migrations.0010_load_2018_plan", "load"),
    ("certification.migrations.0002_seed_rule_sets", "seed"),
    ("certification.migrations.0007_gansu_zjtx_rule_set", "forwards"),
    ("certification.migrations.0009_rule_texts_in_english_complete", "forwards"),
    ("certification.migrations.0011_ruleset_periods", "close_the_2022_zjtx_period"),
    ("certification.migrations.0012_sme_and_certificate_conditions", "forwards"),
    ("subsidies.migrations.0002_seed_programs", "seed"),
    ("subsidies.migrations.0006_program_validity", "split"),
    ("financing.migrations.0002_credit_cultivation_target", "load"),
    ("financing.migrations.0002_credit_cultivation_target", "load"),
)


@pytest.fixture
def reference_data(transactional_db):
    """Load the migrated reference data again: a transactional test empties every table after it.

    Re-running the migrations' own loaders is used instead of Django's serialized rollback,
    which would rewrite the append-only history tables and be refused by their triggers.
    """
    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give each test its own cache namespace, so no throttle count carries over.

    Clearing the cache would flush the whole shared Redis database (Celery's queues too);
    a fresh key prefix empties it for this test alone, and the old keys expire on their own.
    """
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


# Wall-clock times at which the date-sensitive tests run besides the real clock: just after
# midnight Beijing time, when the UTC date is still the day before, and at noon, when both agree.
BEIJING_CLOCKS = {"after_midnight": datetime.time(0, 5), "noon": datetime.time(12, 0)}


def pytest_generate_tests(metafunc):
    if "beijing_clock" in metafunc.fixturenames:
        metafunc.parametrize("beijing_clock", list(BEIJING_CLOCKS), indirect=True)


@pytest.fixture
def beijing_clock(request):
    """Run the test with the clock set to today's Beijing date at one of BEIJING_CLOCKS.

    A module of date-sensitive tests uses it with
    ``pytestmark = pytest.mark.usefixtures("beijing_clock")``; each of its tests then runs once
    per clock. The clock keeps ticking, so ordering by time still works.
    """
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), BEIJING_CLOCKS[request.param])
    )
    with time_machine.travel(start, tick=True):
        yield start


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Tests create many accounts; the production hasher would spend seconds on each suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county_user(db):
    """County staff of 城关区 (兰州市)."""
    return UserFactory(username="chengguan", role=Role.COUNTY_STAFF, region=region("620102"))


@pytest.fixture
def other_county_user(db):
    """County staff of 七里河区, another county of the same city."""
    return UserFactory(username="qilihe", role=Role.COUNTY_STAFF, region=region("620103"))


@pytest.fixture
def city_user(db):
    """City staff of 兰州市."""
    return UserFactory(username="lanzhou", role=Role.CITY_STAFF, region=region("620100"))


@pytest.fixture
def other_city_user(db):
    """City staff of 天水市."""
    return UserFactory(username="tianshui", role=Role.CITY_STAFF, region=region("620500"))


@pytest.fixture
def province_user(db):
    return UserFactory(
        username="province", role=Role.PROVINCIAL_REVIEWER, region=region("620000")
    )


@pytest.fixture
def expert_user(db):
    return UserFactory(username="expert1", role=Role.EXPERT, region=None)


@pytest.fixture
def auditor_user(db):
    """A provincial auditor: reads everything, changes nothing."""
    return UserFactory(username="auditor", role=Role.AUDITOR, region=region("620000"))


@pytest.fixture
def api_user(db):
    """A read-only service account scoped to 兰州市."""
    return UserFactory(username="api-lanzhou", role=Role.API_CLIENT, region=region("620100"))


@pytest.fixture
def enterprise(db):
    """An enterprise of 城关区, 兰州市."""
    return EnterpriseFactory(name="兰州城关精密机械有限公司")


@pytest.fixture
def tianshui_enterprise(db):
    """An enterprise of 秦州区, 天水市."""
    return EnterpriseFactory(name="天水秦州电子科技有限公司", region=region("620502"))


@pytest.fixture
def as_user():
    """An API client sending a fresh Bearer token of ``user``; anonymous for None."""

    def client_for(user):
        client = APIClient()
        if user is not None:
            token = api_token(user)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return client_for


@pytest.fixture(autouse=True, scope="session")
def celery_configured():
    """Celery reads its configuration from the settings once, on first use: read it now, from
    the real settings, so that a test which first touches it with eager tasks switched on does
    not leave every later test eager (the worker tests would then run tasks in this process)."""
    from gansu_sme.celery import app as celery_app

    assert celery_app.conf.task_always_eager is False


@pytest.fixture
def tasks_sent_to_the_broker(settings):
    """Tasks go to the broker, whatever an earlier test left in Celery's configuration (tests
    that run tasks in place leave it eager after a whole run, for a reason not found yet)."""
    from gansu_sme.celery import app as celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def tasks_run_at_once(settings, monkeypatch):
    """Celery tasks run in the test's process (eagerly), and what the outbox is asked for is
    sent at once rather than after a commit that a test's transaction never makes."""
    from gansu_sme import outbox

    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(outbox, "after_commit", lambda callback: callback())
    with eager_celery_app():
        yield


@contextmanager
def eager_celery_app():
    from gansu_sme.celery import app as celery_app

    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates = previous
