"""Benchmark: export a filtered enterprise list of --rows rows and watch the memory it takes.

Each measurement runs in a child process (this command again, with ``--child``) whose peak
resident memory (its own ru_maxrss, from wait4) is reported, beside the floor: a bare
XlsxWriter loop in constant-memory mode over the same rows fetched as tuples.
"""

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import pgtrigger
import psutil
import xlsxwriter
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory

from accounts.choices import Role
from accounts.models import User
from registry.models import Enterprise, ExportRecord, Industry, Region
from registry.views.enterprises import EnterpriseList

COUNTY = "620102"
NAME = "基准导出企业"


class PeakMemory:
    """The highest resident set size seen while the block runs, sampled every few ms."""

    def __init__(self):
        self.process = psutil.Process()
        self.peak = self.baseline = 0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self._stop.wait(0.005)

    def __enter__(self):
        self.baseline = self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class Command(BaseCommand):
    help = (
        "Time the Excel export of an enterprise list of --rows rows (the list page's export: its "
        "FilterSet, scope, selector and column spec, written by XlsxWriter in constant-memory "
        "mode) and report the peak "
        "memory it took. The rows are made by PostgreSQL inside a transaction that is rolled "
        "back; nothing is kept. Run it for 10,000 and 100,000 rows: the memory should not grow."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument(
            "--child", choices=("export", "floor"), help="Run one measurement in this process."
        )

    def handle(self, *args, rows, child, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1")
        if child == "export":
            self._export(rows)
        elif child == "floor":
            self._floor(rows)
        else:
            self._measure(rows)

    def _measure(self, rows):
        took, peaks = {}, {}
        for what in ("floor", "export"):
            command = [sys.executable, sys.argv[0], "bench_export", "--rows", str(rows),
                       "--child", what]
            child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            output = child.stdout.read()
            child.stdout.close()
            # wait4 gives this child's own resource usage, whatever ran before it.
            _pid, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            self.stdout.write(output.rstrip())
            if child.returncode:
                raise CommandError(f"the {what} process failed")
            took[what] = float(output.rsplit("took=", 1)[1].split()[0])
            peaks[what] = usage.ru_maxrss / 1024
        mib = "MiB"
        self.stdout.write(self.style.SUCCESS(
            f"export {rows:,} rows: {took['export']:.2f} s against the bare loop's "
            f"{took['floor']:.2f} s ({took['export'] / took['floor']:.2f}x the floor); peak RSS "
            f"{peaks['export']:.0f} {mib} (bare loop {peaks['floor']:.0f} {mib})"
        ))

    def _floor(self, rows):
        """The same rows fetched as tuples from a server-side cursor and written by a bare
        XlsxWriter loop: what no export of these rows can beat."""
        with transaction.atomic():
            self._setup(rows)
            fields = ("uscc", "name", "legal_representative", "founded_on", "region__code",
                      "industry__code", "main_products", "niche_market", "address",
                      "contact_name", "contact_phone", "contact_email", "is_active",
                      "size_class", "is_above_scale", "figures_year", "updated_at")
            start = time.perf_counter()
            with tempfile.TemporaryFile() as target:
                book = xlsxwriter.Workbook(
                    target, {"constant_memory": True, "remove_timezone": True}
                )
                sheet = book.add_worksheet()
                sheet.write_row(0, 0, fields)
                tuples = (
                    Enterprise.objects.filter(name__startswith=NAME).order_by("name", "pk")
                    .values_list(*fields).iterator(chunk_size=2_000)
                )
                count = 0
                for count, row in enumerate(tuples, start=1):
                    sheet.write_row(count, 0, row)
                book.close()
            took = time.perf_counter() - start
            transaction.set_rollback(True)
        self.stdout.write(
            f"bare loop {count:>9,} rows: {took:6.2f} s  {count / took:9,.0f} rows/s  "
            f"took={took:.3f}"
        )

    def _export(self, rows):
        with transaction.atomic():
            actor = self._setup(rows)
            # The list page's own export, as a download request reaches it.
            request = RequestFactory().get("/", {"search": NAME})
            request.user = actor
            start = time.perf_counter()
            with PeakMemory() as memory:
                workbook = EnterpriseList.as_view(export=True)(request).file_to_stream
            took = time.perf_counter() - start
            count = ExportRecord.objects.get(user=actor).row_count
            size = workbook.seek(0, 2)
            workbook.close()
            transaction.set_rollback(True)
        if count != rows:
            raise CommandError(f"exported {count} rows, expected {rows}")
        mib = 2**20
        self.stdout.write(self.style.SUCCESS(
            f"export {count:>9,} rows: {took:6.2f} s  {count / took:9,.0f} rows/s  "
            f"file {size / mib:6.1f} MiB  peak RSS {memory.peak / mib:6.0f} MiB "
            f"(+{(memory.peak - memory.baseline) / mib:.0f} MiB while exporting; "
            f"process max {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB) "
            f"took={took:.3f}"
        ))

    def _setup(self, rows):
        region = Region.objects.get(code=COUNTY)
        industry = Industry.objects.get(code="C35")
        actor = User.objects.create(
            username=f"bench-{uuid.uuid4().hex[:8]}", role=Role.COUNTY_STAFF, region=region
        )
        # Made by PostgreSQL, so the benchmark's own memory is the export's; credit codes of
        # the right shape, names that the filter picks out. Their history is not measured.
        with pgtrigger.ignore("registry.Enterprise:insert_insert"), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {Enterprise._meta.db_table}
                    (uscc, name, legal_representative, founded_on, region_id, industry_id,
                     main_products, niche_market, address, contact_name, contact_phone,
                     contact_email, is_active, size_class, is_above_scale, created_at,
                     updated_at)
                SELECT '91' || %s || 'BE' || lpad(i::text, 8, '0'),
                       %s || lpad(i::text, 7, '0'), '张伟', DATE '2012-05-18', %s, %s,
                       '矿山专用设备', '有色金属矿山破碎设备', '兰州市城关区雁滩路' || i || '号',
                       '王强', '0931-8888888', 'bench@example.cn', TRUE, '', FALSE, NOW(), NOW()
                FROM generate_series(1, %s) AS i
                """,
                [COUNTY, NAME, region.pk, industry.pk, rows],
            )
        return actor
