"""Deployment files and the production profile, checked without a Docker engine.

* docker-compose.yml validates against the Compose Specification schema (vendored in
  tests/data/, see tests/data/README.md), before and after variable interpolation; every service
  has a health check; exactly one Celery beat; no secret has a literal value or a default.
* Dockerfile: python:3.11-slim, the locked requirements, collectstatic at build, a non-root user.
* ``manage.py check --deploy`` is clean with DJANGO_ENV=production, and production refuses to
  start without SECRET_KEY.
* gansu_sme.devservices: its URLs parse as django-environ, redis-py and kombu expect, and it
  starts, reuses and stops embedded servers in a private data folder.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"

REQUIRED_VARIABLES = ("SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD", "REDIS_PASSWORD")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL", re.I)
# ${NAME:?message} or ${NAME?message} or ${NAME}: a value from the environment, no default.
FROM_ENV_ONLY = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*)?\}")
APP_SERVICES = ("web", "worker", "beat")


# ---------------------------------------------------------------------------------------------
# Compose interpolation, as `docker compose` does it before validating
# ---------------------------------------------------------------------------------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(Exception):
    pass


def interpolate(value, env: dict[str, str]):
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        if match.group("escaped"):
            return "$"
        name = match.group("braced") or match.group("plain")
        op, arg = match.group("op"), match.group("arg") or ""
        current = env.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op in (":-", "-"):
            return arg if unset else current
        if op in (":?", "?"):
            if unset:
                raise MissingVariable(f"{name}: {arg}")
            return current
        if op in (":+", "+"):
            return "" if unset else arg
        return current or ""

    return _VARIABLE.sub(replace, value)


def production_env() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "registry.example.gov.cn",
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "REDIS_PASSWORD": secrets.token_hex(16),
    }


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def compose_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DATA / "compose-spec.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, document) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {key: ("" if value is None else str(value)) for key, value in env.items()}


# ---------------------------------------------------------------------------------------------
# docker-compose.yml
# ---------------------------------------------------------------------------------------------


def test_vendored_schema_is_the_recorded_one():
    import hashlib

    recorded = re.search(r"sha256: ([0-9a-f]{64})", (DATA / "README.md").read_text()).group(1)
    actual = hashlib.sha256((DATA / "compose-spec.json").read_bytes()).hexdigest()
    assert actual == recorded


def test_compose_file_matches_the_compose_specification(compose, compose_validator):
    assert _errors(compose_validator, compose) == []
    interpolated = interpolate(compose, production_env())
    assert _errors(compose_validator, interpolated) == []


def test_the_schema_check_is_not_vacuous(compose, compose_validator):
    broken = json.loads(json.dumps(compose))
    broken["services"]["web"]["helthcheck"] = broken["services"]["web"].pop("healthcheck")
    broken["services"]["beat"]["deploy"]["replicas"] = [2]
    errors = _errors(compose_validator, broken)
    assert any("helthcheck" in error for error in errors), errors
    assert any(error.startswith("services/beat/deploy/replicas") for error in errors), errors


def test_expected_services_and_named_volumes(compose):
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].split(":")[0] == "postgres"
    assert services["postgres"]["image"].split(":")[1].startswith("16")
    assert services["redis"]["image"].split(":")[1].startswith("7")
    web_command = services["web"]["command"]
    assert "gunicorn" in web_command and "gansu_sme.wsgi" in web_command
    assert "worker" in " ".join(services["worker"]["command"])
    named = set(compose.get("volumes") or {})
    for name in ("postgres", "redis"):
        sources = {volume.split(":")[0] for volume in services[name].get("volumes", [])}
        assert sources and sources <= named, f"{name} must keep its data in a named volume"


@pytest.mark.parametrize("variable", REQUIRED_VARIABLES)
def test_compose_refuses_to_start_without_each_secret(compose, variable):
    env = production_env()
    del env[variable]
    with pytest.raises(MissingVariable, match=variable):
        interpolate(compose, env)
    env[variable] = ""
    with pytest.raises(MissingVariable, match=variable):
        interpolate(compose, env)


def test_every_service_has_a_health_check(compose):
    for name, service in compose["services"].items():
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        if healthcheck.get("disable"):
            # Only a one-shot job (run to completion, never restarted) may go without.
            assert service.get("restart") == "no", f"{name} disables its healthcheck"
            dependants = [
                other
                for other, spec in compose["services"].items()
                if (spec.get("depends_on") or {}).get(name, {}).get("condition")
                == "service_completed_successfully"
            ]
            assert dependants, f"{name} is a one-shot job nobody waits for"
        else:
            assert healthcheck.get("test"), f"{name} has an empty healthcheck"


def test_web_health_check_is_valid_python(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    compile(test[3], "<web healthcheck>", "exec")


def test_exactly_one_celery_beat(compose):
    def command(service):
        cmd = service.get("command") or ""
        return cmd if isinstance(cmd, str) else " ".join(cmd)

    beats = [name for name, svc in compose["services"].items() if " beat" in command(svc)]
    assert beats == ["beat"]
    beat = compose["services"]["beat"]
    assert (beat.get("deploy") or {}).get("replicas", 1) == 1
    assert beat.get("scale", 1) == 1


def test_app_services_run_the_production_profile(compose):
    for name in (*APP_SERVICES, "migrate"):
        if name not in compose["services"]:
            continue
        service = compose["services"][name]
        assert service.get("build") or service.get("image"), name
        env = _environment(service)
        assert env.get("DJANGO_ENV") == "production", name
        for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
            assert env.get(variable), f"{name} lacks {variable}"


def test_no_literal_secret_values(compose):
    for name, service in compose["services"].items():
        for key, value in _environment(service).items():
            if SECRET_NAME.search(key):
                assert FROM_ENV_ONLY.fullmatch(value), f"{name}: {key} must be ${{{key}:?...}}"
            if "://" in value and "@" in value:
                userinfo = value.split("://", 1)[1].rsplit("@", 1)[0]
                password = userinfo.split(":", 1)[1] if ":" in userinfo else ""
                assert password == "" or FROM_ENV_ONLY.fullmatch(password), (
                    f"{name}: {key} carries a literal password"
                )
    # Nowhere a default for a secret: ${SECRET_KEY:-...} / ${REDIS_PASSWORD-...}
    text = COMPOSE_FILE.read_text()
    for match in re.finditer(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?-", text):
        name = match.group(1)
        assert not SECRET_NAME.search(name), f"{match.group(0)}... gives a secret a default"


# ---------------------------------------------------------------------------------------------
# Dockerfile and .dockerignore
# ---------------------------------------------------------------------------------------------


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def test_dockerfile():
    instructions = _instructions()
    froms = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert froms and froms[0].split()[0] == "python:3.11-slim"
    runs = [rest for keyword, rest in instructions if keyword == "RUN"]
    assert any(re.search(r"pip install .*-r requirements\.lock", run) for run in runs)
    collect = [run for run in runs if "collectstatic" in run]
    assert collect, "static files must be collected at build time"
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"
    for keyword, rest in instructions:
        if keyword in ("ENV", "ARG"):
            assert "SECRET_KEY" not in rest and "PASSWORD" not in rest, (
                f"{keyword} {rest}: a secret baked into the image"
            )
    last_user_index = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "USER")
    assert all(keyword != "RUN" for keyword, _ in instructions[last_user_index:])


def test_dockerignore_keeps_local_state_out():
    lines = (BASE_DIR / ".dockerignore").read_text().splitlines()
    ignored = {line.strip().rstrip("/") for line in lines}
    assert {".git", ".venv", ".data", ".env"} <= ignored


# ---------------------------------------------------------------------------------------------
# The production profile
# ---------------------------------------------------------------------------------------------


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _production_env(**overrides: str) -> dict[str, str]:
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        pytest.skip("DATABASE_URL and REDIS_URL must be set (run through `make test`)")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")
    }
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="gansu_sme.settings",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(64)),
        ALLOWED_HOSTS="registry.example.gov.cn",
    )
    env.update(overrides)
    return env


def test_check_deploy_is_clean_in_production():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], _production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output.upper(), output


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# ---------------------------------------------------------------------------------------------
# gansu_sme.devservices
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("socket_dir", "port"),
    [("/work/main/.data/postgres", 5432), ("/tmp/a b+c/pg", 5433)],
)
def test_devservices_database_url_parses_for_django(socket_dir, port):
    import environ

    from gansu_sme.devservices.urls import postgres_url

    config = environ.Env.db_url_config(postgres_url(socket_dir, port, "gansu_sme"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"], config["USER"]) == (socket_dir, "gansu_sme", "postgres")
    assert config["PORT"] == ("" if port == 5432 else port)


def test_devservices_redis_url_serves_django_cache_and_celery():
    from kombu import Connection
    from redis import ConnectionPool

    from gansu_sme.devservices.urls import redis_url

    url = redis_url(50123, "s3cr/t+pw", db=0)
    pool = ConnectionPool.from_url(url)  # what Django's RedisCache does with LOCATION
    assert pool.connection_kwargs["host"] == "127.0.0.1"
    assert pool.connection_kwargs["port"] == 50123
    assert pool.connection_kwargs["password"] == "s3cr/t+pw"
    assert pool.connection_kwargs.get("db", 0) == 0
    connection = Connection(url)  # Celery's broker
    assert connection.transport_cls == "redis"
    assert (connection.hostname, connection.port, connection.password) == (
        "127.0.0.1",
        50123,
        "s3cr/t+pw",
    )


@pytest.fixture
def private_data_dir():
    """A data folder of its own under .data/, so the servers of `make run` are not touched."""
    path = BASE_DIR / ".data" / f"t-{secrets.token_hex(3)}"
    path.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DEVSERVICES_DATA_DIR"] = str(path)
    try:
        yield path, env
    finally:
        subprocess.run(
            [sys.executable, "-m", "gansu_sme.devservices", "stop"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(path, ignore_errors=True)


def _devservices(env, *args, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gansu_sme.devservices", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


PROBE = """
import os, environ, psycopg2, redis
config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
conn = psycopg2.connect(host=config["HOST"], port=config["PORT"] or 5432,
                        user=config["USER"], dbname=config["NAME"])
with conn.cursor() as cur:
    cur.execute("SELECT current_database()")
    database = cur.fetchone()[0]
conn.close()
client = redis.Redis.from_url(os.environ["REDIS_URL"])
client.set("devservices-probe", "ok")
print(database, client.get("devservices-probe").decode())
"""


def test_devservices_starts_reuses_and_stops_embedded_servers(private_data_dir):
    path, env = private_data_dir

    # exec from cold: starts both, runs the command, stops both, passes the exit code on.
    result = _devservices(env, "exec", "--", sys.executable, "-c", PROBE + "\nraise SystemExit(3)")
    assert result.returncode == 3, result.stderr
    assert result.stdout.split() == ["gansu_sme", "ok"], result.stderr
    assert "starting embedded PostgreSQL" in result.stderr
    assert _devservices(env, "status").returncode == 3, "exec left a server running"

    # start leaves them running; exec then reuses them and leaves them running.
    started = _devservices(env, "start")
    assert started.returncode == 0, started.stderr
    assert "DATABASE_URL=" in started.stdout and "REDIS_URL=" in started.stdout
    reused = _devservices(env, "exec", "--", sys.executable, "-c", PROBE)
    assert reused.returncode == 0, reused.stderr
    assert "reusing embedded PostgreSQL" in reused.stderr
    assert "reusing embedded Redis" in reused.stderr
    assert "starting" not in reused.stderr
    assert _devservices(env, "status").returncode == 0, "exec stopped servers it did not start"

    stopped = _devservices(env, "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert _devservices(env, "status").returncode == 3


def test_devservices_uses_given_urls_and_starts_nothing(private_data_dir):
    path, env = private_data_dir
    env = dict(env, DATABASE_URL="postgres://u@127.0.0.1:1/none", REDIS_URL="redis://127.0.0.1:1/9")
    show = "import os; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"
    result = _devservices(env, "exec", "--", sys.executable, "-c", show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgres://u@127.0.0.1:1/none", "redis://127.0.0.1:1/9"]
    assert not (path / "postgres").exists() and not (path / "redis").exists()
