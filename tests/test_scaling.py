"""Scale-out (docs/SCALING.md): `web` behind `proxy` so it can be scaled, compose.scale.yml's
PgBouncer, read replica and per-queue workers, and the Celery queues the heavy tasks go to.

`docker compose config` is not available everywhere the tests run; the files are checked
against the vendored Compose Specification schema instead, as tests/test_deployment.py does.
"""

import json
import re

import jsonschema
import pytest
import yaml
from django.conf import settings

from tests.test_deployment import (
    BASE_DIR,
    DATA,
    REQUIRED_VARIABLES,
    MissingVariable,
    _environment,
    _errors,
    interpolate,
    production_env,
)

SCALE_FILE = BASE_DIR / "compose.scale.yml"
NGINX_CONF = BASE_DIR / "deploy" / "nginx.conf"


@pytest.fixture(scope="module")
def base():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def scale():
    return yaml.safe_load(SCALE_FILE.read_text())


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((DATA / "compose-spec.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_scale_file_matches_the_compose_specification(scale, validator):
    assert _errors(validator, scale) == []
    assert _errors(validator, interpolate(scale, production_env())) == []


@pytest.mark.parametrize("variable", ("SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD",
                                      "REDIS_PASSWORD"))
def test_scale_file_refuses_to_start_without_each_secret(scale, variable):
    assert variable in REQUIRED_VARIABLES
    env = production_env()
    del env[variable]
    with pytest.raises(MissingVariable, match=variable):
        interpolate(scale, env)


def test_web_publishes_no_host_port_so_it_scales_behind_the_proxy(base):
    services = base["services"]
    assert "ports" not in services["web"]
    assert services["proxy"]["ports"] == ["${WEB_PORT:-8000}:8080"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    # The only other published ports are none: scaling any app service cannot collide.
    published = [name for name, svc in services.items() if svc.get("ports")]
    assert published == ["proxy"]


def test_proxy_passes_the_forwarding_headers_on_unchanged():
    """The app counts one proxy in front (TRUSTED_PROXY_COUNT=1): nginx must not append."""
    conf = NGINX_CONF.read_text()
    assert "proxy_set_header X-Forwarded-For $http_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;" in conf
    assert "$proxy_add_x_forwarded_for" not in conf
    # Resolved again at run time, so containers added by --scale are used.
    assert re.search(r"resolver 127\.0\.0\.11 valid=\d+s", conf)
    assert "proxy_pass $web;" in conf


def test_web_goes_through_pgbouncer_and_reads_from_the_replica(scale):
    env = _environment(interpolate(scale, production_env())["services"]["web"])
    assert "@pgbouncer:5432/" in env["DATABASE_URL"]
    assert env["DATABASE_POOLER"] == "pgbouncer"
    assert "@postgres-replica:5432/" in env["REPLICA_DATABASE_URL"]
    pgbouncer = _environment(scale["services"]["pgbouncer"])
    assert pgbouncer["POOL_MODE"] == "transaction"


def test_workers_connect_directly_and_cover_every_queue(scale):
    services = interpolate(scale, production_env())["services"]
    assert "@postgres:5432/" in _environment(services["worker-bulk"])["DATABASE_URL"]
    assert "DATABASE_URL" not in _environment(services["worker"])  # the base file's, direct
    consumed = set()
    for name in ("worker", "worker-bulk"):
        command = " ".join(services[name]["command"])
        consumed |= set(re.search(r"-Q (\S+)", command).group(1).split(","))
    assert consumed == {queue.name for queue in settings.CELERY_TASK_QUEUES}


def test_replica_is_a_hot_standby_cloned_from_the_primary(scale):
    replica = scale["services"]["postgres-replica"]
    script = replica["command"][-1]
    assert "pg_basebackup -h postgres" in script and " -R " in script
    assert "hot_standby=on" in script
    assert scale["services"]["postgres"]["volumes"] == [
        "./deploy/postgres-replication.sh:/docker-entrypoint-initdb.d/replication.sh:ro"
    ]
    assert "host replication" in (BASE_DIR / "deploy" / "postgres-replication.sh").read_text()


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("registry.tasks.import_job_validate_task", "bulk"),
        ("registry.tasks.import_job_run_task", "bulk"),
        ("registry.tasks.export_job_run_task", "bulk"),
        ("reports.tasks.report_generate_task", "reports"),
        ("reports.tasks.reports_generate_due_task", "reports"),
        ("reports.tasks.notifications_digest_task", "celery"),
        ("reports.tasks.notifications_remind_task", "celery"),
        ("gansu_sme.tasks.outbox_drain_task", "celery"),
        ("certification.tasks.certificates_expire_task", "celery"),
    ],
)
def test_heavy_tasks_go_to_their_own_queues(task, queue):
    from gansu_sme.celery import app

    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_a_worker_without_queues_consumes_all_of_them():
    """`make run` and docker-compose.yml's `worker` start workers without -Q: every routed task
    must still be taken."""
    from gansu_sme.celery import app

    # Queues an earlier test published to by name join the app's list; the configured ones
    # must all be there.
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} <= set(app.amqp.queues)
    assert {"celery", "bulk", "reports"} <= {queue.name for queue in settings.CELERY_TASK_QUEUES}
