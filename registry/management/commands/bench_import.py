"""Benchmark: import a monitoring workbook end to end, from the uploaded file to written rows.

The import runs in a child process (this command again, with ``--child``), so the peak memory
reported is the import's own (the child's ru_maxrss), not what earlier runs left in this one.
"""

import resource
import subprocess
import sys
import tempfile
import time
import uuid

import pgtrigger
import xlsxwriter
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings

from accounts.choices import Role
from accounts.models import User
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.excel.reader import iter_sheet
from registry.choices import ImportKind, ImportStatus
from registry.imports import MONITORING_COLUMNS
from registry.models import Enterprise, Industry, Region
from registry.services import (
    import_job_confirm,
    import_job_create,
    import_job_run,
    import_job_validate,
)

COUNTY = "620102"
# One annual report per firm, shaped like the figures county officials keep.
FIGURES = {
    "operating_revenue": 2400.5, "main_business_revenue": 2300.25, "output_value": 2500,
    "taxes": 96.4, "total_profit": 180, "net_profit": 150.75, "total_assets": 3600,
    "total_liabilities": 1500, "employees": 320, "rd_staff": 40, "rd_expense": 110.3,
    "patents_class1": 3, "patents_class2": 12, "land_area": 45.5, "energy_consumption": 860,
    "export_value": 0, "safety_incidents": 0, "quality_incidents": 0,
    "environmental_incidents": 0, "uses_digital_rd_tools": "是", "cnc_ratio": 62.5,
    "uses_cloud": "是", "uses_ecommerce": "否",
}


class Command(BaseCommand):
    help = (
        "Time the import of a monitoring workbook of --rows annual reports: container checks, "
        "reading, validation through the monitoring service (checking without writing), and the "
        "write in one transaction, as the Celery tasks run them. The benchmark's enterprises, "
        "account, job and reports are made inside a transaction that is rolled back; nothing is "
        "kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--child", action="store_true", help="Run the import in this process.")

    def handle(self, *args, rows, child, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1")
        if not child:
            self._measure(rows)
            return
        # Limits wide enough for the file asked for: the upload limits are a deployment's
        # choice (settings IMPORT_MAX_*), not what this measures. DEBUG off, as in a worker:
        # with it Django keeps the text of the last 9,000 statements, megabytes a batch.
        with override_settings(
            DEBUG=False,
            IMPORT_MAX_ROWS=max(rows, 1), IMPORT_MAX_UPLOAD_BYTES=rows * 200 + 2**20,
            IMPORT_MAX_INFLATED_BYTES=rows * 4_000 + 2**24, IMPORT_MAX_CELLS=rows * 40 + 1_000,
        ):
            self._child(rows)

    def _measure(self, rows):
        """Run the import in a child process and report its peak resident memory."""
        command = [sys.executable, sys.argv[0], "bench_import", "--rows", str(rows), "--child"]
        done = subprocess.run(command, check=False)
        if done.returncode:
            raise CommandError(f"the import process failed ({done.returncode})")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.stdout.write(self.style.SUCCESS(
            f"import of {rows:,} rows: peak RSS of the importing process {peak:.0f} MiB"
        ))

    def _child(self, rows):
        stored = None
        with tempfile.TemporaryFile() as content:
            try:
                with transaction.atomic():
                    actor, tag = self._setup(rows)
                    self._workbook(content, tag, rows)
                    size = content.seek(0, 2)
                    self.stdout.write(
                        f"workbook: {rows:,} rows x {len(MONITORING_COLUMNS)} columns, "
                        f"{size / 2**20:.1f} MiB"
                    )
                    stored = self._run(actor, content, rows)
                    transaction.set_rollback(True)
            finally:
                if stored is not None:
                    stored.storage.delete(stored.name)

    def _setup(self, rows):
        region = Region.objects.get(code=COUNTY)
        industry = Industry.objects.get(code="C35")
        tag = uuid.uuid4().hex[:8]
        actor = User.objects.create(
            username=f"bench-{tag}", role=Role.COUNTY_STAFF, region=region
        )
        # Valid in shape (hexadecimal letters are all allowed); the check character is not
        # what this measures. Made by PostgreSQL, so the process's memory is the import's;
        # throwaway rows, whose own history is not what is measured.
        with pgtrigger.ignore("registry.Enterprise:insert_insert"), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {Enterprise._meta.db_table}
                    (uscc, name, legal_representative, founded_on, region_id, industry_id,
                     main_products, niche_market, address, contact_name, contact_phone,
                     contact_email, is_active, size_class, is_above_scale, created_at,
                     updated_at)
                SELECT %s || lpad(i::text, 8, '0'), '基准测试企业' || lpad(i::text, 6, '0'),
                       '张伟', DATE '2012-05-18', %s, %s, '矿山专用设备', '', '', '', '', '',
                       TRUE, '', FALSE, NOW(), NOW()
                FROM generate_series(0, %s - 1) AS i
                """,
                [self._prefix(tag), region.pk, industry.pk, rows],
            )
        # A registry's enterprises are in it long before their reports are imported, and its
        # planner statistics know them; fresh rows in an unanalysed table would be planned as
        # a handful and scanned in full, which is not what this measures.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_enterprise")
        # The processes that run imports have connected their cache client long before, as this
        # one has its database connection by now: a fresh process's first use of the cache
        # (importing redis-py and connecting, a tenth of a second) is not the import's work.
        cache.get("bench-import")
        return actor, tag

    @staticmethod
    def _prefix(tag):
        return f"91{COUNTY}{tag[:2].upper()}"

    def _workbook(self, target, tag, rows):
        """The workbook as Excel writes one (shared strings), streamed to ``target``."""
        book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False})
        sheet = book.add_worksheet("运行监测")
        sheet.write_row(0, 0, [c.header for c in MONITORING_COLUMNS])
        figures = [FIGURES[c.key] for c in MONITORING_COLUMNS[5:]]
        prefix = self._prefix(tag)
        for i in range(rows):
            sheet.write_row(i + 1, 0, [f"{prefix}{i:08d}", f"基准测试企业{i:06d}", 2024, "年报"])
            sheet.write_row(i + 1, 5, figures)
        book.close()

    def _run(self, actor, content, rows):
        def upload():
            # The file on disk, as Django keeps a large upload: not read into memory.
            content.seek(0)
            stored = SimpleUploadedFile("运行监测.xlsx", b"", content_type=XLSX_CONTENT_TYPE)
            stored.file = content
            stored.size = content.seek(0, 2)
            content.seek(0)
            return stored

        start = time.perf_counter()
        parsed = sum(1 for _row in iter_sheet(upload(), MONITORING_COLUMNS))
        read = time.perf_counter() - start

        start = time.perf_counter()
        job = import_job_create(actor=actor, kind=ImportKind.MONITORING, upload=upload())
        # Above the Celery threshold the task would be enqueued on commit; the benchmark's
        # transaction never commits, so it calls what the tasks call, in the same order.
        job = import_job_validate(job_id=job.pk)
        validated = time.perf_counter()
        if job.status != ImportStatus.READY:
            raise CommandError(f"validation failed: {job.status} {job.errors[:3]}")
        job = import_job_confirm(actor=actor, job=job)
        job = import_job_run(job_id=job.pk)
        done = time.perf_counter()
        if job.status != ImportStatus.DONE or job.summary["created"] != rows:
            raise CommandError(f"import failed: {job.status} {job.summary}")

        total = done - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"read and parse only:  {read:6.2f} s  {parsed / read:9,.0f} rows/s"
        )
        self.stdout.write(
            f"upload + validate:    {validated - start:6.2f} s  "
            f"{rows / (validated - start):9,.0f} rows/s  (the service checks, writes nothing)"
        )
        written = done - validated
        self.stdout.write(
            f"confirm + write:      {written:6.2f} s  {rows / written:9,.0f} rows/s"
        )
        self.stdout.write(self.style.SUCCESS(
            f"import end to end:    {total:6.2f} s  {rows / total:9,.0f} rows/s  "
            f"({job.summary['created']:,} reports created; peak RSS {peak:.0f} MiB)"
        ))
        return job.file
