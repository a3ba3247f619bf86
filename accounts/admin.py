import contextvars

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from gansu_sme.exceptions import DomainError

# The request of the admin's password page, for the form that resets the password in its name.
_password_request: contextvars.ContextVar = contextvars.ContextVar("password_request")


class ResetPasswordForm(AdminPasswordChangeForm):
    """The admin's password page: the password set there is a temporary one, which the user
    must replace at the next sign-in (unless administrators set their own)."""

    def save(self, commit=True):
        request = _password_request.get(None)
        if not self.cleaned_data.get("set_usable_password", True) or request is None:
            return super().save(commit=commit)
        services.password_reset(
            actor=request.user, user=self.user,
            new_password=self.cleaned_data["password1"], request=request,
        )
        return self.user


class CreationForm(AdminUserCreationForm):
    """A new account's first password is one an administrator chose: it must be changed."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = user.has_usable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username", "full_name", "role", "region", "expires_on", "is_active",
        "must_change_password", "last_login",
    )
    list_filter = ("role", "is_active", "must_change_password", "region__level")
    list_select_related = ("region",)
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("region",)
    readonly_fields = ("last_login", "date_joined")
    change_password_form = ResetPasswordForm
    add_form = CreationForm
    actions = ["reset_passwords"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and region"), {"fields": ("full_name", "role", "region", "expires_on")}),
        (_("Password"), {"fields": ("must_change_password",)}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role and region"), {"fields": ("full_name", "role", "region", "expires_on")}),
    )

    def user_change_password(self, request, id, form_url=""):
        token = _password_request.set(request)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_request.reset(token)

    @admin.action(
        description=_("Reset the password (temporary, to be changed at next sign-in)"),
        permissions=["change"],
    )
    def reset_passwords(self, request, queryset):
        """Give each chosen account a random temporary password and show them once, to be
        handed over in person or by telephone: an intranet sends no e-mail."""
        done = []
        for user in queryset.order_by("username"):
            try:
                password = services.password_reset(actor=request.user, user=user, request=request)
            except DomainError as error:
                messages.error(request, f"{user.username}: {error.message}")
                continue
            done.append((user, password))
        if not done:
            return None
        return TemplateResponse(request, "admin/accounts/user/temporary_passwords.html", {
            **self.admin_site.each_context(request),
            "title": _("Temporary passwords"),
            "opts": self.model._meta,
            "accounts": done,
        })
