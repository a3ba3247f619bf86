"""The URLs of the servers, in the forms django-environ, redis-py and kombu all accept."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from gansu_sme.devservices.common import DB_NAME


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
