"""Browser pages of the expert panel: the province's expert pool, and the expert's own score
sheets (declaration, the file, scoring, submission)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from certification import policies
from certification.choices import AssignmentStatus
from certification.filtersets.experts import AssignmentFilterSet, ExpertFilterSet
from certification.forms.experts import (
    DeclarationForm,
    ExpertCreateForm,
    ExpertEditForm,
    ScoreSheetForm,
)
from certification.querysets import SHEET_READER_ROLES
from certification.rubric.sheet import score_sheet
from certification.selectors import experts as selectors
from certification.services import experts as services
from certification.tables import AssignmentTable, ExpertTable
from gansu_sme import exceptions, formatting
from gansu_sme.lists import ObjectListView
from gansu_sme.views import allowed_if, call_service


def reads_sheets(user):
    # Which sheets is visible_to's business; this turns away the roles that see none.
    return user.has_role(Role.EXPERT, *SHEET_READER_ROLES)


# --- the pool ---------------------------------------------------------------------------------


class ExpertList(ObjectListView):
    table_class = ExpertTable
    filterset_class = ExpertFilterSet
    template_name = "certification/experts/list.html"
    default_ordering = ("name", "pk")

    def allowed(self, user):
        return policies.can_manage_experts(user)

    def get_queryset(self):
        return selectors.expert_list(user=self.request.user)


def _expert_form_page(request, form, *, title, expert=None):
    return render(
        request,
        "certification/experts/form.html",
        {"form": form, "title": title, "expert": expert},
        status=400 if form.is_bound else 200,
    )


@allowed_if(policies.can_manage_experts)
def expert_create(request):
    form = ExpertCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = call_service(
            form, services.expert_create, actor=request.user, **form.cleaned_data
        )
        if expert is not None:
            messages.success(request, _("The expert has been added to the pool."))
            return redirect("certification:expert-list")
    return _expert_form_page(request, form, title=_("Add an expert"))


@allowed_if(policies.can_manage_experts)
def expert_edit(request, pk):
    expert = selectors.expert_get(user=request.user, pk=pk)
    initial = {
        "name": expert.name,
        "title": expert.title,
        "employer_name": expert.employer_name,
        "employer_uscc": expert.employer_uscc,
        "region": expert.region,
        "industries": list(expert.industries.all()),
        "is_active": expert.is_active,
    }
    form = ExpertEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.expert_update, actor=request.user, expert=expert,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("certification:expert-list")
    return _expert_form_page(request, form, title=_("Edit expert"), expert=expert)


# --- score sheets -----------------------------------------------------------------------------


def _get_sheet(request, pk):
    return selectors.assignment_get(user=request.user, pk=pk)


def _detail_url(sheet):
    return reverse("certification:assignment-detail", args=[sheet.pk])


class AssignmentList(ObjectListView):
    table_class = AssignmentTable
    filterset_class = AssignmentFilterSet
    template_name = "certification/experts/assignment_list.html"
    default_ordering = ("-draw__drawn_at", "-pk")

    def allowed(self, user):
        return reads_sheets(user)

    def get_queryset(self):
        return selectors.assignment_list(user=self.request.user)

    def get_context_data(self, table, **context):
        for sheet in table.data:
            sheet.scores_visible = selectors.scores_visible(sheet, self.request.user)
        return {**context, "table": table}


def _document(file):
    """The sheet as a document (``certification.rubric.sheet``) of the application's file."""
    application = file["application"]
    return score_sheet(
        items=list(application.campaign.ruleset.items.all()),
        results=file["results"],
        declared=application.manual_inputs,
        declared_figures=application.declared_figures,
        attachments=file["attachments"],
        pass_mark=application.campaign.ruleset.pass_mark,
    )


def _rows(document):
    return {row.code: row for group in document.groups for row in group.rows}


def _render_sheet(request, sheet, *, declaration_form=None, score_form=None, status=200):
    own = sheet.expert.user_id == request.user.pk
    file = selectors.assignment_file(user=request.user, assignment=sheet)
    context = {
        "sheet": sheet,
        "own": own,
        "file": file,
        "scores_visible": selectors.scores_visible(sheet, request.user),
    }
    if own and sheet.status == AssignmentStatus.ASSIGNED:
        context["declaration_form"] = declaration_form or DeclarationForm()
    if file is not None:
        document = context["document"] = _document(file)
        ruleset = file["application"].campaign.ruleset
        context["ruleset_title"] = formatting.in_language(ruleset.title, ruleset.title_en)
        rows = _rows(document)
        if own and sheet.status == AssignmentStatus.DECLARED:
            score_form = context["score_form"] = score_form or ScoreSheetForm(
                items=file["items"], scores=sheet.scores, initial={"comment": sheet.comment}
            )
            for item, points, evidence in score_form.rows():
                rows[item.code].fields = (points, evidence)
        elif sheet.status == AssignmentStatus.SUBMITTED and context["scores_visible"]:
            for code, entry in sheet.scores.items():
                if code in rows:
                    rows[code].entry = entry
    submitted = sheet.status == AssignmentStatus.SUBMITTED
    if submitted and not sheet.panel_open:
        sheets, _count = selectors.panel_sheets(application=sheet.application)
        context["panel"] = [s for s in sheets if s.status == AssignmentStatus.SUBMITTED]
    context["waiting_for_panel"] = submitted and sheet.panel_open
    return render(request, "certification/experts/assignment_detail.html", context, status=status)


@allowed_if(reads_sheets)
def assignment_detail(request, pk):
    return _render_sheet(request, _get_sheet(request, pk))


@require_POST
@allowed_if(reads_sheets)
def assignment_declare(request, pk):
    sheet = _get_sheet(request, pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        result = call_service(
            form, services.assignment_declare, actor=request.user, assignment=sheet,
            **form.cleaned_service_kwargs(),
        )
        if result is not None:
            if result.status == AssignmentStatus.RECUSED:
                messages.success(request, _("You have recused yourself from this application."))
            else:
                messages.success(request, _("Your declaration is recorded; the file is open."))
            return redirect(_detail_url(result))
    return _render_sheet(request, sheet, declaration_form=form, status=400)


def _file_or_403(request, sheet):
    file = selectors.assignment_file(user=request.user, assignment=sheet)
    if file is None or sheet.expert.user_id != request.user.pk:
        raise PermissionDenied
    return file


@require_POST
@allowed_if(reads_sheets)
def assignment_score(request, pk):
    """Save the sheet; with ``submit`` in the POST, go on to the confirmation page."""
    sheet = _get_sheet(request, pk)
    file = _file_or_403(request, sheet)
    form = ScoreSheetForm(request.POST, items=file["items"])
    if form.is_valid():
        result = call_service(
            form, services.assignment_score_save, actor=request.user, assignment=sheet,
            scores=form.scores(), comment=form.cleaned_data["comment"],
        )
        if result is not None:
            if "submit" in request.POST:
                return redirect("certification:assignment-submit", pk=sheet.pk)
            messages.success(request, _("Your scores have been saved."))
            return redirect(_detail_url(result))
    return _render_sheet(request, sheet, score_form=form, status=400)


@allowed_if(reads_sheets)
def assignment_submit(request, pk):
    """GET: the sheet to confirm, with its total; POST: submit it for good."""
    sheet = _get_sheet(request, pk)
    file = _file_or_403(request, sheet)
    error = None
    if request.method == "POST":
        try:
            result = services.assignment_submit(actor=request.user, assignment=sheet)
        except exceptions.ANSWERED_BY_STATUS:
            raise
        except exceptions.DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your score sheet has been submitted."))
            return redirect(_detail_url(result))
    missing = [item.code for item in file["items"] if item.code not in sheet.scores]
    rows = _rows(_document(file))
    context = {
        "sheet": sheet,
        "file": file,
        "rows": [(rows[item.code], sheet.scores.get(item.code, {})) for item in file["items"]],
        "missing": missing,
        "total": None if missing else services.sheet_total(file["application"], sheet.scores),
        "error": error,
    }
    return render(
        request, "certification/experts/assignment_submit.html", context,
        status=400 if error else 200,
    )
