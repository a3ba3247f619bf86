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
from urllib.parse import urljoin, urlsplit

import pghistory.models
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from openpyxl import load_workbook

from accounts.choices import Role
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
    # Every list's export (views named "…-export"): lists.EXPORT_LANGUAGE, as printed forms are.
    "registry:import-template",  # the import templates: the importer reads these headers
    "financing:need-import-template",  # likewise
    "registry:enterprise-export",  # exported in the import's columns, to upload again
    "registry:pool-entry-export",  # likewise
    "registry:monitoring-export",  # likewise
    "reports:report-download",  # the monitoring reports sent to superiors
    "certification:recommendation-export",  # the list sent to the ministry
    "certification:recommendation-summary",  # a city's 推荐汇总表, stamped and filed
    "certification:certified-list",  # the 厅's 认定名单
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
# How far from the menu the walk goes: the menu's page, a detail page, what that links to.
CLICKS = 3
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


class _VisibleText(HTMLParser):
    """The text a person sees: text nodes outside script/style, and the attributes a browser
    shows (placeholder, title, alt, aria-label, the value of buttons), each with the language
    its element declares (``lang``), or None where only the page's language applies.

    An element may declare its own language: a Chinese document shown inside an English page
    (the bank file's preview, a notice for printing) is checked as Chinese.
    """

    HIDDEN = {"script", "style", "template", "noscript"}
    VOID = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    }
    SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")

    def __init__(self):
        super().__init__()
        self.texts = []
        self.links = []
        self._hidden = 0
        self._open = []  # (tag, declared language or None)

    def _language(self, attrs=None):
        if attrs and attrs.get("lang"):
            return attrs["lang"].lower()
        return next((lang for _tag, lang in reversed(self._open) if lang), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
            return
        language = self._language(attrs)
        if tag not in self.VOID:
            self._open.append((tag, attrs.get("lang", "").lower() or None))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in self.SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((attrs[name], language))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append((attrs["value"], language))

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        # Close up to the matching element; tolerate end tags HTML lets a page leave out.
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append((data.strip(), self._language()))


def _typed_json():
    """JSON fields that hold what people typed (not what the code computed, such as the
    evaluation's reasons, which must be in the page's language)."""
    return (
        (pghistory.models.Context, "metadata"),  # the reason given for each change
        (apps.get_model("oplog", "Operation"), "details"),  # titles of files exported
        (apps.get_model("certification", "ExpertAssignment"), "scores"),  # experts' notes
        (apps.get_model("certification", "Application"), "manual_inputs"),  # county's evidence
    )


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
    for model, field in _typed_json():
        for document in model._default_manager.values_list(field, flat=True):
            values.update(_strings(document))
    return values


def _operation_texts():
    Operation = apps.get_model("oplog", "Operation")
    for repr_, details in Operation.objects.values_list("object_repr", "details"):
        yield repr_
        yield from _strings(details)


def _strings(document):
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


class Data:
    """The runs (Chinese, English) that occur in stored text, and the account names."""

    def __init__(self, values, usernames):
        self.cjk = set()
        self.english = set()
        self.usernames = set(usernames)
        self.learn(values)

    def learn(self, values):
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


def _internal(href, base="/"):
    parts = urlsplit(urljoin(base, href))
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


def _check_for(declared, page_check, data):
    """The check for text in an element that declares its language, else the page's check."""
    if declared is None:
        return page_check
    if declared.startswith("zh"):
        return data.foreign_to_chinese_page
    return data.foreign_to_english_page


def _documents_for(user):
    from certification.choices import CampaignKind
    from certification.models import Campaign
    from subsidies.models import PaymentBatch

    campaign = Campaign.objects.order_by("-year", "pk").first()
    little_giants = Campaign.objects.filter(kind=CampaignKind.LITTLE_GIANT).first()
    paths = []
    if user.role == Role.COUNTY_STAFF:
        paths.append("/enterprises/imports/monitoring/template/")  # pre-filled with its firms
    if user.role == Role.FINANCE_OFFICER:
        paths += [
            f"/subsidies/batches/{batch.pk}/bank-file/"
            for batch in PaymentBatch.objects.filter(status__in=("approved", "paid"))[:1]
        ]
    if campaign is not None and user.role == Role.CITY_STAFF:
        paths.append(
            f"/certification/documents/recommendation-summary/?campaign={campaign.pk}"
            f"&region={user.region.code}&format=xlsx"
        )
    if campaign is not None and user.role in (Role.PROVINCIAL_REVIEWER, Role.AUDITOR):
        paths.append(
            f"/certification/documents/certified-list/?campaign={campaign.pk}&format=xlsx"
        )
    if little_giants is not None and user.role == Role.PROVINCIAL_REVIEWER:
        paths.append(f"/certification/recommendations/export/?campaign={little_giants.pk}")
    return paths


def _walk(client, language, data):
    """Visit the menu's pages, then one linked page of every further kind; return problems."""
    headers = {"Accept-Language": language}
    client.cookies.pop("django_language", None)
    check = (
        data.foreign_to_chinese_page if language == "zh-hans" else data.foreign_to_english_page
    )
    problems = defaultdict(set)
    seen_kinds = set()
    visited = []

    def visit(path):
        response = client.get(path, headers=headers)
        visited.append(f"{path} {response.status_code} {response.get('Content-Type', '')}")
        if response.status_code != 200:
            return None
        content_type = response.get("Content-Type", "")
        if content_type.startswith(XLSX):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            kind = _kind(urlsplit(path).path)
            in_chinese = kind in CHINESE_ARTEFACTS or kind.endswith("-export")
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
        for text, declared in parser.texts:
            for bad in _check_for(declared, check, data)(text):
                problems[path].add(bad)
        return html

    home = visit("/")
    assert home is not None
    seen_kinds.add(_kind("/"))
    # The menu's pages, then pages of new kinds up to three clicks away (a detail page, what it
    # links to: a file, a document, a sub-page), one page of each kind.
    level = []
    for href in _menu_links(home):
        path = _internal(href)
        if path and _kind(urlsplit(path).path) not in seen_kinds:
            seen_kinds.add(_kind(urlsplit(path).path))
            level.append(path)
    for _depth in range(CLICKS):
        following = []
        for path in level:
            html = visit(path)
            if html is None:
                continue
            parser = _VisibleText()
            parser.feed(html)
            for href in parser.links:
                linked = _internal(href, path)
                if not linked:
                    continue
                kind = _kind(urlsplit(linked).path)
                if kind and kind not in seen_kinds:
                    seen_kinds.add(kind)
                    following.append(linked)
        level = following
    # Documents behind a form rather than a link (a campaign to choose), and files of objects
    # the walk may not have opened (the paid batch's bank file): each role's own.
    for path in _documents_for(client.user):
        visit(path)
    return visited, {path: sorted(found) for path, found in problems.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_demo_official_meets_one_language(demo, language):
    report = {}
    walked = {}
    for user in User.objects.filter(is_active=True).order_by("username"):
        # The walk itself is logged (exports' titles): what the log shows is data too.
        demo.learn(_operation_texts())
        client = Client()
        client.force_login(user)
        client.user = user
        walked[user.username], problems = _walk(client, language, demo)
        for path, found in problems.items():
            report[f"{user.username} {path}"] = found
    # Every account reached its pages: a walk of one page would pass without checking much.
    counts = {name: len(pages) for name, pages in walked.items()}
    assert all(count > 3 for name, count in counts.items() if name != "api"), counts
    listing = "\n".join(f"{where}: {found}" for where, found in sorted(report.items()))
    ARTIFACTS.mkdir(exist_ok=True)
    pages = "\n".join(f"{name} {page}" for name, visits in walked.items() for page in visits)
    (ARTIFACTS / f"language-{language}.txt").write_text(
        f"pages and files visited per account: {counts}\n{listing}\n\n{pages}\n",
        encoding="utf-8",
    )
    assert not report, f"{len(report)} pages or files in the wrong language:\n{listing}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_import_error_workbook_reads_in_one_language(demo, language, tasks_run_at_once):
    """The workbook of a refused import marks each bad cell in the uploader's language."""
    from registry.choices import ImportKind
    from registry.models import Enterprise
    from registry.services.imports import import_job_create
    from tests.registry.test_imports import report_file, report_record

    county = User.objects.get(username="chengguan")
    firm = Enterprise.objects.filter(region=county.region).first()
    bad = report_record(
        firm, operating_revenue="两千四", employees=-5, period_kind="月报", period=13
    )
    job = import_job_create(actor=county, kind=ImportKind.MONITORING, upload=report_file(bad))
    assert job.errors
    client = Client()
    client.force_login(county)
    response = client.get(
        f"/enterprises/imports/jobs/{job.pk}/annotated/", headers={"Accept-Language": language}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    check = demo.foreign_to_chinese_page if language == "zh-hans" else demo.foreign_to_english_page
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    # The uploaded rows come back as typed, under the template's Chinese headers; the last
    # column says what is wrong with each, in the uploader's language.
    notes = [
        row[-1].value for row in sheet.iter_rows(min_row=2) if isinstance(row[-1].value, str)
    ]
    assert notes
    # A note names the column by its header as the sheet writes it: that header is the
    # template's own, a Chinese document's, in either language.
    demo.learn(cell.value for cell in sheet[1] if isinstance(cell.value, str))
    assert {note: check(note) for note in notes if check(note)} == {}
