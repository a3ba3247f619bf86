"""One language per page, as every demo official meets the site.

Each demo account signs in and walks the site twice, in Chinese and in English: every page its
menu reaches, then one page of every other kind linked from those (a detail page of each kind,
a filtered list, a download). The walk fails on

- a Chinese page showing an English phrase of three or more words or a ``snake_case`` key;
- an English page showing Chinese that is not data (names of firms, people and places, text
  officials typed);

and applies the same checks to every Excel file the walk downloads. Data is told from chrome by
the database: a run of Chinese (or of English words) that is a whole run of some stored text
value is data. The allow-lists below hold only codes and units, each with its reason.
"""

import io
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from openpyxl import load_workbook

from accounts.models import User

# Runs of Chinese characters (with the CJK punctuation that joins them) and of English words.
HAN = r"\u3400-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(rf"[{HAN}][{HAN}\u3000-\u303f\uff00-\uffef“”‘’·]*")
ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z]+(?:[ \-'][A-Za-z][a-z]*)+")
SNAKE_KEY = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
WORD = re.compile(r"[A-Za-z][a-z]*")
# Addresses and file names are data wherever they appear.
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\S+\.(?:xlsx|pdf|png|jpg|docx?)\b")

# Text an English page may show in Chinese although it is not stored data.
ENGLISH_PAGE_ALLOWED = {
    "简体中文",  # the language switcher names each language in that language
    "甘",  # the province's one-character code (as on licence plates): the site's logo mark
}
# Text a Chinese page may show in English letters although it is not stored data.
CHINESE_PAGE_ALLOWED = {
    "GB/T",  # the standard's code (国家标准/推荐), part of 'GB/T 4754-2017'
}

# Files that are Chinese documents whatever the page's language: they go to superiors and banks
# or are uploaded again, and the importer reads their Chinese headers. They must be wholly
# Chinese in either language, so the Chinese check applies to them always.
CHINESE_ARTEFACTS = {
    "registry:import-template",  # the import templates: the importer reads these headers
    "registry:enterprise-export",  # exported in the import's columns, to upload again
    "registry:pool-entry-export",  # likewise
    "registry:monitoring-export",  # likewise
    "reports:report-download",  # the monitoring reports sent to superiors
    "certification:recommendation-export",  # the list sent to the ministry
    "subsidies:batch-bank-file",  # the bank's 批量代发 file
}

SKIPPED_PATHS = (
    "/admin/",  # Django's admin: its own translations, not the officials' pages
    "/api/",  # JSON for machines; its messages are checked by the API tests
    "/i18n/",
    "/accounts/logout/",
    "/static/",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = ("zh-hans", "en")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


class _VisibleText(HTMLParser):
    """The text a person sees: text nodes outside script/style, and the attributes a browser
    shows (placeholder, title, alt, aria-label, the value of buttons)."""

    HIDDEN = {"script", "style", "template", "noscript"}
    SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")

    def __init__(self):
        super().__init__()
        self.texts = []
        self.links = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
            return
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in self.SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def _stored_text_values():
    """Every stored free-text value: what officials and the demo typed, names and places.

    Fields with choices hold keys, not text, and are left out: a key on a page is a defect.
    """
    values = set()
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "contenttypes", "admin", "auth"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values.update(v for v in row if v)
    return values


class Data:
    """The runs (Chinese, English) that occur in stored text, and the account names."""

    def __init__(self, values, usernames):
        self.cjk = set()
        self.english = set()
        self.usernames = set(usernames)
        for value in values:
            self.cjk.update(CJK_RUN.findall(value))
            self.english.update(ENGLISH_PHRASE.findall(value))
        self._longest = max(map(len, self.cjk), default=0)

    def _is_cjk_data(self, run):
        """Whether ``run`` is stored text, or stored names written together (兰州市 + 城关区)."""
        if run in self.cjk:
            return True
        # Joined names only: pieces of two or more characters, so no chrome is spelled from
        # single characters that happen to be stored somewhere.
        ends = {0}
        for end in range(2, len(run) + 1):
            if any(
                start in ends and run[start:end] in self.cjk
                for start in range(max(0, end - self._longest), end - 1)
            ):
                ends.add(end)
        return len(run) in ends

    def foreign_to_english_page(self, text):
        text = ADDRESS.sub(" ", text)
        return [
            run for run in CJK_RUN.findall(text)
            if run not in ENGLISH_PAGE_ALLOWED and not self._is_cjk_data(run)
        ]

    def foreign_to_chinese_page(self, text):
        text = ADDRESS.sub(" ", text)
        for allowed in CHINESE_PAGE_ALLOWED:
            text = text.replace(allowed, " ")
        found = [
            phrase for phrase in ENGLISH_PHRASE.findall(text)
            if len(WORD.findall(phrase)) >= 3 and phrase not in self.english
        ]
        return found + [key for key in SNAKE_KEY.findall(text) if key not in self.usernames]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield Data(
                _stored_text_values(), User.objects.values_list("username", flat=True)
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _kind(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _internal(href):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PATHS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _menu_links(html):
    """The links of the site menu (the <nav class="site-nav"> block) and the user menu."""
    start = html.find('class="site-nav"')
    end = html.find("</nav>", start)
    parser = _VisibleText()
    parser.feed(html[start:end])
    return parser.links


def _xlsx_texts(content):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    for sheet in workbook.worksheets:
        yield f"[{sheet.title}]", sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip():
                    yield getattr(cell, "coordinate", "?"), cell.value


def _walk(client, language, data):
    """Visit the menu's pages, then one linked page of every further kind; return problems."""
    headers = {"Accept-Language": language}
    client.cookies.pop("django_language", None)
    check = (
        data.foreign_to_chinese_page if language == "zh-hans" else data.foreign_to_english_page
    )
    problems = defaultdict(set)
    seen_kinds = set()
    visited = 0

    def visit(path):
        nonlocal visited
        response = client.get(path, headers=headers)
        visited += 1
        if response.status_code != 200:
            return None
        content_type = response.get("Content-Type", "")
        if content_type.startswith(XLSX):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            in_chinese = _kind(urlsplit(path).path) in CHINESE_ARTEFACTS
            check_file = data.foreign_to_chinese_page if in_chinese else check
            for where, text in _xlsx_texts(body):
                for bad in check_file(text):
                    problems[f"{path} {where}"].add(bad)
            return None
        if not content_type.startswith("text/html"):
            return None
        html = response.content.decode()
        parser = _VisibleText()
        parser.feed(html)
        for text in parser.texts:
            for bad in check(text):
                problems[path].add(bad)
        return html

    home = visit("/")
    assert home is not None
    seen_kinds.add(_kind("/"))
    menu = []
    for href in _menu_links(home):
        path = _internal(href)
        if path and _kind(urlsplit(path).path) not in seen_kinds:
            seen_kinds.add(_kind(urlsplit(path).path))
            menu.append(path)
    further = []
    for path in menu:
        html = visit(path)
        if html is None:
            continue
        parser = _VisibleText()
        parser.feed(html)
        for href in parser.links:
            linked = _internal(href)
            if not linked:
                continue
            kind = _kind(urlsplit(linked).path)
            if kind and kind not in seen_kinds:
                seen_kinds.add(kind)
                further.append(linked)
    for path in further:
        visit(path)
    return visited, {path: sorted(found) for path, found in problems.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_demo_official_meets_one_language(demo, language):
    report = {}
    walked = {}
    for user in User.objects.filter(is_active=True).order_by("username"):
        client = Client()
        client.force_login(user)
        walked[user.username], problems = _walk(client, language, demo)
        for path, found in problems.items():
            report[f"{user.username} {path}"] = found
    # Every account reached its pages: a walk of one page would pass without checking much.
    assert all(count > 3 for name, count in walked.items() if name != "api"), walked
    listing = "\n".join(f"{where}: {found}" for where, found in sorted(report.items()))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"language-{language}.txt").write_text(
        f"pages and files visited per account: {walked}\n{listing}\n", encoding="utf-8"
    )
    assert not report, f"{len(report)} pages or files in the wrong language:\n{listing}"
