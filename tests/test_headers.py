"""Security headers on every page of the demo, and caching kept off what is private.

* Every HTML page any demo account reaches (its menu's pages, then one page of every kind up to
  three clicks away, then its documents), the public pages, the sign-in page and the API docs
  carry the Content-Security-Policy, and that policy allows no inline script, no eval and no
  inline style; the HTML itself holds no inline script, event handler (``onclick=`` …),
  ``javascript:`` address, ``<style>`` element or ``style`` attribute, so nothing relies on what
  the policy refuses (tests/browser/test_csp.py watches Chromium for refusals).
* Every response to a signed-in user and every file the walk downloads (exports, bank files,
  documents) says ``Cache-Control: no-store`` (tests/gansu_sme/test_middleware.py shows a
  certificate PDF, an API answer and a public page, which stays cacheable).
"""

import base64
import hashlib
import io
import re
import time
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts.models import User
from tests.test_language import _documents_for, _internal, _kind, _menu_links

CSP = "Content-Security-Policy"
# Script types a browser does not run: data for scripts (json_script), not code.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# One account per role; the walk of a second account of the same role finds nothing new.
ACCOUNTS = ("province", "lanzhou", "chengguan", "expert1", "finance", "api", "auditor")
PUBLIC_PAGES = ("/accounts/login/", "/notices/", "/verify/", "/api/docs/")


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response.get(CSP, "").split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def policy_problems(response):
    directives = policy(response)
    if not directives:
        return ["no Content-Security-Policy header"]
    problems = []
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src"))
        if sources is None:
            problems.append(f"no {name}")
            continue
        allowed = [s for s in sources if s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")]
        if allowed:
            problems.append(f"{name} allows {' '.join(allowed)}")
    for name, expected in (("object-src", ["'none'"]), ("frame-ancestors", ["'none'"])):
        if directives.get(name) != expected:
            problems.append(f"{name} is {directives.get(name)}")
    return problems


class InlineCode(HTMLParser):
    """Inline code in a page, as (what, where) pairs, and the page's links."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.links = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> (event handler)")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script":
            kind = (attributes.get("type") or "").strip().lower()
            if not attributes.get("src") and kind not in DATA_SCRIPT_TYPES:
                self._script = ""
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.found.append(f"<script>{self._script.strip()[:60]}…</script>")
            self._script = None


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def walk(client, signed_in, clicks):
    """Visit the pages an account reaches, ``clicks`` deep (the menu's pages are one click);
    return (visited, problems per path)."""
    problems = defaultdict(list)
    visited = []
    seen_kinds = set()

    def visit(path):
        response = client.get(path)
        visited.append(path)
        if response.status_code != 200:
            return None
        is_file = response.has_header("Content-Disposition")
        if (signed_in or is_file) and "no-store" not in response.get("Cache-Control", ""):
            problems[path].append(f"Cache-Control: {response.get('Cache-Control')!r}")
        if not response.get("Content-Type", "").startswith("text/html"):
            return None
        problems[path].extend(policy_problems(response))
        parsed = inline_code(response.content.decode())
        problems[path].extend(parsed.found)
        return parsed

    def follow(paths):
        for _depth in range(clicks):
            following = []
            for path in paths:
                parsed = visit(path)
                if parsed is None:
                    continue
                for href in parsed.links:
                    linked = _internal(href, path)
                    kind = linked and _kind(urlsplit(linked).path)
                    if kind and kind not in seen_kinds:
                        seen_kinds.add(kind)
                        following.append(linked)
            paths = following

    if signed_in:
        home = client.get("/").content.decode()
        seen_kinds.add(_kind("/"))
        start = ["/"]
        for href in _menu_links(home):
            path = _internal(href)
            if path and _kind(urlsplit(path).path) not in seen_kinds:
                seen_kinds.add(_kind(urlsplit(path).path))
                start.append(path)
        follow(start)
        for path in _documents_for(client.user):
            visit(path)
    else:
        seen_kinds.update(_kind(path) for path in PUBLIC_PAGES)
        follow(list(PUBLIC_PAGES))
    return visited, {path: found for path, found in problems.items() if found}


ADMIN_PAGES = (
    "/admin/",
    "/admin/accounts/user/",
    "/admin/registry/enterprise/",
    # django-celery-beat's form had an inline script (templates/admin/djcelery/).
    "/admin/django_celery_beat/periodictask/add/",
)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_admin_pages_have_the_policy_and_no_inline_code(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert policy_problems(response) == []
    assert inline_code(response.content.decode()).found == []
    assert "no-store" in response["Cache-Control"]


def walk_every_account(clicks):
    started = time.perf_counter()
    report, walked = {}, {}
    for username in (None, *ACCOUNTS):
        client = Client()
        if username:
            client.user = User.objects.get(username=username)
            client.force_login(client.user)
        walked[username or "anonymous"], problems = walk(client, bool(username), clicks)
        for path, found in problems.items():
            report[f"{username or 'anonymous'} {path}"] = found
    counts = {name: len(pages) for name, pages in walked.items()}
    print(f"pages walked per account: {counts}; {time.perf_counter() - started:.1f} s")
    # A walk that reached nothing would pass without checking much.
    assert all(count > 3 for name, count in counts.items() if name != "api"), counts
    listing = "\n".join(f"{where}: {found}" for where, found in sorted(report.items()))
    assert not report, f"{len(report)} pages with inline code or a weak policy:\n{listing}"


@pytest.mark.django_db
def test_every_menu_page_of_each_role_has_the_policy_and_no_inline_code(demo):
    """The quick form: each role's menu pages and documents, the public pages."""
    walk_every_account(clicks=1)


@pytest.mark.hardening
@pytest.mark.django_db
def test_every_demo_page_has_the_policy_and_no_inline_code(demo):
    """The full form: every kind of page up to three clicks from each role's menu."""
    walk_every_account(clicks=3)


def test_the_inline_code_check_sees_what_the_policy_refuses():
    html = (
        '<script>alert(1)</script><script src="/static/js/charts.js"></script>'
        '<script id="d" type="application/json">{"a": 1}</script>'
        '<button onclick="go()">x</button><a href="javascript:go()">y</a>'
        '<span style="width: 5%"></span><style>p {}</style>'
    )
    found = inline_code(html).found
    assert len(found) == 5, found
    assert inline_code('<script src="/a.js"></script><p class="x">ok</p>').found == []


def test_the_style_hashes_are_those_of_the_pinned_plotly_bundle(settings):
    """The policy admits plotly.js's two <style> elements by hash; a new bundle that writes
    other text would have its charts unstyled, and this names why."""
    from gansu_sme.staticfinders import _plotly_bundle

    bundle = _plotly_bundle().read_text(encoding="utf-8")
    # The one stylesheet the bundle writes as text: maplibre-gl's, on load.
    written = re.findall(r"\.textContent='((?:[^'\\]|\\.)*)'", bundle)
    assert len(written) == 1 and ".maplibregl-map" in written[0]
    # …and the empty one it fills through the CSSOM.
    assert 'createElement("style"),n.setAttribute("id",i),n.appendChild(document.createTextNode(""))' in bundle  # noqa: E501
    expected = {
        f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"
        for text in ("", written[0])
    }
    style_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert set(style_src) == {"'self'", *expected}
