"""Chromium through Playwright against pytest-django's live server.

Without /usr/bin/chromium the browser tests are skipped, unless REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure rather than a silent skip.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}


def _unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def start_playwright():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    return sync_playwright


@pytest.fixture
def allow_orm_under_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    the test's own ORM calls (fixtures, assertions) as "async unsafe".

    Set for browser tests only: subprocesses of other tests (``check --deploy``) would inherit it
    and warn about it.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def browser_reference_data(reference_data):
    """Autouse, so the reference data is back before any fixture that looks up a region."""


@pytest.fixture
def new_page(start_playwright, live_server, allow_orm_under_playwright):
    """Open a page in a fresh browser profile (own cookies), as one official's machine.

    The locale is zh-CN, as on the officials' machines; Django picks the language from it.

    Playwright runs per test, after the test database is set up: while its event loop is
    current, Django hands this thread other connection objects (asgiref keeps them per task),
    and those lack what a transactional test needs to restore the migrated reference data.
    """
    from django.db import connections

    with start_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

        def open_page(viewport=DESKTOP, **options):
            context = browser.new_context(
                base_url=live_server.url, locale="zh-CN", viewport=viewport, **options
            )
            context.set_default_timeout(10_000)
            return context.new_page()

        yield open_page
        browser.close()
        # Connections opened under Playwright's loop would otherwise stay open past the test.
        connections.close_all()


@pytest.fixture
def screenshot(request):
    """Save a full-page PNG per page visited: test-artifacts/<test>/NN-<name>.png."""
    folder = ARTIFACTS / re.sub(r"[^\w.\[\]-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = []

    def take(page, name):
        taken.append(name)
        path = folder / f"{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def import_tasks_eager(request, settings, monkeypatch):
    """In the import journeys the tasks that read and write a workbook run eagerly, in the live
    server's thread, as soon as the outbox sends them on commit."""
    if "import" not in request.module.__name__:
        yield
        return
    from tests.conftest import eager_celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    with eager_celery_app():
        yield
