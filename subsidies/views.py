"""Browser pages of the subsidy app: thin adapters over the selectors and services."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gansu_sme import exceptions
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.lists import ObjectListView, sums
from gansu_sme.views import ActionView, allowed_if, call_service
from oplog.choices import Sensitive
from oplog.viewing import logs_views
from registry import selectors as registry_selectors
from registry.services import export_record
from subsidies import forms, selectors, services
from subsidies.bankfile import BANK_COLUMNS, bank_rows, total_row
from subsidies.choices import AccountStatus, AccountVerb, BatchStatus, BatchVerb, EntitlementStatus
from subsidies.filtersets import (
    EntitlementFilterSet,
    PaymentBatchFilterSet,
    SupportProjectFilterSet,
)
from subsidies.models import Program, masked
from subsidies.querysets import sees_account_numbers, sees_province
from subsidies.services.common import city_of
from subsidies.tables import (
    AccountTable,
    BatchTable,
    EntitlementTable,
    LedgerTable,
    ProjectTable,
)


def can_read(user):
    return user.sees_regions


def _xlsx(file, name):
    return FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


# --- programs ------------------------------------------------------------------------------


@allowed_if(can_read)
def program_list(request):
    return render(request, "subsidies/program_list.html", {
        "programs": selectors.program_list(), "can_edit": services.is_finance(request.user),
    })


@allowed_if(services.is_finance)
def program_edit(request, pk):
    program = Program.objects.filter(pk=pk).first()
    if program is None:
        raise Http404
    form = forms.ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if call_service(form, services.program_update, actor=request.user, program=program,
                        **changes) is not None:
            messages.success(request, _("The program has been saved."))
            return redirect("subsidies:program-list")
    return _form(request, form, _("Edit program"), reverse("subsidies:program-list"),
                 subtitle=program.name)


def allocation_totals(allocations):
    return sums(allocations, "amount", "reserved", "committed", "paid", "remaining")


def _form(request, form, title, back, subtitle=""):
    return render(request, "subsidies/form.html", {
        "form": form, "title": title, "back": back, "subtitle": subtitle,
    }, status=400 if form.is_bound else 200)


# --- budgets -------------------------------------------------------------------------------


@allowed_if(sees_province)
def budget_list(request):
    form = forms.BudgetForm(request.POST or None)
    if request.method == "POST" and services.is_finance(request.user) and form.is_valid():
        budget = call_service(form, services.budget_create, actor=request.user,
                              **form.cleaned_data)
        if budget is not None:
            messages.success(request, _("The budget has been opened."))
            return redirect("subsidies:budget-detail", budget.pk)
    budgets = list(selectors.budget_list(user=request.user))
    return render(request, "subsidies/budget_list.html", {
        "budgets": budgets, "totals": sums(budgets, "amount", "allocated", "unallocated"),
        "form": form, "can_edit": services.is_finance(request.user),
    }, status=400 if form.is_bound else 200)


@allowed_if(sees_province)
def budget_detail(request, pk):
    budget = selectors.budget_get(user=request.user, pk=pk)
    form = forms.AllocationForm(request.POST or None)
    if request.method == "POST" and services.is_finance(request.user) and form.is_valid():
        if call_service(form, services.allocation_set, actor=request.user, budget=budget,
                        **form.cleaned_data) is not None:
            messages.success(request, _("The city's block has been saved."))
            return redirect("subsidies:budget-detail", budget.pk)
    allocations = list(selectors.allocation_list(user=request.user).filter(budget=budget))
    return render(request, "subsidies/budget_detail.html", {
        "budget": budget,
        "allocations": allocations, "allocation_totals": allocation_totals(allocations),
        "form": form, "can_edit": services.is_finance(request.user),
    }, status=400 if form.is_bound else 200)


# --- entitlements and ledger ---------------------------------------------------------------


class SubsidyListView(ObjectListView):
    log_export = staticmethod(export_record)

    def allowed(self, user):
        return can_read(user)


@logs_views(Sensitive.AWARDS)
class EntitlementList(SubsidyListView):
    table_class = EntitlementTable
    filterset_class = EntitlementFilterSet
    template_name = "subsidies/entitlement_list.html"

    def get_queryset(self):
        return selectors.entitlement_list(user=self.request.user)


def _entitlement_page(request, entitlement, bound=None, status=200):
    bound = bound or {}
    finance = services.is_finance(request.user)
    context = {"entitlement": entitlement, "transitions": entitlement.transitions.select_related(
        "actor")}
    if finance and entitlement.status == EntitlementStatus.PENDING:
        context["approve_form"] = bound.get("approve") or forms.ApproveForm(prefix="approve")
        allocations = list(selectors.allocation_list(user=request.user).filter(
            city=entitlement.city
        ))
        context["allocations"] = allocations
        context["allocation_totals"] = allocation_totals(allocations)
    if finance and entitlement.status in (EntitlementStatus.PENDING,
                                          EntitlementStatus.APPROVED):
        if not entitlement.in_open_batch:
            context["cancel_form"] = bound.get("cancel") or forms.ReasonForm(prefix="cancel")
    if finance and entitlement.status == EntitlementStatus.RECOVERY_DUE:
        context["recovery_form"] = bound.get("recovery") or forms.RecoveryForm(
            prefix="recovery"
        )
    return render(request, "subsidies/entitlement_detail.html", context, status=status)


@logs_views(Sensitive.AWARDS, object_type="subsidies.Entitlement")
@allowed_if(can_read)
def entitlement_detail(request, pk):
    entitlement = selectors.entitlement_get(user=request.user, pk=pk)
    return _entitlement_page(request, entitlement)


class EntitlementAction(ActionView):
    """A finance officer's POST from the award's page that calls one service."""

    object_name = "entitlement"

    def allowed(self, user):
        return services.is_finance(user)

    def get_object(self):
        return selectors.entitlement_get(user=self.request.user, pk=self.kwargs["pk"])

    def success_url(self, result):
        return reverse("subsidies:entitlement-detail", args=[self.kwargs["pk"]])

    def refused(self, entitlement, form):
        return _entitlement_page(self.request, entitlement, {self.form_prefix: form}, status=400)


class EntitlementApprove(EntitlementAction):
    form_class = forms.ApproveForm
    form_prefix = "approve"
    service = services.entitlement_approve
    success_message = gettext_lazy("Approved; the amount is reserved in the city's block.")


class EntitlementCancel(EntitlementAction):
    form_class = forms.ReasonForm
    form_prefix = "cancel"
    service = services.entitlement_cancel
    success_message = gettext_lazy("The entitlement is cancelled.")


class EntitlementRecovery(EntitlementAction):
    form_class = forms.RecoveryForm
    form_prefix = "recovery"
    service = services.entitlement_record_recovery
    success_message = gettext_lazy("The recovery has been recorded.")


entitlement_approve = EntitlementApprove.as_view()
entitlement_cancel = EntitlementCancel.as_view()
entitlement_recovery = EntitlementRecovery.as_view()


@logs_views(Sensitive.AWARDS)
class Ledger(SubsidyListView):
    table_class = LedgerTable
    template_name = "subsidies/ledger.html"
    # Every program, year and city on one page: the ledger is a summary, not a register.
    paginate_by = 10_000
    export_listing = "subsidy_ledger"
    export_title = "奖补台账"

    def filtered(self):
        # The filters choose entitlements; the ledger sums what they chose.
        filterset = EntitlementFilterSet(
            self.request.GET, queryset=selectors.entitlement_list(user=self.request.user),
            request=self.request,
        )
        rows = selectors.ledger(user=self.request.user, entitlements=filterset.qs)
        return filterset, list(rows)


# --- batches -------------------------------------------------------------------------------


class BatchList(SubsidyListView):
    """Payment batches; finance officers open a draft one from the same page."""

    table_class = BatchTable
    filterset_class = PaymentBatchFilterSet
    template_name = "subsidies/batch_list.html"
    form = None

    def allowed(self, user):
        return sees_province(user)

    def get_queryset(self):
        return selectors.batch_list(user=self.request.user)

    def post(self, request):
        self.form = forms.BatchForm(request.POST)
        if services.is_finance(request.user) and self.form.is_valid():
            batch = call_service(self.form, services.batch_create, actor=request.user,
                                 **self.form.cleaned_data)
            if batch is not None:
                messages.success(request, _("The draft batch has been opened."))
                return redirect("subsidies:batch-detail", batch.pk)
        return self.get(request)

    def get_context_data(self, **context):
        return {**context, "form": self.form or forms.BatchForm(),
                "can_edit": services.is_finance(self.request.user)}

    def status(self, context):
        return 400 if self.form is not None else 200


VERB_FORMS = {
    BatchVerb.SUBMIT: forms.NoteForm,
    BatchVerb.APPROVE: forms.NoteForm,
    BatchVerb.PAY: forms.PayForm,
    BatchVerb.CANCEL: forms.ReasonForm,
}


def _batch_page(request, batch, bound=None, status=200):
    bound = bound or {}
    verbs = services.batch_verbs(request.user, batch)
    items = list(selectors.batch_items(batch=batch))
    context = {
        "batch": batch,
        "items": items, "items_total": sums(items, "amount")["amount"],
        "transitions": batch.transitions.select_related("actor"),
        "verb_forms": [(verb, BatchVerb(verb).label, bound.get(verb) or VERB_FORMS[verb](
            prefix=verb)) for verb in verbs],
        "can_export": services.is_finance(request.user)
        and batch.status in (BatchStatus.APPROVED, BatchStatus.PAID),
        "add_error": bound.get("add"),
    }
    # Only the maker changes a draft (four eyes: whoever changed it may not approve it).
    if batch.status == BatchStatus.DRAFT and batch.created_by_id == request.user.pk:
        candidates = list(selectors.batch_candidates(user=request.user))
        accounts = selectors.payee_accounts(candidates)
        for entitlement in candidates:
            held = accounts.get(selectors.payee_key(entitlement), {})
            entitlement.current_account = held.get(AccountStatus.CONFIRMED)
            entitlement.pending_account = held.get(AccountStatus.PENDING)
        context["candidates"] = candidates
    if items:
        # The bank file's own columns and 合计 row, numbers masked but for finance officers.
        kinds = ["account" if column.sensitive else column.kind for column in BANK_COLUMNS]
        totals, _total = total_row(items, batch.title)
        context["bank_preview"] = {
            "headers": list(zip([column.header for column in BANK_COLUMNS], kinds, strict=True)),
            "rows": [list(zip(row, kinds, strict=True)) for row in bank_rows(
                items, mask=not sees_account_numbers(request.user))],
            "totals": list(zip(totals, kinds, strict=True)),
        }
    return render(request, "subsidies/batch_detail.html", context, status=status)


@logs_views(Sensitive.BANK_ACCOUNTS, object_type="subsidies.PaymentBatch")
@allowed_if(sees_province)
def batch_detail(request, pk):
    return _batch_page(request, selectors.batch_get(user=request.user, pk=pk))


@require_POST
@allowed_if(services.is_finance)
def batch_add(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    ids = [int(value) for value in request.POST.getlist("entitlement") if value.isdigit()]
    rows = selectors.entitlement_list(user=request.user).filter(pk__in=ids)
    form = forms.NoteForm({})
    form.is_valid()
    if ids and call_service(form, services.batch_add_entitlements, actor=request.user,
                            batch=batch, entitlements=list(rows)) is not None:
        messages.success(request, _("The entitlements have been added."))
        return redirect("subsidies:batch-detail", pk)
    return _batch_page(request, batch, {"add": form.errors or _("Choose entitlements.")},
                       status=400)


@require_POST
@allowed_if(services.is_finance)
def batch_remove(request, pk, entitlement_pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    entitlement = selectors.entitlement_get(user=request.user, pk=entitlement_pk)
    form = forms.NoteForm({})
    form.is_valid()
    if call_service(form, services.batch_remove_entitlement, actor=request.user, batch=batch,
                    entitlement=entitlement) is not None:
        messages.success(request, _("The award has been removed from the batch."))
        return redirect("subsidies:batch-detail", pk)
    return _batch_page(request, batch, {"add": form.errors}, status=400)


@require_POST
@allowed_if(services.is_finance)
def batch_transition(request, pk, verb):
    if verb not in VERB_FORMS:
        raise Http404
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = VERB_FORMS[verb](request.POST, prefix=verb)
    if form.is_valid():
        details = dict(form.cleaned_data)
        # The officer's note goes to the transition row as its reason (the audit trail).
        if "note" in details:
            details["reason"] = details.pop("note")
        if call_service(form, services.BATCH_VERB_SERVICES[verb], actor=request.user,
                        batch=batch, **details) is not None:
            messages.success(request, _("The batch has been updated."))
            return redirect("subsidies:batch-detail", pk)
    return _batch_page(request, batch, {verb: form}, status=400)


@allowed_if(services.is_finance)
def batch_bank_file(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        file, name, _total = services.batch_bank_file(actor=request.user, batch=batch)
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except exceptions.DomainError as exc:
        messages.error(request, exc.message)
        return redirect("subsidies:batch-detail", pk)
    return _xlsx(file, name)


# --- receiving accounts --------------------------------------------------------------------


@logs_views(Sensitive.BANK_ACCOUNTS)
class AccountList(SubsidyListView):
    """Receiving accounts of firms and cities, awaiting confirmation first."""

    table_class = AccountTable
    template_name = "subsidies/account_list.html"

    def allowed(self, user):
        return sees_province(user)

    def get_queryset(self):
        return selectors.account_list(user=self.request.user)

    def filtered(self):
        rows = self.get_queryset()
        status = self.request.GET.get("status")
        if status in AccountStatus.values:
            rows = rows.filter(status=status)
        return None, rows.order_by("-recorded_at", "-pk")

    def get_context_data(self, **context):
        return {**context, "statuses": AccountStatus.choices,
                "current_status": self.request.GET.get("status", ""),
                "can_edit": services.is_finance(self.request.user)}


@allowed_if(services.is_finance)
def account_new(request):
    initial = {key: request.GET[key] for key in ("uscc", "city") if request.GET.get(key)}
    form = forms.AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uscc = data.pop("uscc").strip().upper()
        enterprise = None
        if uscc:
            try:
                enterprise = registry_selectors.enterprise_get(user=request.user, uscc=uscc)
            except exceptions.OutOfScope:
                form.add_error("uscc", _("No enterprise with this credit code in your region."))
        if not form.errors:
            account = call_service(form, services.account_record, actor=request.user,
                                   enterprise=enterprise, **data)
            if account is not None:
                messages.success(request, _(
                    "The account is recorded; another finance officer must confirm it before "
                    "any payment uses it."))
                return redirect("subsidies:account-detail", account.pk)
    return _form(request, form, _("Record a receiving account"),
                 reverse("subsidies:account-list"))


ACCOUNT_FORMS = {AccountVerb.CONFIRM: forms.AccountReviewForm,
                 AccountVerb.REJECT: forms.AccountRejectForm}
ACCOUNT_SERVICES = {AccountVerb.CONFIRM: services.account_confirm,
                    AccountVerb.REJECT: services.account_reject}


def _account_page(request, account, bound=None, status=200):
    bound = bound or {}
    verbs = [verb for verb in services.account_verbs(request.user, account)
             if verb in ACCOUNT_FORMS]
    full = sees_account_numbers(request.user)
    return render(request, "subsidies/account_detail.html", {
        "account": account,
        "number": account.account_number if full else masked(account.account_number),
        "transitions": account.transitions.select_related("actor"),
        "history": selectors.account_list(user=request.user).filter(
            enterprise=account.enterprise, city=account.city
        ).exclude(pk=account.pk),
        "full": full,
        "verb_forms": [(verb, AccountVerb(verb).label, bound.get(verb) or ACCOUNT_FORMS[verb](
            prefix=verb)) for verb in verbs],
    }, status=status)


@logs_views(Sensitive.BANK_ACCOUNTS, object_type="subsidies.ReceivingAccount")
@allowed_if(sees_province)
def account_detail(request, pk):
    return _account_page(request, selectors.account_get(user=request.user, pk=pk))


@require_POST
@allowed_if(services.is_finance)
def account_transition(request, pk, verb):
    if verb not in ACCOUNT_FORMS:
        raise Http404
    account = selectors.account_get(user=request.user, pk=pk)
    form = ACCOUNT_FORMS[verb](request.POST, prefix=verb)
    if form.is_valid() and call_service(
        form, ACCOUNT_SERVICES[verb], actor=request.user, account=account,
        reason=form.cleaned_data["reason"], expected_status=account.status,
    ) is not None:
        messages.success(request, _("The account has been updated."))
        return redirect("subsidies:account-detail", pk)
    return _account_page(request, account, {verb: form}, status=400)


# --- city rewards and projects -------------------------------------------------------------


@logs_views(Sensitive.AWARDS)
@allowed_if(can_read)
def city_reward_list(request):
    form = forms.CityRewardForm(request.POST or None)
    if request.method == "POST" and services.is_finance(request.user) and form.is_valid():
        reward = call_service(form, services.city_reward_compute, actor=request.user,
                              **form.cleaned_data)
        if reward is not None:
            messages.success(request, _("The city's year has been computed."))
            return redirect("subsidies:city-reward-detail", reward.pk)
    return render(request, "subsidies/city_reward_list.html", {
        "rewards": selectors.city_reward_list(user=request.user), "form": form,
        "can_edit": services.is_finance(request.user),
    }, status=400 if form.is_bound else 200)


@allowed_if(can_read)
def city_reward_detail(request, pk):
    reward = selectors.city_reward_get(user=request.user, pk=pk)
    return render(request, "subsidies/city_reward_detail.html", {
        "reward": reward, "entitlement": getattr(reward, "entitlement", None),
        "can_edit": services.is_finance(request.user),
    })


class ProjectList(SubsidyListView):
    table_class = ProjectTable
    filterset_class = SupportProjectFilterSet
    template_name = "subsidies/project_list.html"

    def get_queryset(self):
        return selectors.project_list(user=self.request.user)

    def get_context_data(self, **context):
        return {**context,
                "can_submit": self.request.user.has_role(*services.PROJECT_SUBMITTER_ROLES)}


@allowed_if(lambda user: user.has_role(*services.PROJECT_SUBMITTER_ROLES))
def project_submit(request):
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            enterprise = registry_selectors.enterprise_get(
                user=request.user, uscc=data.pop("uscc").strip().upper()
            )
        except exceptions.OutOfScope:
            form.add_error("uscc", _("No enterprise with this credit code in your region."))
        else:
            project = call_service(form, services.project_submit, actor=request.user,
                                   enterprise=enterprise, **data)
            if project is not None:
                messages.success(request, _("The project has been submitted."))
                return redirect("subsidies:project-detail", project.pk)
    return _form(request, form, _("Submit a support project"),
                 reverse("subsidies:project-list"))


PROJECT_FORMS = {"vouch": forms.NoteForm, "approve": forms.ProjectApproveForm,
                 "reject": forms.ReasonForm}
PROJECT_SERVICES = {"vouch": services.project_vouch, "approve": services.project_approve,
                    "reject": services.project_reject}


def _project_page(request, project, bound=None, status=200):
    bound = bound or {}
    verbs = services.project_verbs(request.user, project)
    allocations = list(selectors.allocation_list(user=request.user).filter(
        city=city_of(project.enterprise.region)
    ))
    return render(request, "subsidies/project_detail.html", {
        "project": project,
        "entitlement": getattr(project, "entitlement", None),
        "transitions": project.transitions.select_related("actor"),
        "verb_forms": [(verb, bound.get(verb) or PROJECT_FORMS[verb](prefix=verb))
                       for verb in verbs],
        "allocations": allocations, "allocation_totals": allocation_totals(allocations),
    }, status=status)


@allowed_if(can_read)
def project_detail(request, pk):
    return _project_page(request, selectors.project_get(user=request.user, pk=pk))


@require_POST
@allowed_if(can_read)
def project_transition(request, pk, verb):
    if verb not in PROJECT_FORMS:
        raise Http404
    project = selectors.project_get(user=request.user, pk=pk)
    form = PROJECT_FORMS[verb](request.POST, prefix=verb)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if verb == "reject":
            data = {"note": data["reason"]}
        if call_service(form, PROJECT_SERVICES[verb], actor=request.user, project=project,
                        **data) is not None:
            messages.success(request, _("The project has been updated."))
            return redirect("subsidies:project-detail", pk)
    return _project_page(request, project, {verb: form}, status=400)
