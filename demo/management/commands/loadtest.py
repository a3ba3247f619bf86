"""``make loadtest``: locust against gunicorn on loopback, then the exactly-once checks.

Prepares what the scenario needs from the demo data (pages each official may open, draft
reports to file, pending awards to approve, an API token), starts gunicorn on 127.0.0.1,
runs ``loadtest/locustfile.py`` headless for a bounded time from the bench environment
(``.venv-bench``, see requirements-bench.txt), stops gunicorn, and writes the figures
(requests, failures, requests per second, median and 95th percentile) with the checks:
no report filed twice, no award approved twice, no firm awarded twice by a once-per-firm
program. Exits non-zero on any failed request or broken check.
"""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Max
from django.test import Client

from accounts.models import User
from accounts.services import token_issue
from registry.choices import ReportStatus
from registry.models import MonitoringReport, MonitoringReportTransition
from subsidies.choices import EntitlementStatus
from subsidies.models import Allocation, Budget, Entitlement, EntitlementTransition

OFFICIALS = ("chengguan", "lanzhou", "province", "finance")
PAGES = (
    "/", "/enterprises/", "/enterprises/?search=兰州", "/enterprises/monitoring/",
    "/enterprises/monitoring/queue/", "/enterprises/pool/", "/enterprises/targets/",
    "/certification/applications/", "/certification/tasks/", "/certification/certificates/",
    "/subsidies/", "/subsidies/ledger/", "/reports/",
)
API_LISTS = (
    "/api/v1/enterprises/", "/api/v1/monitoring-reports/", "/api/v1/applications/",
    "/api/v1/certificates/", "/api/v1/regions/",
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    """The database this command reads, for the server it starts to serve too: under pytest
    that is the test database, not the one DATABASE_URL names."""
    db = connection.settings_dict
    return (f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}")


def _wait_for(port, timeout=300):
    """Until the sign-in page answers: gunicorn listens before its workers have loaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30):
                return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"gunicorn did not answer on port {port} within {timeout} s")


class Command(BaseCommand):
    help = "Load test: locust on loopback against gunicorn, then the exactly-once checks."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=55, help="officials + API clients")
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
        parser.add_argument("--output", default="loadtest/results")
        parser.add_argument(
            "--locust", default=str(Path(settings.BASE_DIR) / ".venv-bench" / "bin" / "locust")
        )

    def handle(self, *args, users, seconds, workers, output, locust, **options):
        if not Path(locust).exists():
            raise CommandError(f"{locust} not found: run `make loadtest`, which installs it")
        output = Path(output)
        output.mkdir(parents=True, exist_ok=True)
        targets = self._targets()
        (output / "targets.json").write_text(json.dumps(targets, ensure_ascii=False))
        marks = self._marks()
        port = _free_port()
        env = {**os.environ, "LOADTEST_TARGETS": str(output / "targets.json"),
               "DATABASE_URL": _database_url()}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "gansu_sme.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--preload", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env, start_new_session=True,
        )
        try:
            _wait_for(port)
            started = time.monotonic()
            subprocess.run(
                [locust, "-f", str(Path(settings.BASE_DIR) / "loadtest/locustfile.py"),
                 "--headless", "--users", str(users), "--spawn-rate", str(max(users // 5, 1)),
                 "--run-time", f"{seconds}s", "--stop-timeout", "10",
                 "--host", f"http://127.0.0.1:{port}", "--csv", str(output / "locust"),
                 "--only-summary", "--exit-code-on-error", "0"],
                cwd=settings.BASE_DIR, env=env, check=False,
            )
            elapsed = time.monotonic() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        figures = self._figures(output / "locust_stats.csv", users, seconds, elapsed)
        figures["exactly_once"] = self._checks(marks)
        (output / "figures.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False))
        self.stdout.write(json.dumps(figures, indent=1, ensure_ascii=False))
        broken = {name: n for name, n in figures["exactly_once"].items() if n}
        if figures["failures"] or broken or not figures["requests"]:
            raise CommandError(f"load test failed: {figures['failures']} failed requests, "
                               f"broken checks {broken}")

    def _targets(self):
        password = os.environ.get("DEMO_PASSWORD") or "Gansu2026!"
        pages = {}
        for username in OFFICIALS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            # The pages each account may open (a county official has no subsidy pages).
            pages[username] = [
                url for url in PAGES if client.get(url, HTTP_HOST="127.0.0.1").status_code == 200
            ]
        county = User.objects.get(username="chengguan")
        drafts = list(
            MonitoringReport.objects.visible_to(county)
            .filter(status=ReportStatus.DRAFT).values_list("pk", flat=True)[:40]
        )
        awards = []
        for award in Entitlement.objects.filter(status=EntitlementStatus.PENDING)[:40]:
            budget = Budget.objects.filter(
                year__in=[award.year, award.year - 1],
                pk__in=Allocation.objects.filter(city=award.city).values("budget"),
            ).first()
            if budget is not None:
                awards.append({"pk": award.pk, "budget": budget.pk})
        _instance, token = token_issue(
            actor=None, owner=User.objects.get(username="api"), days=1, name="make loadtest"
        )
        return {
            "password": password, "officials": list(OFFICIALS), "county": "chengguan",
            "finance": "finance", "pages": pages,
            "drafts": drafts, "awards": awards, "token": token, "api_lists": list(API_LISTS),
        }

    def _marks(self):
        return {
            "report": MonitoringReportTransition.objects.aggregate(m=Max("pk"))["m"] or 0,
            "award": EntitlementTransition.objects.aggregate(m=Max("pk"))["m"] or 0,
        }

    def _checks(self, marks):
        def twice(queryset, key):
            return queryset.values(key, "verb").annotate(n=Count("pk")).filter(n__gt=1).count()

        return {
            "reports_filed_twice": twice(
                MonitoringReportTransition.objects.filter(pk__gt=marks["report"]), "report"),
            "awards_moved_twice": twice(
                EntitlementTransition.objects.filter(pk__gt=marks["award"]), "entitlement"),
            "firms_awarded_twice": Entitlement.objects.filter(once_per_firm=True)
            .values("enterprise", "program").annotate(n=Count("pk")).filter(n__gt=1).count(),
        }

    def _figures(self, stats_csv, users, seconds, elapsed):
        with open(stats_csv, newline="") as fh:
            rows = list(csv.DictReader(fh))
        total = next(row for row in rows if row["Name"] == "Aggregated")

        def ms(value):
            return float(value) if value not in ("", "N/A") else None

        return {
            "users": users, "seconds": seconds, "elapsed_s": round(elapsed, 1),
            "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "rps": round(float(total["Requests/s"]), 1),
            "median_ms": ms(total["50%"]), "p95_ms": ms(total["95%"]),
            "max_ms": ms(total["Max Response Time"]),
            "by_name": {
                row["Name"]: {"requests": int(row["Request Count"]),
                              "failures": int(row["Failure Count"]), "p95_ms": ms(row["95%"])}
                for row in rows if row["Name"] != "Aggregated"
            },
        }
