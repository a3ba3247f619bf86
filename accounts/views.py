"""Pages of one's own account (profile, password, API tokens), the administrators' sign-in
locks, and the auditors' operations log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import LoginForm, OperationFilterSet, UnlockForm
from accounts.tables import OperationTable
from gansu_sme.exceptions import DomainError, PermissionDenied
from gansu_sme.lists import EXPORT_CHUNK_ROWS, ObjectListView
from oplog import selectors as oplog_selectors
from oplog.receivers import PREVIOUS_SIGN_IN


class LoginView(auth_views.LoginView):
    """Sign-in; warns when someone failed to sign in to the account since its last sign-in."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        failures = (self.request.session.get(PREVIOUS_SIGN_IN) or {}).get("failures") or 0
        if failures:
            messages.warning(self.request, _(
                "There were %(count)d failed sign-in attempts on your account since your last "
                "sign-in. If they were not yours, change your password."
            ) % {"count": failures})
        return response


@login_required
def account(request):
    return render(request, "registration/account.html", {
        "recent": oplog_selectors.recent_sign_ins(user=request.user),
        "administers": selectors.may_administer_accounts(request.user),
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password: the old one, then the new one twice, checked by the
    password validators. Also the page a user with a temporary password is held on."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        try:
            user = services.password_change(
                actor=self.request.user,
                new_password=form.cleaned_data["new_password1"],
                request=self.request,
            )
        except DomainError as error:
            form.add_error("new_password2", list(error.fields.get("password", [error.message])))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


class OperationList(ObjectListView):
    """The operations log: sign-ins, failed sign-ins, exports, downloads, password changes
    and every row change, newest first; read-only, for auditors and administrators."""

    http_method_names = ["get", "head", "options"]
    table_class = OperationTable
    filterset_class = OperationFilterSet
    template_name = "registration/operation_list.html"
    partial_template_name = "registration/partials/operation_results.html"
    export_listing = "operations"
    export_title = "操作日志"  # The sheet title of an export kept as a record: Chinese as data.

    def allowed(self, user):
        return selectors.may_read_operations(user)

    def get_queryset(self):
        return None

    def filtered(self):
        types = [
            (model._meta.label, str(model._meta.verbose_name))
            for model in selectors.tracked_models()
        ]
        filterset = self.filterset_class(
            self.request.GET, request=self.request, object_types=types
        )
        rows = filterset.qs
        if self.export:
            return filterset, selectors.operation_rows(rows.iterator(chunk_size=EXPORT_CHUNK_ROWS))
        return filterset, rows

    def page_rows(self, rows):
        # Names are looked up for the page's rows alone.
        return selectors.operation_rows(rows)


@login_required
def token_list(request):
    """One's API tokens (every account's, for an administrator), with a button to revoke each."""
    everyone = selectors.may_administer_accounts(request.user)
    return render(request, "registration/token_list.html", {
        "tokens": selectors.token_list(actor=request.user, everyone=everyone),
        "everyone": everyone,
        "token_days": settings.API_TOKEN_DAYS,
    })


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(
        selectors.token_list(actor=request.user, everyone=True), pk=pk
    )
    services.token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("The API token has been revoked; it no longer opens the API."))
    return redirect("token-list")


@login_required
def lockout_list(request):
    """Accounts and addresses with failed sign-ins on record; an administrator lifts a lock,
    saying why."""
    if not selectors.may_administer_accounts(request.user):
        raise PermissionDenied(code="unlock_not_allowed")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lockout_clear(actor=request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            for field, errors in error.fields.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Sign-in unlocked for %(who)s.") % {
                "who": form.cleaned_data["username"] or form.cleaned_data["address"],
            })
            return redirect("lockout-list")
    return render(request, "registration/lockout_list.html", {
        "lockouts": selectors.lockout_list(), "form": form,
    })
