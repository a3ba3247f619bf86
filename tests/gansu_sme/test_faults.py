"""Faults injected inside the services: a database error after the first write, Redis down.

Nothing is half written; with Redis unreachable the site signs in, serves pages and takes a
filing, whose task waits in the outbox and reaches Redis when it is back.
"""

import datetime
import json
import time

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from rest_framework.test import APIClient

from gansu_sme import outbox
from gansu_sme.celery import app as celery_app
from gansu_sme.models import OutboxMessage
from registry.choices import ImportKind, ImportStatus
from registry.imports import ENTERPRISE_COLUMNS
from registry.models import Enterprise, ImportJob
from registry.services import (
    import_job_confirm,
    import_job_create,
    import_job_restart,
    import_job_run,
)
from registry.services import imports as import_services
from tests.factories.accounts import PASSWORD, api_token
from tests.factories.registry import EnterpriseFactory
from tests.factories.workbooks import rows_of, sheet_upload

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused
VALIDATE_TASK = "registry.tasks.import_job_validate_task"
EnterpriseEvent = Enterprise.pgh_event_model


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _records(count):
    from demo.codes import make_uscc

    return [{
        "uscc": make_uscc("620102"), "name": f"故障测试公司{i}", "legal_representative": "李娜",
        "founded_on": datetime.date(2015, 3, 1), "region": "620102 兰州市城关区",
        "industry": "C35 专用设备制造业", "main_products": "稀土永磁材料",
        "niche_market": "稀土永磁电机转子", "address": "兰州市城关区雁滩路1号",
        "contact_name": "王强", "contact_phone": "0931-8888888", "contact_email": "wq@example.cn",
    } for i in range(count)]


def _file(count=3):
    return sheet_upload(ENTERPRISE_COLUMNS, rows_of(ENTERPRISE_COLUMNS, _records(count)),
                        name="企业.xlsx")


def _reset_broker_connections():
    # Dropped, not closed: kombu keeps one pool per broker URL and hands it out again.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings, tasks_sent_to_the_broker):
    """Redis unreachable for the cache and the broker alike, until the test ends or calls
    the fixture's value to bring it back."""
    live_broker = celery_app.conf.broker_url
    live_cache = settings.CACHES["default"]
    settings.CACHES = {"default": {**live_cache, "LOCATION": DEAD_REDIS}}
    celery_app.conf.broker_url = DEAD_REDIS
    _reset_broker_connections()

    def back():
        settings.CACHES = {"default": live_cache}
        celery_app.conf.broker_url = live_broker
        _reset_broker_connections()
        outbox.reset_breaker()

    yield back
    back()


def _queued(task, args):
    """Messages of ``task`` with ``args`` waiting in Redis (in the queue its route names,
    CELERY_TASK_ROUTES), removed."""
    queue = celery_app.amqp.router.route({}, task)["queue"].name
    with celery_app.connection_for_write() as conn:
        client = conn.default_channel.client
        found = 0
        for raw in client.lrange(queue, 0, -1):
            message = json.loads(raw)
            body = json.loads(__import__("base64").b64decode(message["body"]))
            if message["headers"].get("task") == task and body[0] == args:
                client.lrem(queue, 1, raw)
                found += 1
        return found


def test_with_redis_down_the_site_signs_in_serves_pages_and_takes_a_filing_whose_task_waits(
    client, county_user, redis_down, django_capture_on_commit_callbacks
):
    started = time.perf_counter()
    signed_in = client.post(reverse("login"), {"username": "chengguan", "password": PASSWORD})
    assert signed_in.status_code == 302
    for name in ("home", "registry:enterprise-list", "registry:import-index"):
        assert client.get(reverse(name)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        filed = client.post(
            reverse("registry:import-upload", args=[ImportKind.ENTERPRISES]), {"file": _file()}
        )
    assert filed.status_code == 302
    job = ImportJob.objects.get()
    assert client.get(filed["Location"]).status_code == 200
    elapsed = time.perf_counter() - started
    print(f"\nsigned in, 3 pages, a filing and its page with Redis down: {elapsed:.2f} s")
    assert elapsed < 10

    # The task asked for is kept, its failed send noted; the filing itself committed.
    [waiting] = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert (waiting.task, waiting.args) == (VALIDATE_TASK, [job.pk])
    assert waiting.attempts == 1 and waiting.last_error
    assert job.status == ImportStatus.VALIDATING

    # Beat's drain while Redis is still down sends nothing and raises nothing.
    assert outbox.outbox_drain() == 0

    redis_down()  # Redis is back
    # Messages an earlier test left in this Redis database for a job of the same number.
    _queued(VALIDATE_TASK, [job.pk])
    assert outbox.outbox_drain() == 1

    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    assert _queued(VALIDATE_TASK, [job.pk]) == 1
    assert outbox.outbox_drain() == 0  # sent once, not again


def test_with_redis_down_the_api_answers_uncounted_by_its_rate_limits(api_user, redis_down):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token(api_user)}")
    for _ in range(3):
        assert api.get("/api/v1/enterprises/").status_code == 200


def test_a_task_asked_for_by_a_rolled_back_change_is_never_sent(county_user):
    with pytest.raises(DatabaseError):
        from django.db import transaction

        with transaction.atomic():
            outbox.enqueue(celery_app.tasks[VALIDATE_TASK], 0)
            raise DatabaseError("the change failed after the message was written")

    assert not OutboxMessage.objects.exists()


def test_a_database_error_after_the_filings_first_write_leaves_no_job_file_or_task(
    county_user, monkeypatch, media_root
):
    def enqueue_fails(task, *args, **kwargs):
        # The job row is written; now the database refuses the next statement.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr(outbox, "enqueue", enqueue_fails)

    with pytest.raises(DatabaseError):
        import_job_create(actor=county_user, kind=ImportKind.ENTERPRISES, upload=_file())

    assert not ImportJob.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not any(media_root.rglob("*.xlsx"))


def test_a_database_error_after_the_imports_first_write_leaves_nothing_written(
    county_user, monkeypatch, tasks_run_at_once
):
    EnterpriseFactory(region=county_user.region)  # some data already there, untouched
    job = import_job_create(actor=county_user, kind=ImportKind.ENTERPRISES, upload=_file())
    assert job.status == ImportStatus.READY, job.errors
    before = (Enterprise.objects.count(), EnterpriseEvent.objects.count())
    register = import_services.enterprise_register
    calls = []

    def fails_after_the_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")  # a real error from PostgreSQL
        return register(**kwargs)

    monkeypatch.setattr(import_services, "enterprise_register", fails_after_the_first)
    with monkeypatch.context() as held:
        held.setattr(outbox, "after_commit", lambda callback: None)
        import_job_confirm(actor=county_user, job=job)
    with pytest.raises(DatabaseError):
        import_job_run(job_id=job.pk)  # the worker's task

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert (Enterprise.objects.count(), EnterpriseEvent.objects.count()) == before

    monkeypatch.setattr(import_services, "enterprise_register", register)
    import_job_restart(actor=county_user, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.READY, job.errors
    job = import_job_confirm(actor=county_user, job=job)
    assert job.status == ImportStatus.DONE
    assert Enterprise.objects.count() == before[0] + 3
