"""`make bench` in its quick form, so the harness keeps up with the pages, the API, the import
and the export it measures: every scenario must come back with numbers."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, connections

SCENARIOS = {
    "monitoring_list_province", "dashboard_province", "targets_province",
    "monitoring_year_flagged", "enterprise_list_deep", "dashboard_county", "enterprise_search",
    "certificates_province", "enterprise_list_page1", "api_enterprises", "deep_page_html",
    "deep_page_api", "export", "import",
}


@pytest.mark.django_db(transaction=True)
def test_quick_bench_measures_every_scenario(reference_data, tmp_path):
    pytest.importorskip("import_export", reason="make test installs requirements-bench-django")
    test_db = connection.settings_dict["NAME"]
    params = settings.DATABASES["default"]
    url = (f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST']}:"
           f"{params['PORT'] or 5432}/{test_db}")
    # The demo database starts as a copy of this migrated one, which wants no open connection.
    connections.close_all()
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--enterprises", "60", "--import-rows", "20",
         "--template", test_db, "--light", "--drop", "--output", str(tmp_path)],
        cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_URL": url},
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["scenarios"]) == SCENARIOS
    for key, entry in results["scenarios"].items():
        for name, figures in entry["variants"].items():
            assert figures.get("median_s", 0) > 0, (key, name, figures)
        assert all(value is not None for value in entry["ratios"].values()), key
    assert results["datasets"]["full"]["enterprises"] == (
        results["datasets"]["demo"]["enterprises"] + 60
    )
    assert "| scenario |" in (tmp_path / "results.md").read_text()
