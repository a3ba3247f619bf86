"""Tasks sent through the outbox to a real worker whose pool processes are killed mid-task:
none is lost, none has its effect twice.

A real ``celery worker`` (prefork, two pool processes) on a queue of its own in the test Redis
and on the test database. The tasks are asked for in one transaction through the outbox and
sent when it commits. While they run, the test SIGKILLs a pool process in the middle of a
task (a victim whose first run blocks), as the OOM killer or a crash would; the task is
acknowledged late and rejected when its worker is lost (settings), so it is delivered again
and runs again, and its effect (written at the end, keyed) exists once. The whole
worker is not killed: its unacknowledged messages would come back only after the broker's
visibility timeout (two hours; tests/reports/test_celery.py).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction

from accounts.choices import Role
from gansu_sme import outbox
from gansu_sme.celery import app
from gansu_sme.models import OutboxMessage
from reports.models import Notification
from tests.factories.accounts import UserFactory
from tests.reports.test_celery import BASE_DIR, _database_url, _stop, _wait_for

from . import worker_tasks


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
            "--concurrency", "2", "--queues", queue, "--include", "tests.gansu_sme.worker_tasks",
            "--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel", "warning",
        ],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _runs(log):
    if not log.exists():
        return []
    return [line.split() for line in log.read_text().splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def _sent_to_the_worker(tasks_sent_to_the_broker):
    """A task run in place would name this process as its worker."""


def _run(tmp_path, *, tasks, kills, seconds):
    user = UserFactory(role=Role.EXPERT, region=None)
    queue = f"test-outbox-{uuid.uuid4().hex}"
    prefix = f"probe:{uuid.uuid4().hex}:"
    log = tmp_path / "runs.log"
    output = (tmp_path / "worker.log").open("w")
    worker = _start_worker(queue, output)
    started = time.monotonic()
    try:
        victims = [f"{prefix}{(k + 1) * tasks // (kills + 1) - 1}" for k in range(kills)]
        with transaction.atomic():
            for n in range(tasks):
                key = f"{prefix}{n}"
                outbox.enqueue(
                    worker_tasks.outbox_probe_task, user.pk, key, str(log), seconds,
                    key in victims, queue=queue,
                )
        # Sent on commit, every one.
        assert not OutboxMessage.objects.filter(queue=queue, sent_at__isnull=True).exists()
        for victim in victims:
            # The victim's first run blocks: kill the pool process in the middle of it.
            _wait_for(lambda v=victim: any(key == v for _pid, key in _runs(log)), 90,
                      f"the tasks did not run: {(tmp_path / 'worker.log').read_text()}")
            [pid] = [int(p) for p, key in _runs(log) if key == victim][:1]
            # Never this process: a task run in place (eagerly) would name it.
            assert pid not in (worker.pid, os.getpid())
            os.kill(pid, signal.SIGKILL)
        done = Notification.objects.filter(user=user, key__startswith=prefix)
        _wait_for(lambda: done.count() >= tasks, 120,
                  f"tasks were lost: {done.count()} of {tasks} done;"
                  f" {(tmp_path / 'worker.log').read_text()[-2000:]}")
        elapsed = time.monotonic() - started
        runs = Counter(key for _pid, key in _runs(log))
        again = sum(n - 1 for n in runs.values())
        print(f"\n{tasks} tasks, {kills} pool processes killed: {again} run again,"
              f" all done once, in {elapsed:.1f} s")
        assert set(runs) == {f"{prefix}{n}" for n in range(tasks)}
        assert all(runs[victim] == 2 for victim in victims)  # each killed task ran again
        per_key = Counter(done.values_list("key", flat=True))
        assert len(per_key) == tasks and set(per_key.values()) == {1}
    finally:
        _stop(worker)
        output.close()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
@pytest.mark.django_db(transaction=True)
def test_tasks_sent_through_the_outbox_survive_a_killed_worker_process(tmp_path):
    _run(tmp_path, tasks=100, kills=1, seconds=0.05)


@pytest.mark.hardening
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
@pytest.mark.django_db(transaction=True)
def test_a_thousand_tasks_survive_three_killed_worker_processes(tmp_path):
    _run(tmp_path, tasks=1000, kills=3, seconds=0.02)
