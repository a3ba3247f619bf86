"""The command line: ``run``, ``exec``, ``start``, ``stop`` and ``status`` (see the package)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

from gansu_sme.devservices.common import (
    BASE_DIR,
    DATA_DIR,
    STOP_TIMEOUT,
    DevServicesError,
    locked,
    log,
    port_free,
    signals_ignored,
)
from gansu_sme.devservices.postgres import postmaster, stop_postgres
from gansu_sme.devservices.redis import redis_pid, redis_running, redis_state, stop_redis
from gansu_sme.devservices.services import Services
from gansu_sme.devservices.urls import postgres_url

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
    if not port_free(port, host):
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
                        if not port_free(port, host):
                            print(_banner(url), flush=True)
                            announced = True
                        elif time.monotonic() > deadline:
                            raise DevServicesError(f"the web server did not listen on {url}")
                    time.sleep(0.5)
            finally:
                with signals_ignored():
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
    with locked():
        stopped_redis = stop_redis()
        stopped_postgres = stop_postgres()
    if not (stopped_redis or stopped_postgres):
        log(f"no embedded server was running under {DATA_DIR}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    running = False
    info = postmaster()
    if info:
        running = True
        url = postgres_url(info["socket_dir"], info["port"])
        print(f"postgres: running (pid {info['pid']}) {url}")
    else:
        print("postgres: stopped")
    state = redis_state()
    pid = redis_pid()
    if redis_running(state) or pid:
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
