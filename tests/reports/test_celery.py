"""Celery configuration and a real worker against Redis that loses the process running a task."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import PeriodicTask

from accounts.choices import Role
from gansu_sme.celery import app
from gansu_sme.devservices.urls import postgres_url
from reports import tasks
from reports.choices import ReportKind
from reports.models import Notification
from tests.factories.accounts import UserFactory

BASE_DIR = Path(settings.BASE_DIR)


def test_visibility_timeout_outlasts_the_longest_task():
    """A late-acked message must not be handed to another worker while its task still runs."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    longest = max(
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in app.tasks.items()
        if name.startswith(("reports.", "registry.", "certification."))
    )
    assert visibility > longest


def test_tasks_ack_late_retry_transient_errors_and_have_time_limits():
    for task in (
        tasks.report_generate_task, tasks.reports_generate_due_task,
        tasks.notifications_remind_task, tasks.notifications_digest_task,
    ):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.time_limit and task.soft_time_limit < task.time_limit
        assert task.max_retries and task.retry_backoff
        assert ConnectionError in task.autoretry_for
        assert any(exc.__name__ == "OperationalError" for exc in task.autoretry_for)
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.django_db
def test_the_schedules_live_in_the_database():
    rows = PeriodicTask.objects.filter(task__startswith="reports.").select_related("crontab")
    schedules = {
        json.loads(task.kwargs).get("kind", task.task): task.crontab for task in rows
    }
    monthly = schedules[ReportKind.MONTHLY]
    assert (monthly.day_of_month, monthly.month_of_year) == ("1", "*")
    quarterly = schedules[ReportKind.QUARTERLY_KPI]
    assert (quarterly.day_of_month, quarterly.month_of_year) == ("1", "1,4,7,10")
    annual = schedules[ReportKind.ANNUAL]
    assert (annual.day_of_month, annual.month_of_year) == ("1", "4")
    for name in ("notifications_remind_task", "notifications_digest_task"):
        daily = schedules[f"reports.tasks.{name}"]
        assert (daily.day_of_month, daily.day_of_week) == ("*", "*")
    assert all(task.task in app.tasks for task in rows)
    assert all(str(task.crontab.timezone) == "Asia/Shanghai" for task in rows)


def _database_url():
    db = connection.settings_dict
    if (db["HOST"] or "").startswith("/"):
        # The embedded server of `make test` listens on a unix socket in that directory.
        return postgres_url(db["HOST"], db["PORT"] or 5432, db["NAME"])
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def _start_worker(queue, log):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "gansu_sme.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "gansu_sme", "worker", "--pool", "prefork",
            "--concurrency", "1", "--queues", queue, "--include", "tests.reports.worker_tasks",
            "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel", "warning",
        ],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


# The message goes to the real worker through the broker: eager mode does not apply, as meant.
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_process_is_killed_runs_again_and_acts_once(tmp_path):
    """A real ``celery worker`` (prefork, one pool process) on a queue of its own in Redis,
    on the test database (passed as DATABASE_URL, so the worker sees the committed rows of
    this transactional test).

    The task's first run blocks; the test SIGKILLs the pool process running it, as the kernel's
    OOM killer or a crash would. Because the task is acknowledged late and rejected when its
    worker is lost, the worker's main process hands the message back to the queue at once and
    a fresh pool process runs it again, which writes the effect. Killing the pool process
    rather than the whole worker is deliberate: a message of a worker that vanished entirely is
    only redelivered after the broker's visibility timeout (two hours here, longer than any
    task), which a test cannot wait for. The effect (a notification keyed by an idempotency
    key, written in one transaction at the end) exists exactly once, and the task ran twice.
    """
    user = UserFactory(role=Role.EXPERT, region=None)
    queue = f"test-redelivery-{uuid.uuid4().hex}"
    key = f"probe:{uuid.uuid4().hex}"
    runs = tmp_path / "runs.log"
    output = (tmp_path / "worker.log").open("w")
    worker = _start_worker(queue, output)
    try:
        app.send_task(
            "tests.reports.worker_tasks.notification_probe_task",
            args=[user.pk, key, str(runs)], queue=queue,
        )
        _wait_for(lambda: runs.exists() and runs.read_text().strip(), 25,
                  f"the task never started: {(tmp_path / 'worker.log').read_text()}")
        [first_pid] = runs.read_text().split()
        assert int(first_pid) != worker.pid  # the pool process, not the main one
        os.kill(int(first_pid), signal.SIGKILL)
        _wait_for(lambda: Notification.objects.filter(key=key).exists(), 25,
                  f"the task did not run again: {(tmp_path / 'worker.log').read_text()}")
        pids = runs.read_text().split()
        assert len(pids) == 2 and pids[1] != first_pid
        assert Notification.objects.filter(user=user, key=key).count() == 1
    finally:
        _stop(worker)
        output.close()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
