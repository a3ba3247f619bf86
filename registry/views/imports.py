"""The Excel import wizard: choose a kind, download its template, upload, read the validation
report, confirm, see the result. Thin adapters over the import services and selectors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gansu_sme import exceptions
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.excel.columns import message_in
from registry import selectors, services
from registry.choices import ImportKind, ImportStatus
from registry.forms import ImportUploadForm, TemplatePeriodForm
from registry.imports import SPECS

from .base import allowed_if

ERRORS_PER_PAGE = 100
# Seconds between two looks at a job still validating or importing.
POLL_SECONDS = 1


def _can_import(user):
    return bool(services.import_kinds_for(user))


def _kind(request, kind):
    if kind not in ImportKind.values or kind not in services.import_kinds_for(request.user):
        raise Http404
    return ImportKind(kind)


def _get_job(request, pk):
    return selectors.import_job_get(user=request.user, pk=pk)


def _workbook(file, name):
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def _index(request, period_form=None, status=200):
    kinds = [(kind, SPECS[kind]) for kind in services.import_kinds_for(request.user)]
    context = {
        "kinds": kinds,
        "jobs": selectors.import_job_list(user=request.user),
        "period_form": period_form or TemplatePeriodForm(),
    }
    return render(request, "registry/imports/index.html", context, status=status)


@allowed_if(_can_import)
def import_index(request):
    return _index(request)


@allowed_if(_can_import)
def import_template(request, kind):
    """The blank template; for monitoring reports with a period, pre-filled with the firms."""
    kind = _kind(request, kind)
    period = None
    if kind == ImportKind.MONITORING and "period_kind" in request.GET:
        form = TemplatePeriodForm(request.GET)
        if not form.is_valid():
            return _index(request, period_form=form, status=400)
        period = form.chosen_period()
    workbook, name = services.import_template(actor=request.user, kind=kind, period=period)
    return _workbook(workbook, name)


@allowed_if(_can_import)
def import_upload(request, kind):
    kind = _kind(request, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user, kind=kind, upload=form.cleaned_data["file"]
            )
        except exceptions.ANSWERED_BY_STATUS:
            raise
        except services.ImportRejected as exc:
            # The refusal keeps its code on the form, for clients and tests.
            form.add_error("file", ValidationError(exc.message, code=exc.code))
        except exceptions.DomainError as exc:
            form.add_service_error(exc)
        else:
            return redirect("registry:import-job", pk=job.pk)
    context = {"form": form, "kind": kind, "spec": SPECS[kind]}
    status = 400 if form.errors else 200
    return render(request, "registry/imports/upload.html", context, status=status)


def _job_context(request, job):
    pending = job.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)
    progress = services.import_job_progress(job)
    return {
        "job": job,
        "spec": SPECS[job.kind],
        "pending": pending,
        "progress": progress,
        "percent": int(100 * progress / job.row_count) if job.row_count else 0,
        "poll_seconds": POLL_SECONDS,
    }


@allowed_if(_can_import)
def import_job_detail(request, pk):
    job = _get_job(request, pk)
    context = _job_context(request, job)
    page = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    # Each error's message in the language of the page; the code stays beside it.
    page.object_list = [{**error, "text": message_in(error)} for error in page.object_list]
    context["errors"] = page
    context["upload_form"] = ImportUploadForm()
    return render(request, "registry/imports/job.html", context)


@allowed_if(_can_import)
def import_job_status(request, pk):
    """The progress partial that the job page polls while a worker validates or imports."""
    job = _get_job(request, pk)
    context = _job_context(request, job)
    response = render(request, "registry/imports/partials/job_status.html", context)
    if request.htmx and not context["pending"]:
        # The work is over: the whole page changes (report, confirm button or result).
        response["HX-Refresh"] = "true"
    return response


def _job_action(request, pk, service, done_message):
    job = _get_job(request, pk)
    try:
        job = service(actor=request.user, job=job)
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except exceptions.DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message(job))
    return redirect("registry:import-job", pk=job.pk)


@require_POST
@allowed_if(_can_import)
def import_job_confirm(request, pk):
    def done(job):
        if job.status == ImportStatus.DONE:
            return _("The rows have been imported.")
        if job.status == ImportStatus.INVALID:
            return _("The data changed since validation; nothing was imported. See the errors.")
        return _("The import has started.")

    return _job_action(request, pk, services.import_job_confirm, done)


@require_POST
@allowed_if(_can_import)
def import_job_restart(request, pk):
    return _job_action(
        request, pk, services.import_job_restart, lambda job: _("The import has been restarted.")
    )


@allowed_if(_can_import)
def import_job_annotated(request, pk):
    job = _get_job(request, pk)
    workbook, name = services.import_job_annotated(actor=request.user, job=job)
    return _workbook(workbook, name)
