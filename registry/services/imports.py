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

The web process never parses a workbook: it streams the upload's parts through the container
checks (gansu_sme.excel.container: size, ratio, cells, depth, bounded memory), stores the file
and asks, through the outbox, for a Celery task to read and validate it; confirming asks for
another to write. The tasks run in a bounded worker process (registry.tasks: time limits and
an address-space cap). Their progress is kept in the cache, because the job row itself only
changes when the transaction doing the work commits.
"""

import gc
import hashlib
import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache as cache_function
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from accounts.models import User
from gansu_sme import bulk, outbox
from gansu_sme.bulk import AnyOf
from gansu_sme.excel.columns import CellError, Sheet, render_message
from gansu_sme.excel.container import UploadRejected, check_container
from gansu_sme.excel.reader import iter_sheet, read_sheet
from gansu_sme.excel.writer import write_annotated, write_template
from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied
from registry import tasks
from registry.choices import ImportKind, ImportStatus, PeriodKind, PoolEntryStatus, PoolKind
from registry.figures import FIGURE_NAMES, FIGURES, FLAG
from registry.imports import PERIOD_KIND_LABELS, SPECS, enterprise_regions
from registry.models import Enterprise, ImportJob, Industry, IndustryClass, PoolEntry, Region
from registry.policies import REPORT_FILER_ROLES
from registry.services.enterprises import (
    ENTERPRISE_EDITOR_ROLES,
    ENTERPRISE_FIELDS,
    enterprise_register,
    enterprise_update,
)
from registry.services.monitoring import (
    PERIOD_RANGE,
    YEAR_RANGE,
    ReportInput,
    ReportsInvalid,
    monitoring_reports_save,
    period_start,
)
from registry.services.pool import (
    POOL_WRITER_ROLES,
    pool_entry_admit,
    pool_entry_set_category,
    pool_entry_update,
)

logger = logging.getLogger(__name__)

# Runs of one job's task that a worker did not survive (killed, out of memory) before the job
# is given up as failed, so a file that kills its reader is not read for ever.
MAX_ATTEMPTS = 3
# Errors kept on a job; past this the file is almost surely the wrong one.
MAX_REPORTED_ERRORS = 5_000
# Reports per monitoring service call: the service's query count is the same for any number,
# and the progress bar moves between calls. Each call costs a few milliseconds whatever its size
# (queries to compile, plan and send): at 1,000 a call, a twentieth of a 10,000-row import.
MONITORING_BATCH = 2_500
PROGRESS_EVERY = 100
PROGRESS_TTL = 24 * 60 * 60
# The temporary table of a streamed import's report keys (see _MonitoringImporter.start).
SEEN_KEYS = "import_seen_report_keys"
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
# Codes of what the import itself refuses in a row, with their messages. Each message is about
# one cell and does not name the column: the report names it once, beside the message.
NOT_FOUND = "enterprise_not_found"
DUPLICATE_ROW = "duplicate_row"
UNKNOWN_CODE = "unknown_code"
POOL_FIXED_FIELD = "pool_fixed_field"
REGION_OUT_OF_SCOPE = "region_out_of_scope"
YEAR_OUT_OF_RANGE = "year_out_of_range"
PERIOD_OUT_OF_RANGE = "period_out_of_range"
PERIOD_NOT_BEGUN = "period_not_begun"
ROW_MESSAGES = {
    NOT_FOUND: _("No enterprise with this credit code in your jurisdiction."),
    DUPLICATE_ROW: _("Repeats row %(row)s."),
    UNKNOWN_CODE: _("Unknown code: %(code)s."),
    POOL_FIXED_FIELD: _(
        "The enterprise is already in this pool: its tier, admission year and reason cannot be"
        " changed by an import; promote it on the pool page."
    ),
    REGION_OUT_OF_SCOPE: _(
        "Not a county of your jurisdiction (or a city without counties) where enterprises are"
        " registered."
    ),
    YEAR_OUT_OF_RANGE: _("Must be a year from %(low)s to %(high)s."),
    PERIOD_OUT_OF_RANGE: _(
        "Must be 1 to 4 for a quarterly report, 1 to 12 for a monthly one, blank or 0 for an"
        " annual one."
    ),
    PERIOD_NOT_BEGUN: _("This period has not begun yet."),
}
# Service field names that are not the column keys of the sheet.
FIELD_ALIASES = {"enterprise": "uscc", "uscc_code": "uscc"}
# A service's refusal of a whole row, or of a field that has no column, without its own code.
ROW_REFUSED = "row_refused"

_lazy_message = lazy(render_message, str)
MSG_NO_ROWS = _("The workbook has no data rows.")


class ImportRejected(DomainError):
    """The uploaded file cannot be read safely or is not the template; nothing was stored."""

    code = "invalid_file"

    def __init__(self, message, *, code=None):
        super().__init__(message, code=code, fields={"file": [message]})


def import_kinds_for(actor: User) -> list[ImportKind]:
    """The kinds of import the actor's role may run, in menu order."""
    return [
        kind for kind in ImportKind
        if actor.has_role(*IMPORTER_ROLES[kind])
    ]


def _check_importer(actor, kind):
    if kind not in IMPORTER_ROLES:
        raise DomainError(
            code="unknown_import_kind", fields={"kind": [_("Unknown kind of import.")]}
        )
    if not actor.has_role(*IMPORTER_ROLES[kind]):
        raise PermissionDenied()


def import_template(
    *, actor: User, kind: str, period: tuple[str, int, int] | None = None
) -> tuple[IO[bytes], str]:
    """A template for ``kind``: (temporary file, download name).

    The drop-down of regions lists only the regions in the actor's scope. For monitoring
    reports with a ``period`` (period kind, year, period; 0 for a year), the template lists
    every active enterprise of the actor's region, credit code and name, with the period filled
    in, so that the official types only the figures.
    """
    _check_importer(actor, kind)
    spec = SPECS[kind]
    rows: list[dict] = []
    name = spec.template_name
    if kind == ImportKind.MONITORING and period is not None:
        rows = monitoring_template_rows(actor=actor, period=period)
        name = monitoring_template_name(period)
    workbook = write_template(
        spec.columns, title=spec.title, notes=spec.notes, lists=spec.lists(actor), rows=rows
    )
    return workbook, name


def monitoring_template_rows(*, actor: User, period: tuple[str, int, int]) -> list[dict]:
    """The rows of a pre-filled monitoring template: one per active enterprise of the actor's
    region, by credit code, with the period as the template's columns spell it."""
    period_kind, year, number = period
    kind_label = dict(PERIOD_KIND_LABELS)[PeriodKind(period_kind)]
    enterprises = (
        Enterprise.objects.visible_to(actor).filter(is_active=True).order_by("uscc")
        .values_list("uscc", "name")
    )
    return [
        {
            "uscc": uscc,
            "enterprise_name": name,
            "year": year,
            "period_kind": kind_label,
            "period": None if period_kind == PeriodKind.YEAR else number,
        }
        for uscc, name in enterprises
    ]


def monitoring_template_name(period: tuple[str, int, int]) -> str:
    """The download name of a pre-filled template, e.g. 运行监测导入模板_2026年11月.xlsx: the
    template is a Chinese form, named as one (see registry.imports)."""
    period_kind, year, number = period
    when = {
        PeriodKind.YEAR: f"{year}年",
        PeriodKind.QUARTER: f"{year}年第{number}季度",
        PeriodKind.MONTH: f"{year}年{number}月",
    }[PeriodKind(period_kind)]
    return f"{SPECS[ImportKind.MONITORING].title}导入模板_{when}.xlsx"


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
        # Streamed part by part with the work limits; nothing is parsed here.
        check_container(upload)
    except UploadRejected as exc:
        raise ImportRejected(_lazy_message(exc.message, exc.params), code=exc.code) from exc
    name = PurePath(upload.name or "upload.xlsx").name[-255:]
    job = ImportJob(kind=kind, filename=name, sha256=_sha256(upload), uploaded_by=actor)
    # The stored name is ours, so nothing the uploader chose reaches the file system.
    job.file.save(f"{kind}.xlsx", upload, save=False)
    try:
        job.save()
        outbox.enqueue(tasks.import_job_validate_task, job.pk)
    except Exception:
        # The transaction rolls back; the stored file must not outlive it.
        job.file.delete(save=False)
        raise
    return job


def import_job_create(*, actor: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Store an uploaded workbook as a job and ask a worker to read and validate it; writes no
    registry data.

    The actor must have a role that keeps this kind of data. The file's container is checked
    here, streamed with the work limits: a hostile file raises ImportRejected and nothing is
    stored. Reading the cells, the header and the rows is the task's (import_job_validate),
    sent through the outbox once this commits.
    """
    job = _job_store(actor, kind, upload)
    job.refresh_from_db()
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
            _("Only an import that passed validation can be confirmed."), code="not_validated"
        )
    locked.status = ImportStatus.IMPORTING
    locked.attempts = 0
    locked.save(update_fields=["status", "attempts"])
    outbox.enqueue(tasks.import_job_run_task, locked.pk)
    return locked


def import_job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Confirm a validated job: a task writes its rows, sent through the outbox on commit.

    Only the uploader confirms, only a job that validated without errors; confirming a job that
    is already importing or done changes nothing (a second request waits for the first).
    """
    job = _job_confirm(actor, job)
    job.refresh_from_db()
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
            raise InvalidTransition(_("This import is being processed."), code="import_busy")
        raise OutOfScope()
    if locked.status == ImportStatus.FAILED:
        locked.status = ImportStatus.VALIDATING
        locked.failure = ""
    elif locked.status not in PENDING:
        raise InvalidTransition()
    locked.attempts = 0
    locked.save(update_fields=["status", "failure", "attempts"])
    _set_progress(locked.pk, 0)
    if locked.status == ImportStatus.VALIDATING:
        outbox.enqueue(tasks.import_job_validate_task, locked.pk)
    else:
        outbox.enqueue(tasks.import_job_run_task, locked.pk)
    return locked


def import_job_annotated(*, actor: User, job: ImportJob) -> tuple[IO[bytes], str]:
    """The uploaded workbook with an error column and the bad cells highlighted:
    (temporary file, download name)."""
    job = _locked_job(actor, job, lock=False)
    if job.status not in (ImportStatus.INVALID, ImportStatus.READY, ImportStatus.DONE):
        raise InvalidTransition()
    spec = SPECS[job.kind]
    with job.file.open("rb") as stored:
        # Streamed into the copy, so a long file is never held whole.
        workbook = write_annotated(
            spec.columns, iter_sheet(stored, spec.columns), job.errors, title=spec.title,
            notes=spec.notes, lists=spec.lists(actor),
        )
    name = _("%(name)s_errors_marked.xlsx") % {"name": PurePath(job.filename).stem}
    return workbook, name


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


def _attempt(job_id, expected):
    """Count a run of the job's task, committed before the work starts; False once the runs
    that died (the worker killed, out of memory) reach MAX_ATTEMPTS: the job is then failed."""
    ImportJob.objects.filter(pk=job_id, status=expected).update(attempts=F("attempts") + 1)
    attempts = ImportJob.objects.filter(pk=job_id).values_list("attempts", flat=True).first()
    if attempts is not None and attempts > MAX_ATTEMPTS:
        logger.error("Import job %s: its reader died %s times; given up", job_id, MAX_ATTEMPTS)
        ImportJob.objects.filter(pk=job_id, status=expected).update(
            status=ImportStatus.FAILED, failure="worker lost",
            finished_at=timezone.now(),
        )
        return False
    return True


def _refuse_file(job, exc):
    """The stored file cannot be used as a whole (not the template, no rows, unreadable): the
    job is refused with that one reason, nothing is written."""
    error = CellError(0, "", "", None, exc.message, exc.code, exc.params)
    job.status = ImportStatus.REFUSED
    job.errors = [error.as_dict()]
    job.summary = {"error_count": 1, "error_rows": 0}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "finished_at"])
    return job


def _work(job_id, expected, *, write):
    """Validate (dry run) or write a job under its row lock, and record the outcome."""
    if not _attempt(job_id, expected):
        return ImportJob.objects.get(pk=job_id)
    try:
        with _collector_paused(), transaction.atomic():
            job = ImportJob.objects.select_for_update().select_related("uploaded_by").get(
                pk=job_id
            )
            if job.status != expected:
                return job
            _set_progress(job.pk, 0)
            streamed = job.kind in STREAMED
            try:
                sheet = None if streamed else _sheet(job)
            except UploadRejected as exc:
                return _refuse_file(job, exc)
            savepoint = transaction.savepoint()
            # Messages of the services and of Django's validators are stored with the job and
            # shown in the Chinese workbook, whatever language the request had.
            # The stored "message" of each error is the Chinese one, the site's language; every
            # language's text is kept beside it (CellError.as_dict).
            with translation.override(settings.LANGUAGE_CODE):
                try:
                    if streamed:
                        outcome = _run_streamed(job, write)
                    else:
                        outcome = IMPORTERS[job.kind](
                            job, sheet, SPECS[job.kind].columns, write=write
                        ).run()
                except UploadRejected as exc:
                    # Found unreadable or empty part-way: whatever was written goes.
                    transaction.savepoint_rollback(savepoint)
                    return _refuse_file(job, exc)
                errors = sorted(outcome.errors, key=lambda e: (e.row, len(e.column), e.column))
                job.errors = [e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]]
            if write and not outcome.errors:
                transaction.savepoint_commit(savepoint)
                job.status = ImportStatus.DONE
            else:
                transaction.savepoint_rollback(savepoint)
                job.status = ImportStatus.INVALID if outcome.errors else ImportStatus.READY
            job.summary = outcome.summary()
            job.progress = job.row_count
            job.finished_at = timezone.now() if job.status == ImportStatus.DONE else None
            job.save(update_fields=[
                "status", "errors", "summary", "progress", "finished_at", "row_count"
            ])
            if job.status != ImportStatus.READY and not streamed:
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
    # Errors of a streamed import, counted as batches end; only the first are kept in
    # ``errors`` (None: all of them are there).
    error_count: int | None = None
    error_rows: int | None = None

    def summary(self):
        return {
            CREATED: self.counts[CREATED],
            UPDATED: self.counts[UPDATED],
            UNCHANGED: self.counts[UNCHANGED],
            "error_count": len(self.errors) if self.error_count is None else self.error_count,
            "error_rows": (len({e.row for e in self.errors}) if self.error_rows is None
                           else self.error_rows),
            "warnings": self.warnings[:MAX_REPORTED_ERRORS],
        }

    def fold(self, errors):
        """Count a batch's errors and keep the first MAX_REPORTED_ERRORS of the file."""
        self.error_count = (self.error_count or 0) + len(errors)
        self.error_rows = (self.error_rows or 0) + len({e.row for e in errors})
        room = MAX_REPORTED_ERRORS - len(self.errors)
        if room > 0:
            ordered = sorted(errors, key=lambda e: (e.row, len(e.column), e.column))
            self.errors.extend(ordered[:room])


class _Importer:
    """Rows of one sheet into service calls; the same code validates and writes.

    Every row goes through its service, also a row with refused cells: those cells are given
    to the service as blank (or as a harmless stand-in), and what the service then says about
    them is dropped, so a row's every problem is reported at once, each cell once.
    """

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
        # Where errors are recorded: the outcome's own list, or a streamed batch's.
        self.errors = self.outcome.errors
        self.bad_rows = {error.row for error in sheet.errors}
        # (row, column letter) of every cell with an error already; one error per cell.
        self.bad_cells = {(error.row, error.column) for error in sheet.errors}
        self.done = self.reported = 0

    def rows(self):
        """Every row in sheet order, with the values of its readable cells."""
        return list(self.sheet.rows.items())

    def bad(self, row, *keys):
        """Whether any of the cells ``keys`` of ``row`` has an error already."""
        return any(
            (row, get_column_letter(self.index[key] + 1)) in self.bad_cells for key in keys
        )

    def error(self, row, key, message, code=ROW_REFUSED, params=None):
        """Record an error at the column of ``key`` (a field or column name; None: the row).

        A cell that has an error already keeps that one: a service judging a blank stand-in
        for an unreadable cell says nothing the person does not know.
        """
        index = self.index.get(FIELD_ALIASES.get(key, key)) if key else None
        if index is None:
            letter, header, value = "", "", None
        else:
            letter, header = get_column_letter(index + 1), self.columns[index].header
            value = self.sheet.raw[row][index]
        if (row, letter) in self.bad_cells:
            return
        if letter:
            self.bad_cells.add((row, letter))
        self.errors.append(CellError(row, letter, header, value, message, code, params))
        self.bad_rows.add(row)

    def refuse(self, row, key, code, params=None):
        """Record one of the import's own refusals (ROW_MESSAGES)."""
        self.error(row, key, ROW_MESSAGES[code], code, params)

    def refused(self, row, exc):
        """Record what a service refused, each message at the column of its field."""
        if isinstance(exc, ValidationError):
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for key, items in errors.items():
                for item in items:
                    self.error(row, key, item.message, item.code or ROW_REFUSED, item.params)
            return
        messages = exc.fields or {None: [exc.message]}
        for key, texts in messages.items():
            for text in texts:
                self.error(row, key, text, _code_of(text, exc.code))

    def advance(self, rows=1):
        self.done += rows
        if self.done - self.reported >= PROGRESS_EVERY:
            _set_progress(self.job.pk, self.done)
            self.reported = self.done

    def once_per_key(self, rows, key_of, key_column, key_columns):
        """Drop and report rows repeating the key of an earlier row of the file.

        Rows whose key cells (``key_columns``) have an error are kept and not compared.
        """
        first = {}
        kept = []
        for row, values in rows:
            if self.bad(row, *key_columns):
                kept.append((row, values))
                continue
            key = key_of(values)
            if key in first:
                self.refuse(row, key_column, DUPLICATE_ROW, {"row": first[key]})
                continue
            first[key] = row
            kept.append((row, values))
        return kept

    def enterprises_by_code(self, rows, *fields):
        """Enterprises in the actor's region by credit code; others are unknown alike.

        With ``fields`` only those are loaded, for services that need no more than the row.
        """
        codes = {values["uscc"] for _, values in rows if values.get("uscc")}
        enterprises = Enterprise.objects.visible_to(self.actor).filter(AnyOf(F("uscc"), codes))
        enterprises = enterprises.order_by()
        if fields:
            names = ("id", *fields)
            enterprises = bulk.loaded(Enterprise, names, enterprises.values_list(*names))
        return {e.uscc: e for e in enterprises}


def _code_of(message, default):
    """A message's own code where it has one (a ValidationError), else ``default``."""
    return getattr(message, "code", None) or default


def _stored(enterprise, name):
    # Related rows compare by id, so no row is fetched per enterprise.
    field = Enterprise._meta.get_field(name)
    return getattr(enterprise, field.attname)


def _stored_form(value):
    return value.pk if isinstance(value, (Region, Industry, IndustryClass)) else value


def _industry_class(given, stored, classes_by_pk):
    """The class a row keeps: the one it names, or, for a row naming the division only, the
    class already on record when it lies in that division (a division alone clears nothing)."""
    if isinstance(given, IndustryClass):
        return given
    kept = classes_by_pk.get(stored.industry_class_id) if stored is not None else None
    if kept is not None and given is not None and kept.division_id == given.pk:
        return kept
    return None


class _EnterpriseImporter(_Importer):
    def run(self):
        rows = self.once_per_key(self.rows(), lambda v: v["uscc"], "uscc", ("uscc",))
        self.advance(len(self.sheet.rows) - len(rows))
        existing = self.enterprises_by_code(rows)
        regions = {r.code: r for r in Region.objects.all()}
        # The service refuses a region outside the actor's scope as well; checked here first,
        # the refusal gets its own code.
        in_scope = set(enterprise_regions(self.actor).values_list("code", flat=True))
        industries = {}
        for industry in Industry.objects.all():
            industries[industry.code] = industry
            # Division numbers are unique across sections, so "35" alone names C35.
            industries[industry.code[1:]] = industry
        # A class code (4 digits, e.g. 3511) names the class and its division.
        classes = {c.code: c for c in IndustryClass.objects.select_related("division")}
        by_pk = {c.pk: c for c in classes.values()}
        for row, values in rows:
            fields = {name: values.get(name) for name in ENTERPRISE_FIELDS}
            for name, found in (("region", regions), ("industry", {**industries, **classes})):
                code = values.get(name)
                fields[name] = found.get(code) if code else None
                if code and fields[name] is None:
                    self.refuse(row, name, UNKNOWN_CODE, {"code": code})
            stored = existing.get(values.get("uscc") or "")
            fields["industry_class"] = _industry_class(fields["industry"], stored, by_pk)
            if isinstance(fields["industry"], IndustryClass):
                fields["industry"] = fields["industry"].division
            if fields["region"] is not None and fields["region"].code not in in_scope:
                self.refuse(row, "region", REGION_OUT_OF_SCOPE)
            # A blank stand-in for each unreadable cell: the model's field rules still run on
            # every other cell of the row.
            relations = ("founded_on", "region", "industry", "industry_class")
            fields = {k: ("" if v is None and k not in relations else v)
                      for k, v in fields.items()}
            uscc = values.get("uscc") or ""
            if row not in self.bad_rows or not self.write:
                self.save(row, uscc, existing.get(uscc), fields)
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
    def check_period(self, row, values, today):
        """Refuse a year or period out of range, or not begun, with codes of their own (the
        service's rules, checked first so that each gets its code and its cell)."""
        year, kind, period = values.get("year"), values.get("period_kind"), values.get("period")
        low, high = YEAR_RANGE
        year_ok = year is not None and low <= year <= high
        if year is not None and not year_ok:
            self.refuse(row, "year", YEAR_OUT_OF_RANGE, {"low": low, "high": high})
        if kind not in PERIOD_RANGE or self.bad(row, "period"):
            return
        first, last = PERIOD_RANGE[kind]
        if period is None and kind == PeriodKind.YEAR:
            period = 0
        if period is None or not first <= period <= last:
            self.refuse(row, "period", PERIOD_OUT_OF_RANGE)
        elif year_ok and period_start(kind, year, period) > today:
            self.refuse(row, "period", PERIOD_NOT_BEGUN)

    def start(self):
        """Make the table that remembers each report's key and first row across batches, so
        that a repeat is found anywhere in the file without holding its rows."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{SEEN_KEYS}")
            cursor.execute(
                f"CREATE TEMP TABLE {SEEN_KEYS} (enterprise_id bigint, period_kind text,"
                " year integer, period integer, row_number integer NOT NULL,"
                " PRIMARY KEY (enterprise_id, period_kind, year, period)) ON COMMIT DROP"
            )

    def finish(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{SEEN_KEYS}")

    def batch(self, sheet):
        """Validate (and, writing, save) one batch of rows; its errors join the outcome's."""
        self.sheet = sheet
        self.errors = list(sheet.errors)
        self.bad_rows = {error.row for error in sheet.errors}
        self.bad_cells = {(error.row, error.column) for error in sheet.errors}
        self.run()
        self.outcome.fold(self.errors)

    def run(self):
        rows = self.rows()
        found = self.enterprises_by_code(rows, "uscc")
        stand_ins = _figure_stand_ins()
        today = timezone.localdate()
        items, item_rows = [], []
        for row, values in rows:
            self.check_period(row, values, today)
            enterprise = found.get(values.get("uscc"))
            if enterprise is None:
                if not self.bad(row, "uscc"):
                    self.refuse(row, "uscc", NOT_FOUND)
                continue
            period_kind, period = values.get("period_kind"), values.get("period")
            if period_kind == PeriodKind.YEAR and period is None and not self.bad(row, "period"):
                period = 0
            # An unreadable figure is given as a valid stand-in, so the service judges the
            # period and the rest of the row without asking for a figure the person typed.
            figures = {
                name: stand_ins[name] if name not in values else values[name]
                for name in FIGURE_NAMES
            }
            items.append(ReportInput(
                enterprise=enterprise,
                period_kind=period_kind,
                year=values.get("year"),
                period=period,
                figures=figures,
            ))
            item_rows.append(row)
        keyed = self.once_per_file(list(zip(item_rows, items, strict=True)))
        self.advance(len(self.sheet.rows) - len(keyed))
        for start in range(0, len(keyed), MONITORING_BATCH):
            self.save(keyed[start:start + MONITORING_BATCH])
            self.advance(len(keyed[start:start + MONITORING_BATCH]))
        return self.outcome

    def once_per_file(self, pairs):
        """Drop and report rows repeating the report of an earlier row of the file, in this
        batch or an earlier one; rows whose period cells have an error are not compared."""
        keys = {}
        for row, item in pairs:
            key = (item.enterprise.pk, str(item.period_kind), item.year, item.period)
            if not self.bad(row, "year", "period_kind", "period") and None not in key:
                keys[row] = key
        if not keys:
            return pairs
        flat = ((*key, row) for row, key in keys.items())
        given = [list(column) for column in zip(*flat, strict=True)]
        with connection.cursor() as cursor:
            # Within one statement a repeat conflicts with the row inserted before it.
            cursor.execute(
                f"INSERT INTO {SEEN_KEYS} SELECT * FROM unnest(%s::bigint[], %s::text[],"
                " %s::integer[], %s::integer[], %s::integer[])"
                " ON CONFLICT DO NOTHING RETURNING row_number",
                given,
            )
            firsts = {row for (row,) in cursor.fetchall()}
            repeats = {row: key for row, key in keys.items() if row not in firsts}
            first_of = {}
            if repeats:
                cursor.execute(
                    f"SELECT enterprise_id, period_kind, year, period, row_number"
                    f" FROM {SEEN_KEYS} WHERE (enterprise_id, period_kind, year, period) IN"
                    " (SELECT * FROM unnest(%s::bigint[], %s::text[], %s::integer[],"
                    " %s::integer[]))",
                    [list(column) for column in zip(*repeats.values(), strict=True)],
                )
                first_of = {tuple(found[:4]): found[4] for found in cursor.fetchall()}
        kept = []
        for row, item in pairs:
            if row in repeats:
                self.refuse(row, "uscc", DUPLICATE_ROW, {"row": first_of[repeats[row]]})
            else:
                kept.append((row, item))
        return kept

    def save(self, batch):
        if self.write:
            # A confirmed job whose rows are refused now is rolled back whole; only the rows
            # that can be written are asked for, so the service reports what changed meanwhile.
            batch = [(row, item) for row, item in batch if row not in self.bad_rows]
        if not batch:
            return
        rows = [row for row, _ in batch]
        try:
            results = monitoring_reports_save(
                actor=self.actor, items=[i for _, i in batch], validate_only=not self.write
            )
        except ReportsInvalid as exc:
            for index, fields in exc.errors.items():
                for key, texts in fields.items():
                    for text in texts:
                        self.error(
                            rows[index], None if key == "__all__" else key, text,
                            _code_of(text, ROW_REFUSED if key == "__all__" else f"invalid_{key}"),
                        )
            return
        except DomainError as exc:
            for row in rows:
                self.refused(row, exc)
            return
        for row, result in zip(rows, results, strict=True):
            if row in self.bad_rows:
                continue
            self.outcome.counts[result.outcome] += 1
            if result.outcome != UNCHANGED:
                for flag in result.report.flags[:MAX_REPORTED_ERRORS - len(self.outcome.warnings)]:
                    # The whole flag (rule, figures, message), so that it can be shown as the
                    # report's own flags are.
                    self.outcome.warnings.append({"row": row, **flag})


@cache_function
def _figure_stand_ins():
    """A valid value of each figure, given in place of one the person mistyped."""
    return {
        figure.name: False if figure.kind == FLAG else figure.parse(0) for figure in FIGURES
    }


# What a pool import may change on an entry already in the pool, through pool_entry_update.
POOL_UPDATABLE = ("track", "statistics_registered", "contact_officer", "contact_officer_phone")
# Set at admission and never edited afterwards.
POOL_FIXED = ("tier", "admission_year", "admission_reason")


class _PoolImporter(_Importer):
    def run(self):
        rows = self.once_per_key(
            self.rows(), lambda v: (v["uscc"], v["pool"]), "pool", ("uscc", "pool")
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
            enterprise = found.get(values.get("uscc"))
            if enterprise is None:
                if not self.bad(row, "uscc"):
                    self.refuse(row, "uscc", NOT_FOUND)
            elif self.bad(row, "pool") or (self.write and row in self.bad_rows):
                # Without its pool the row names no entry to judge the other cells against.
                pass
            else:
                # Unreadable cells are given as blank; what the service says of them is dropped.
                values = {
                    **{column.key: None for column in self.columns},
                    **values,
                }
                values = {
                    **values,
                    "track": values["track"] or "",
                    "category": values["category"] or "",
                    "admission_reason": values["admission_reason"] or "",
                    "category_override_reason": values["category_override_reason"] or "",
                    "contact_officer": values["contact_officer"] or "",
                    "contact_officer_phone": values["contact_officer_phone"] or "",
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
        fixed = [
            name for name in POOL_FIXED
            if getattr(entry, name) != values[name] and not self.bad(row, name)
        ]
        for name in fixed:
            self.refuse(row, name, POOL_FIXED_FIELD)
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
# Kinds whose rows are streamed from the file in batches, so memory stays that of one batch
# however long the file: monitoring reports, the import that reaches a million rows.
STREAMED = frozenset({ImportKind.MONITORING})


def _run_streamed(job, write):
    """Read the job's file row by row and put each batch of MONITORING_BATCH rows through
    the importer: validated, and written when ``write``, all in the caller's transaction, so a
    refusal anywhere still leaves nothing written. Sets ``row_count``; raises UploadRejected."""
    columns = SPECS[job.kind].columns
    importer = IMPORTERS[job.kind](job, Sheet(), columns, write=write)
    importer.start()
    count = 0
    batch = Sheet()
    with job.file.open("rb") as stored:
        for row in iter_sheet(stored, columns):
            count += 1
            batch.raw[row.number] = row.raw
            batch.rows[row.number] = row.values
            batch.errors.extend(row.errors)
            if len(batch.rows) >= MONITORING_BATCH:
                importer.batch(batch)
                batch = Sheet()
    if batch.rows:
        importer.batch(batch)
    importer.finish()
    job.row_count = count
    if count == 0:
        raise UploadRejected(MSG_NO_ROWS, code="no_rows")
    return importer.outcome


def _sheet_key(job):
    return f"import-job-sheet:{job.pk}:{job.sha256}"


def _sheet(job):
    """The job's rows, read from its stored file (in the worker only), or
    kept from the validation for the write. Sets ``row_count``; raises UploadRejected."""
    # The stored file never changes, so the rows read while validating serve the write too;
    # if the cache lost them, the file is read again.
    sheet = cache.get(_sheet_key(job))
    if sheet is None:
        with job.file.open("rb") as stored:
            sheet = read_sheet(stored, SPECS[job.kind].columns)
        cache.set(_sheet_key(job), sheet, SHEET_TTL)
    # Every row that is not blank, or that has a refused cell: as excel.reader.count_rows.
    job.row_count = len(sheet.raw)
    if job.row_count == 0:
        raise UploadRejected(MSG_NO_ROWS, code="no_rows")
    return sheet
