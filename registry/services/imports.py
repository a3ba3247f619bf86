"""Excel imports: upload, validate every row through the services, confirm, write all at once.

An upload is stored as an ImportJob and validated: every cell is parsed, every row resolved
(credit codes within the uploader's region, regions, industries), and then every row is put
through the same service the forms use, inside a savepoint that is rolled back, so the rules are
exactly the forms' and nothing is written. Monitoring reports are checked by the service itself
without writing (``validate_only``): the same function and rules, minus the writes. The
uploader sees every error, or what confirming would create, update and leave unchanged.
Confirming runs the same steps again in one transaction that holds the job's row lock: any
error then (the data changed meanwhile) rolls everything back. Re-running a job is safe at any
point: it re-validates and writes all or nothing, and a job already done is left as it is.

Files above ``ASYNC_ROWS`` rows are validated and written by Celery tasks, enqueued on commit;
their progress is kept in the cache, because the job row itself only changes when the
transaction doing the work commits.
"""

import gc
import hashlib
import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from openpyxl.utils import get_column_letter

from accounts.models import User
from gansu_sme import bulk
from gansu_sme.bulk import AnyOf
from gansu_sme.excel.columns import CellError
from gansu_sme.excel.container import UploadRejected
from gansu_sme.excel.reader import read_sheet
from gansu_sme.excel.writer import write_annotated, write_template
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry import tasks
from registry.choices import ImportKind, ImportStatus, PeriodKind, PoolEntryStatus, PoolKind
from registry.figures import FIGURE_NAMES
from registry.imports import SPECS
from registry.models import Enterprise, ImportJob, Industry, PoolEntry, Region
from registry.policies import REPORT_FILER_ROLES
from registry.services.enterprises import (
    ENTERPRISE_EDITOR_ROLES,
    ENTERPRISE_FIELDS,
    enterprise_register,
    enterprise_update,
)
from registry.services.monitoring import (
    ReportInput,
    ReportsInvalid,
    monitoring_reports_save,
)
from registry.services.pool import (
    POOL_WRITER_ROLES,
    pool_entry_admit,
    pool_entry_set_category,
    pool_entry_update,
)

logger = logging.getLogger(__name__)

# Larger files are validated and written by a Celery worker, with a progress bar.
ASYNC_ROWS = 2_000
# Errors kept on a job; past this the file is almost surely the wrong one.
MAX_REPORTED_ERRORS = 5_000
# Reports per monitoring service call: the service's query count is the same for any number,
# and the progress bar moves between calls. Each call costs a few milliseconds whatever its size
# (queries to compile, plan and send): at 1,000 a call, a twentieth of a 10,000-row import.
MONITORING_BATCH = 2_500
PROGRESS_EVERY = 100
PROGRESS_TTL = 24 * 60 * 60
# How long the rows read while validating are kept for the confirmation.
SHEET_TTL = 2 * 60 * 60

IMPORTER_ROLES = {
    ImportKind.ENTERPRISES: ENTERPRISE_EDITOR_ROLES,
    ImportKind.MONITORING: REPORT_FILER_ROLES,
    ImportKind.POOL: POOL_WRITER_ROLES,
}
# Jobs whose work is still ahead: they may be restarted if no worker holds them.
PENDING = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
NOT_FOUND = (
    "未找到该统一社会信用代码的企业，或该企业不在您的管辖范围内。"
    " No enterprise with this credit code in your jurisdiction."
)
# Service field names that are not the column keys of the sheet.
FIELD_ALIASES = {"enterprise": "uscc", "uscc_code": "uscc"}


class ImportRejected(DomainError):
    """The uploaded file cannot be read safely or is not the template; nothing was stored."""

    code = "invalid_file"

    def __init__(self, message):
        super().__init__(message, fields={"file": [message]})


def import_kinds_for(actor: User) -> list[ImportKind]:
    """The kinds of import the actor's role may run, in menu order."""
    return [
        kind for kind in ImportKind
        if actor.has_role(*IMPORTER_ROLES[kind])
    ]


def _check_importer(actor, kind):
    if kind not in IMPORTER_ROLES:
        raise DomainError(fields={"kind": ["未知的导入类型。 Unknown kind of import."]})
    if not actor.has_role(*IMPORTER_ROLES[kind]):
        raise PermissionDenied()


def import_template(*, actor: User, kind: str) -> tuple[IO[bytes], str]:
    """A blank template for ``kind``: (temporary file, download name).

    The drop-down of regions lists only the regions in the actor's scope.
    """
    _check_importer(actor, kind)
    spec = SPECS[kind]
    workbook = write_template(
        spec.columns, title=spec.title, notes=spec.notes, lists=spec.lists(actor)
    )
    return workbook, spec.template_name


# --- the job's life ---------------------------------------------------------------------------


def _sha256(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a workbook is read or its rows processed.

    A large import allocates millions of objects (cells, rows, parsed figures, reports) that
    live until the work ends, and the collector would walk them again and again: about half
    the time of a 10,000-row import. They hold no reference cycles that need it; reference
    counting frees them as usual. The collector runs again afterwards, also when another
    thread paused it meanwhile (whichever paused it first resumes it).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@transaction.atomic
def _job_store(actor, kind, upload):
    _check_importer(actor, kind)
    try:
        # Read and parsed once: the checks and the count need the whole grid anyway, and the
        # validation takes the parsed rows from the cache instead of reading the file again.
        with _collector_paused():
            sheet = read_sheet(upload, SPECS[kind].columns)
    except UploadRejected as exc:
        raise ImportRejected(exc.message) from exc
    # Every row that is not blank, or that has a refused cell: as excel.reader.count_rows counts.
    rows = len(sheet.raw)
    if rows == 0:
        raise ImportRejected("工作簿中没有数据行。 The workbook has no data rows.")
    name = PurePath(upload.name or "upload.xlsx").name[-255:]
    job = ImportJob(
        kind=kind, filename=name, sha256=_sha256(upload), row_count=rows, uploaded_by=actor
    )
    # The stored name is ours, so nothing the uploader chose reaches the file system.
    job.file.save(f"{kind}.xlsx", upload, save=False)
    job.save()
    cache.set(_sheet_key(job), sheet, SHEET_TTL)
    if rows > ASYNC_ROWS:
        transaction.on_commit(lambda: tasks.import_job_validate_task.delay(job.pk))
    return job


def import_job_create(*, actor: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Store an uploaded workbook as a job and validate it; writes no registry data.

    The actor must have a role that keeps this kind of data. The file is checked as a container
    and its header against the template first: a hostile or foreign file raises ImportRejected
    and nothing is stored. Files of up to ``ASYNC_ROWS`` rows are validated before this returns;
    larger ones by a Celery task enqueued on commit.
    """
    job = _job_store(actor, kind, upload)
    if job.row_count <= ASYNC_ROWS:
        job = import_job_validate(job_id=job.pk)
    return job


def import_job_validate(*, job_id: int) -> ImportJob:
    """Validate a stored job in a dry run and record its errors or what it would write.

    The rows go through the services inside a savepoint that is rolled back; the monitoring
    service is asked to check without writing at all. A job that is not
    waiting for validation is returned unchanged, so a repeated task does nothing.
    """
    return _work(job_id, ImportStatus.VALIDATING, write=False)


@transaction.atomic
def _job_confirm(actor, job):
    locked = _locked_job(actor, job)
    if locked.status in (ImportStatus.IMPORTING, ImportStatus.DONE):
        return locked
    if locked.status != ImportStatus.READY:
        raise InvalidTransition(
            "只有校验通过的导入才能确认。 Only an import that passed validation can be confirmed."
        )
    locked.status = ImportStatus.IMPORTING
    locked.save(update_fields=["status"])
    if locked.row_count > ASYNC_ROWS:
        transaction.on_commit(lambda: tasks.import_job_run_task.delay(locked.pk))
    return locked


def import_job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Confirm a validated job: write its rows, now for small files, by a task for large ones.

    Only the uploader confirms, only a job that validated without errors; confirming a job that
    is already importing or done changes nothing (a second request waits for the first).
    """
    job = _job_confirm(actor, job)
    if job.status == ImportStatus.IMPORTING and job.row_count <= ASYNC_ROWS:
        job = import_job_run(job_id=job.pk)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Write a confirmed job's rows in one transaction, or none of them.

    The rows are validated again as they are written; if any fails now, everything is rolled
    back and the job shows the new errors. A job that is not importing is returned unchanged.
    """
    return _work(job_id, ImportStatus.IMPORTING, write=True)


@transaction.atomic
def import_job_restart(*, actor: User, job: ImportJob) -> ImportJob:
    """Start a job's work again after a worker died or the job failed.

    A failed job is validated afresh; a job still validating or importing is handed to a new
    task, which does nothing if the first one has meanwhile finished. Refused while a worker
    holds the job.
    """
    locked = (
        ImportJob.objects.select_for_update(skip_locked=True)
        .filter(pk=job.pk, **_owner(actor))
        .first()
    )
    if locked is None:
        if ImportJob.objects.filter(pk=job.pk, **_owner(actor)).exists():
            raise InvalidTransition("该导入正在处理中。 This import is being processed.")
        raise OutOfScope()
    if locked.status == ImportStatus.FAILED:
        locked.status = ImportStatus.VALIDATING
        locked.failure = ""
        locked.save(update_fields=["status", "failure"])
    elif locked.status not in PENDING:
        raise InvalidTransition()
    _set_progress(locked.pk, 0)
    if locked.status == ImportStatus.VALIDATING:
        transaction.on_commit(lambda: tasks.import_job_validate_task.delay(locked.pk))
    else:
        transaction.on_commit(lambda: tasks.import_job_run_task.delay(locked.pk))
    return locked


def import_job_annotated(*, actor: User, job: ImportJob) -> tuple[IO[bytes], str]:
    """The uploaded workbook with an error column and the bad cells highlighted:
    (temporary file, download name)."""
    job = _locked_job(actor, job, lock=False)
    spec = SPECS[job.kind]
    with job.file.open("rb") as stored:
        sheet = read_sheet(stored, spec.columns)
    workbook = write_annotated(
        spec.columns, sheet, job.errors, title=spec.title, notes=spec.notes,
        lists=spec.lists(actor),
    )
    return workbook, f"{PurePath(job.filename).stem}_错误标注.xlsx"


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far, as the worker last reported it."""
    if job.status in PENDING:
        return min(cache.get(_progress_key(job.pk), job.progress), job.row_count)
    return job.progress


def _owner(actor):
    return {} if actor.is_superuser else {"uploaded_by": actor}


def _locked_job(actor, job, lock=True):
    jobs = ImportJob.objects.filter(pk=job.pk, **_owner(actor))
    found = (jobs.select_for_update() if lock else jobs).first()
    if found is None:
        raise OutOfScope()
    return found


def _progress_key(job_id):
    return f"import-job-progress:{job_id}"


def _set_progress(job_id, rows):
    cache.set(_progress_key(job_id), rows, PROGRESS_TTL)


def _work(job_id, expected, *, write):
    """Validate (dry run) or write a job under its row lock, and record the outcome."""
    try:
        with _collector_paused(), transaction.atomic():
            job = ImportJob.objects.select_for_update().select_related("uploaded_by").get(
                pk=job_id
            )
            if job.status != expected:
                return job
            _set_progress(job.pk, 0)
            savepoint = transaction.savepoint()
            # Messages of the services and of Django's validators are stored with the job and
            # shown in the Chinese workbook, whatever language the request had.
            with translation.override("zh-hans"):
                outcome = _process(job, write=write)
            if write and not outcome.errors:
                transaction.savepoint_commit(savepoint)
                job.status = ImportStatus.DONE
            else:
                transaction.savepoint_rollback(savepoint)
                job.status = ImportStatus.INVALID if outcome.errors else ImportStatus.READY
            errors = sorted(outcome.errors, key=lambda e: (e.row, len(e.column), e.column))
            job.errors = [e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]]
            job.summary = outcome.summary()
            job.progress = job.row_count
            job.finished_at = timezone.now() if job.status == ImportStatus.DONE else None
            job.save(update_fields=["status", "errors", "summary", "progress", "finished_at"])
            if job.status != ImportStatus.READY:
                cache.delete(_sheet_key(job))
            return job
    except Exception as exc:
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id, status=expected).update(
            status=ImportStatus.FAILED,
            failure=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise


# --- validating and writing rows --------------------------------------------------------------


@dataclass
class Outcome:
    errors: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # Data-quality flags of the monitoring rules: shown, never blocking.
    warnings: list = field(default_factory=list)

    def summary(self):
        return {
            CREATED: self.counts[CREATED],
            UPDATED: self.counts[UPDATED],
            UNCHANGED: self.counts[UNCHANGED],
            "error_count": len(self.errors),
            "error_rows": len({e.row for e in self.errors}),
            "warnings": self.warnings[:MAX_REPORTED_ERRORS],
        }


class _Importer:
    """Rows of one sheet into service calls; the same code validates and writes."""

    def __init__(self, job, sheet, columns, *, write=True):
        self.job = job
        # False while validating: the savepoint around the work is rolled back afterwards, and
        # services that can check without writing are asked to.
        self.write = write
        self.actor = job.uploaded_by
        self.sheet = sheet
        self.columns = columns
        self.index = {column.key: i for i, column in enumerate(columns)}
        self.outcome = Outcome(errors=list(sheet.errors))
        self.bad_rows = {error.row for error in sheet.errors}
        self.done = self.reported = 0

    def rows(self):
        """Rows without a cell error, in sheet order; the others cannot reach a service."""
        return [(n, values) for n, values in self.sheet.rows.items() if n not in self.bad_rows]

    def error(self, row, key, message):
        index = self.index.get(FIELD_ALIASES.get(key, key))
        if index is None:
            self.outcome.errors.append(CellError(row, "", "", None, message))
        else:
            self.outcome.errors.append(CellError(
                row, get_column_letter(index + 1), self.columns[index].header,
                self.sheet.raw[row][index], message,
            ))
        self.bad_rows.add(row)

    def refused(self, row, exc):
        """Record what a service refused, each message at the column of its field."""
        if isinstance(exc, ValidationError):
            messages = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        elif exc.fields:
            messages = exc.fields
        else:
            messages = {None: [exc.message]}
        for key, texts in messages.items():
            for text in texts:
                self.error(row, key, str(text))

    def advance(self, rows=1):
        self.done += rows
        if self.done - self.reported >= PROGRESS_EVERY:
            _set_progress(self.job.pk, self.done)
            self.reported = self.done

    def once_per_key(self, rows, key_of, key_column, describe):
        """Drop and report rows repeating the key of an earlier row of the file."""
        first = {}
        kept = []
        for row, values in rows:
            key = key_of(values)
            if key in first:
                self.error(row, key_column,
                           f"与第{first[key]}行{describe}重复。 Repeats row {first[key]}.")
                continue
            first[key] = row
            kept.append((row, values))
        return kept

    def enterprises_by_code(self, rows, *fields):
        """Enterprises in the actor's region by credit code; others are unknown alike.

        With ``fields`` only those are loaded, for services that need no more than the row.
        """
        codes = {values["uscc"] for _, values in rows}
        enterprises = Enterprise.objects.visible_to(self.actor).filter(AnyOf(F("uscc"), codes))
        enterprises = enterprises.order_by()
        if fields:
            names = ("id", *fields)
            enterprises = bulk.loaded(Enterprise, names, enterprises.values_list(*names))
        return {e.uscc: e for e in enterprises}


def _stored(enterprise, name):
    # Related rows compare by id, so no row is fetched per enterprise.
    field = Enterprise._meta.get_field(name)
    return getattr(enterprise, field.attname)


def _stored_form(value):
    return value.pk if isinstance(value, (Region, Industry)) else value


class _EnterpriseImporter(_Importer):
    def run(self):
        rows = self.once_per_key(self.rows(), lambda v: v["uscc"], "uscc", "统一社会信用代码")
        self.advance(len(self.sheet.rows) - len(rows))
        existing = self.enterprises_by_code(rows)
        regions = {r.code: r for r in Region.objects.all()}
        industries = {}
        for industry in Industry.objects.all():
            industries[industry.code] = industry
            # Division numbers are unique across sections, so "35" alone names C35.
            industries[industry.code[1:]] = industry
        for row, values in rows:
            fields = {name: values[name] for name in ENTERPRISE_FIELDS}
            for name, found in (("region", regions), ("industry", industries)):
                code = values[name]
                fields[name] = found.get(code) if code else None
                if code and fields[name] is None:
                    self.error(row, name, f"未知的代码：{code}。 Unknown code.")
            if row not in self.bad_rows:
                self.save(row, values["uscc"], existing.get(values["uscc"]), fields)
            self.advance()
        return self.outcome

    def save(self, row, code, enterprise, fields):
        try:
            if enterprise is None:
                enterprise_register(actor=self.actor, uscc_code=code, **fields)
                self.outcome.counts[CREATED] += 1
                return
            changed = {k: v for k, v in fields.items() if _stored(enterprise, k) != _stored_form(v)}
            if not changed:
                self.outcome.counts[UNCHANGED] += 1
                return
            enterprise_update(actor=self.actor, enterprise=enterprise, **changed)
            self.outcome.counts[UPDATED] += 1
        except (ValidationError, DomainError) as exc:
            self.refused(row, exc)


class _MonitoringImporter(_Importer):
    def run(self):
        rows = self.rows()
        found = self.enterprises_by_code(rows, "uscc")
        items, item_rows = [], []
        for row, values in rows:
            enterprise = found.get(values["uscc"])
            if enterprise is None:
                self.error(row, "uscc", NOT_FOUND)
                continue
            period = values["period"]
            if values["period_kind"] == PeriodKind.YEAR and period is None:
                period = 0
            items.append(ReportInput(
                enterprise=enterprise,
                period_kind=values["period_kind"],
                year=values["year"],
                period=period,
                figures={name: values[name] for name in FIGURE_NAMES},
            ))
            item_rows.append(row)
        keyed = self.once_per_key(
            zip(item_rows, items, strict=True),
            lambda i: (i.enterprise.pk, i.period_kind, i.year, i.period),
            "uscc", "企业和报告期",
        )
        self.advance(len(self.sheet.rows) - len(keyed))
        for start in range(0, len(keyed), MONITORING_BATCH):
            self.save(keyed[start:start + MONITORING_BATCH])
            self.advance(len(keyed[start:start + MONITORING_BATCH]))
        return self.outcome

    def save(self, batch):
        rows = [row for row, _ in batch]
        try:
            results = monitoring_reports_save(
                actor=self.actor, items=[i for _, i in batch], validate_only=not self.write
            )
        except ReportsInvalid as exc:
            for index, fields in exc.errors.items():
                for key, texts in fields.items():
                    for text in texts:
                        self.error(rows[index], None if key == "__all__" else key, text)
            return
        except DomainError as exc:
            for row in rows:
                self.refused(row, exc)
            return
        for row, result in zip(rows, results, strict=True):
            self.outcome.counts[result.outcome] += 1
            if result.outcome != UNCHANGED:
                for flag in result.report.flags:
                    self.outcome.warnings.append({"row": row, "message": flag.get("message", "")})


# What a pool import may change on an entry already in the pool, through pool_entry_update.
POOL_UPDATABLE = ("track", "statistics_registered", "contact_officer", "contact_officer_phone")
# Set at admission and never edited afterwards.
POOL_FIXED = ("tier", "admission_year", "admission_reason")


class _PoolImporter(_Importer):
    def run(self):
        rows = self.once_per_key(
            self.rows(), lambda v: (v["uscc"], v["pool"]), "pool", "企业和培育库"
        )
        self.advance(len(self.sheet.rows) - len(rows))
        found = self.enterprises_by_code(rows)
        entries = {
            (entry.enterprise_id, entry.pool): entry
            for entry in PoolEntry.objects.visible_to(self.actor).filter(
                enterprise__in=found.values(), status=PoolEntryStatus.ACTIVE
            )
        }
        for row, values in rows:
            enterprise = found.get(values["uscc"])
            if enterprise is None:
                self.error(row, "uscc", NOT_FOUND)
            else:
                values = {
                    **values,
                    "track": values["track"] or "",
                    "category": values["category"] or "",
                    "statistics_registered": bool(values["statistics_registered"]),
                }
                entry = entries.get((enterprise.pk, values["pool"]))
                try:
                    if entry is None:
                        self.admit(enterprise, values)
                    else:
                        self.update(row, entry, values)
                except (ValidationError, DomainError) as exc:
                    self.refused(row, exc)
            self.advance()
        return self.outcome

    def admit(self, enterprise, values):
        pool_entry_admit(
            actor=self.actor,
            enterprise=enterprise,
            **{k: values[k] for k in (*POOL_FIXED, "pool", "category",
                                      "category_override_reason", *POOL_UPDATABLE)},
        )
        self.outcome.counts[CREATED] += 1

    def update(self, row, entry, values):
        fixed = [name for name in POOL_FIXED if getattr(entry, name) != values[name]]
        for name in fixed:
            self.error(row, name, (
                "该企业已在此培育库中，入库层级、年度和理由不能通过导入修改；晋级请在培育库页面办理。"
                " The enterprise is already in this pool; its tier, admission year and reason"
                " cannot be changed by an import."
            ))
        if fixed:
            return
        changed = {k: values[k] for k in POOL_UPDATABLE if getattr(entry, k) != values[k]}
        # A blank category keeps the entry's category; the suggestion applies at admission.
        category = values["category"]
        recategorise = entry.pool == PoolKind.SCALE_UP and category and category != entry.category
        if changed:
            entry = pool_entry_update(actor=self.actor, entry=entry, **changed)
        if recategorise:
            pool_entry_set_category(
                actor=self.actor, entry=entry, category=category,
                reason=values["category_override_reason"],
            )
        self.outcome.counts[UPDATED if changed or recategorise else UNCHANGED] += 1


IMPORTERS = {
    ImportKind.ENTERPRISES: _EnterpriseImporter,
    ImportKind.MONITORING: _MonitoringImporter,
    ImportKind.POOL: _PoolImporter,
}


def _sheet_key(job):
    return f"import-job-sheet:{job.pk}:{job.sha256}"


def _process(job, *, write):
    spec = SPECS[job.kind]
    # The stored file never changes, so the rows read while validating serve the write too;
    # if the cache lost them, the file is read again.
    sheet = cache.get(_sheet_key(job))
    if sheet is None:
        with job.file.open("rb") as stored:
            sheet = read_sheet(stored, spec.columns)
        cache.set(_sheet_key(job), sheet, SHEET_TTL)
    return IMPORTERS[job.kind](job, sheet, spec.columns, write=write).run()
