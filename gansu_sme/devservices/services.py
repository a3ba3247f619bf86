"""Both servers: started when their URL is not given, stopped by whoever started them."""

from __future__ import annotations

import os

from gansu_sme.devservices.common import locked, signals_ignored
from gansu_sme.devservices.postgres import PG_DIR, ensure_postgres, stop_postgres
from gansu_sme.devservices.redis import ensure_redis, redis_state, stop_redis
from gansu_sme.devservices.urls import postgres_url, redis_url


def embedded_urls() -> tuple[str, str]:
    """(DATABASE_URL, REDIS_URL) of the embedded servers under .data/, running or not.

    Development settings fall back on these, so ``manage.py`` works beside ``make run`` without
    the variables; Redis's port and password are those of its last start.
    """
    state = redis_state() or {"port": 6379, "password": ""}
    return postgres_url(PG_DIR), redis_url(state["port"], state["password"])


class Services:
    """Ensures DATABASE_URL and REDIS_URL; as a context manager, stops what it started."""

    def __init__(self) -> None:
        self.database_url = os.environ.get("DATABASE_URL") or ""
        self.redis_url = os.environ.get("REDIS_URL") or ""
        self.started_postgres = False
        self.started_redis = False

    def start(self) -> Services:
        try:
            with locked():
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
        with locked():
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
        with signals_ignored():
            self.stop()
