"""Workbooks that are small on disk but ask for a great deal of work are refused by the web
process while it streams them, in well under a second and without its memory growing; the
parse itself only ever runs in a bounded worker. Every file is built here.

The figures (seconds, megabytes of peak resident memory) are those docs/SECURITY.md §3 quotes.
"""

import io
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from gansu_sme.celery import app as celery_app
from gansu_sme.celery import memory_cap_bytes
from gansu_sme.excel import container
from registry import tasks
from registry.imports import ENTERPRISE_COLUMNS
from registry.models import ImportJob
from tests.factories.workbooks import upload, with_parts, xlsx_bytes

HEADERS = [c.header for c in ENTERPRISE_COLUMNS]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
UPLOAD_URL = reverse("registry:import-upload", args=["enterprises"])
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _header_row():
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(HEADERS)
    )
    return f'<row r="1">{cells}</row>'.encode()


def _bomb(parts):
    """A valid enterprise workbook whose parts ``parts`` (name → iterable of byte chunks)
    are streamed into the zip at the highest compression, so no test holds them whole."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes(HEADERS, [])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in base.infolist():
            if info.filename not in parts:
                out.writestr(info.filename, base.read(info.filename))
        for name, chunks in parts.items():
            with out.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def _sheet(body_chunks):
    yield f'<worksheet {NS}><sheetData>'.encode() + _header_row()
    yield from body_chunks
    yield b"</sheetData></worksheet>"


def styled_empty_cells(rows=90_000):
    """Empty cells that carry only a style, 40 to a row: nothing to import, all of it work for
    a reader (3.6 million cells)."""
    row = b"<row>" + b'<c s="1"/>' * 40 + b"</row>"
    return _bomb({SHEET: _sheet(row * 1000 for _ in range(rows // 1000))})


def positioned_styled_cells(rows=80_000):
    """The same with every cell's position written, as a spreadsheet program would: it
    compresses only ten times, so the file is 8 MB and the cell count refuses it."""
    letters = [chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i in range(40)]

    def body():
        for start in range(2, rows + 2, 1000):
            yield "".join(
                f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in letters) + "</row>"
                for r in range(start, start + 1000)
            ).encode()

    return _bomb({SHEET: _sheet(body())})


def huge_shared_string(size=190 * MB):
    """One shared string of 190 MiB: a reader holds the whole table in memory."""
    def strings():
        yield f'<sst {NS} count="1" uniqueCount="1"><si><t>'.encode()
        for _ in range(size // MB):
            yield b"A" * MB
        yield b"</t></si></sst>"

    return _bomb({STRINGS: strings()})


def many_shared_strings(count=4_000_000):
    """Four million shared strings: the reader would hold every one."""
    def strings():
        yield f'<sst {NS}>'.encode()
        for _ in range(count // 50_000):
            yield b"<si><t>x</t></si>" * 50_000
        yield b"</sst>"

    return _bomb({STRINGS: strings()})


def many_distinct_shared_strings(count=4_000_000):
    """Four million distinct shared strings, of ordinary compressibility (a 10 MB file)."""
    def strings():
        yield f'<sst {NS}>'.encode()
        for start in range(0, count, 50_000):
            yield "".join(f"<si><t>{n:x}</t></si>" for n in range(start, start + 50_000)).encode()
        yield b"</sst>"

    return _bomb({STRINGS: strings()})


def deep_sheet_xml(depth=1_000_000):
    """Elements nested a million deep inside the sheet: a tree builder's memory, a recursive
    reader's stack."""
    return _bomb({SHEET: _sheet([b"<x>" * depth, b"</x>" * depth])})


def repeated_rows(size=190 * MB):
    """The issue's case: 190 MiB of ordinary, identical rows, 200 KB on disk."""
    row = '<row>' + "".join(
        f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ("甘肃", "1", "2015-03-01")
    ) + "</row>"
    chunk = (row * (MB // len(row.encode()))).encode()
    return _bomb({SHEET: _sheet(chunk for _ in range(size // len(chunk)))})


CORPUS = {
    "styled-empty-cells": (styled_empty_cells, "ratio"),
    "huge-shared-string": (huge_shared_string, "ratio"),
    "many-shared-strings": (many_shared_strings, "ratio"),
    "deep-sheet-xml": (deep_sheet_xml, "too_deep"),
    "repeated-rows-190-mib": (repeated_rows, "ratio"),
}


def _peak_rss_reset():
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.parametrize("name", list(CORPUS))
def test_a_small_file_asking_for_much_work_is_refused_by_the_web_process_at_once(
    client, county_user, media_root, name
):
    build, code = CORPUS[name]
    content = build()
    assert len(content) < 2 * MB
    client.force_login(county_user)
    client.get(UPLOAD_URL)  # the page's own first-request costs are not the file's
    file = upload(content, name="企业.xlsx")
    baseline = _rss_mb()
    _peak_rss_reset()

    started = time.perf_counter()
    response = client.post(UPLOAD_URL, {"file": file})
    elapsed = time.perf_counter() - started
    grown = _peak_rss_mb() - baseline

    print(f"\n{name}: {len(content) // 1024} KB on disk, refused ({code}) in {elapsed:.3f} s,"
          f" peak memory +{grown:.1f} MB")
    assert response.status_code == 400
    assert response.context["form"].has_error("file", code)
    assert elapsed < 1.0
    assert grown < 50
    assert not ImportJob.objects.exists()
    assert not any(media_root.rglob("*.xlsx"))


# Full form: building and streaming 70 MB takes several seconds; the quick form of these limits
# is test_the_ratio_and_cell_limits_come_from_settings.
@pytest.mark.hardening
@pytest.mark.parametrize(("build", "code"), [
    (positioned_styled_cells, "too_many_cells"),
    (many_distinct_shared_strings, "too_many_strings"),
], ids=["positioned-styled-cells", "distinct-shared-strings"])
def test_a_file_of_ordinary_ratio_is_refused_by_its_cells_or_strings_with_flat_memory(
    build, code
):
    content = build()
    file = upload(content, name="企业.xlsx")
    baseline = _rss_mb()
    _peak_rss_reset()

    started = time.perf_counter()
    with pytest.raises(container.UploadRejected) as refused:
        container.check_container(file)
    elapsed = time.perf_counter() - started
    grown = _peak_rss_mb() - baseline

    print(f"\n{build.__name__}: {len(content) // 1024} KB, refused ({code}) in {elapsed:.3f} s,"
          f" peak memory +{grown:.1f} MB")
    assert refused.value.code == code
    assert grown < 50


def test_an_ordinary_large_workbook_is_not_refused_by_the_work_limits():
    """10,000 rows of distinct figures (about 15 times compression) pass the checks."""
    rows = [[f"9162010{n:011d}", f"企业{n}", "李娜", "2015-03-01", "620102", "C35",
             f"产品{n}", "", "", "", "", ""] for n in range(10_000)]
    content = xlsx_bytes(HEADERS, rows)

    assert container.check_container(upload(content)) == {}


def test_the_ratio_and_cell_limits_come_from_settings(settings):
    content = with_parts(xlsx_bytes(HEADERS, [["x"] * len(HEADERS)] * 50))
    settings.IMPORT_MAX_CELLS = 100

    with pytest.raises(container.UploadRejected) as refused:
        container.check_container(upload(content))
    assert refused.value.code == "too_many_cells"


def test_the_tasks_that_read_a_workbook_run_bounded_in_time_and_memory():
    """The parse runs only in a worker (the web process streams the checks, tested above);
    there, each reading task has soft and hard time limits and every pool process caps its
    address space at start (gansu_sme.celery), with pool processes replaced once they grow."""
    for task in (tasks.import_job_validate_task, tasks.import_job_run_task):
        assert task.soft_time_limit == settings.IMPORT_SOFT_TIME_LIMIT
        assert task.time_limit == settings.IMPORT_TIME_LIMIT
        assert task.soft_time_limit < task.time_limit <= 15 * 60
        assert task.acks_late and task.reject_on_worker_lost
    assert 256 * MB <= memory_cap_bytes() <= 4096 * MB
    assert celery_app.conf.worker_max_memory_per_child <= 1024 * 1024
    from celery.signals import worker_process_init

    from gansu_sme.celery import _cap_memory

    assert any(r[1]() is _cap_memory for r in worker_process_init.receivers)


def test_the_memory_cap_stops_a_reader_that_asks_for_more(tmp_path):
    """What the cap does in a pool process: an allocation past it fails as MemoryError
    instead of growing the process (run in a child, as the worker's pool process)."""
    import subprocess
    import sys

    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))\n"
        "try:\n"
        "    b = bytearray(1024 * 2**20)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=20)
    assert result.stdout.strip() == "refused"
