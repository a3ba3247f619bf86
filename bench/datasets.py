"""The two databases a run compares: the demo data, and the demo data plus N seeded firms.

Both sit on the server of DATABASE_URL, named after its database (``<name>_demo`` and
``<name>_full<N>``; ``<name>_light_...`` for the quick form's light demo data) and kept
between runs: seeding a million firms takes a quarter of an hour, so a second run only
migrates them. The full one starts as a copy of the demo one (CREATE
DATABASE ... TEMPLATE), so both hold the same accounts with the same ids.
"""

import time
from contextlib import contextmanager

import psycopg2
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections


class Datasets:
    def __init__(self, *, enterprises: int, template: str | None = None, light: bool = False,
                 log=print):
        base = settings.DATABASES["default"]["NAME"] + ("_light" if light else "")
        self.enterprises = enterprises
        self.template = template
        self.light = light
        self.demo = f"{base}_demo"
        self.full = f"{base}_full{enterprises}"
        self.log = log

    # --- server-level statements, from the maintenance database -----------------------------

    @contextmanager
    def _server(self):
        params = settings.DATABASES["default"]
        conn = psycopg2.connect(
            dbname="postgres", user=params["USER"], password=params["PASSWORD"],
            host=params["HOST"], port=params["PORT"] or 5432,
        )
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                yield cursor
        finally:
            conn.close()

    def _exists(self, name: str) -> bool:
        with self._server() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _create(self, name: str, template: str | None = None):
        connections.close_all()
        with self._server() as cursor:
            cursor.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            )

    def drop(self):
        connections.close_all()
        with self._server() as cursor:
            for name in (self.demo, self.full):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # --- switching the process between them ----------------------------------------------------

    def use(self, name: str):
        """Point the default connection at ``name``. Each database gets its own cache keys, so
        a page cached from one never answers for the other."""
        connection = connections["default"]
        if connection.settings_dict["NAME"] != name:
            connection.close()
            connection.settings_dict["NAME"] = name
            ContentType.objects.clear_cache()
        caches["default"].key_prefix = f"bench:{name}"

    # --- building them --------------------------------------------------------------------------

    def prepare(self):
        from demo.registry import demo_data_load
        from demo.scale import seed_scale
        from registry.models import Enterprise

        started = time.perf_counter()
        if not self._exists(self.demo):
            self.log(f"creating {self.demo}")
            self._create(self.demo, self.template)
        self.use(self.demo)
        call_command("migrate", verbosity=0, interactive=False)
        if not Enterprise.objects.exists():
            if self.light:
                # The demo accounts and firms without their figures, pool, awards and plan
                # history: load_demo takes minutes, too long for the quick form in the tests.
                self.log("loading the demo accounts and firms")
                demo_data_load()
            else:
                self.log("loading the demo data")
                call_command("load_demo", verbosity=0)
        demo_count = Enterprise.objects.count()

        fresh = not self._exists(self.full)
        if fresh:
            self.log(f"creating {self.full} from {self.demo}")
            self._create(self.full, self.demo)
        self.use(self.full)
        call_command("migrate", verbosity=0, interactive=False)
        if Enterprise.objects.count() != demo_count + self.enterprises:
            if not fresh:
                # A half-seeded or stale copy: start again from the demo data.
                self.use(self.demo)
                connections.close_all()
                with self._server() as cursor:
                    cursor.execute(f'DROP DATABASE "{self.full}" WITH (FORCE)')
                self._create(self.full, self.demo)
                self.use(self.full)
            self.log(f"seeding {self.enterprises:,} firms into {self.full}")
            counts = seed_scale(enterprises=self.enterprises, years=5)
            self.log(
                f"  {counts.enterprises:,} firms, {counts.reports:,} reports in "
                f"{counts.seconds:.0f} s"
            )
        self.log(f"datasets ready in {time.perf_counter() - started:.0f} s")
