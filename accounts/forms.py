import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.selectors import operation_list
from oplog.choices import Kind
from oplog.models import Operation

EXPIRED_MESSAGE = _(
    "Your account expired on %(date)s and can no longer sign in; ask your administrator to "
    "extend it."
)


class LoginForm(AuthenticationForm):
    """The standard sign-in form, which also says so when the account has expired.

    The backend refuses expired accounts like a wrong password; the expiry is only named once
    the password is known to be right, so the message tells a stranger nothing.
    """

    def get_invalid_login_error(self):
        user = self._expired_user_with_this_password()
        if user is not None:
            return ValidationError(
                EXPIRED_MESSAGE, code="expired", params={"date": user.expires_on.isoformat()}
            )
        return super().get_invalid_login_error()

    def _expired_user_with_this_password(self):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(
                self.cleaned_data.get("username")
            )
        except user_model.DoesNotExist:
            return None
        # Expiry is tested first so that only expired accounts pay for a second password hash.
        if user.is_expired and user.check_password(self.cleaned_data.get("password")):
            return user
        return None


class UnlockForm(forms.Form):
    """Lift the sign-in lock on an account or an address (hidden, from the row), saying why."""

    username = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.GenericIPAddressField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), max_length=200,
        help_text=_("For example: the official telephoned and was identified."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("username") and not cleaned.get("address"):
            raise ValidationError(_("Choose an account or an address."), code="unlock_nothing")
        cleaned["address"] = cleaned.get("address") or ""
        return cleaned


def _people(request):
    return get_user_model().objects.exclude(role=Role.API_CLIENT).order_by("username")


class OperationFilterSet(django_filters.FilterSet):
    """The filters of the operations log: who, which days, what kind, which object.

    The rows are a union of two tables (``accounts.selectors.operation_list``), which a
    queryset filter cannot narrow once joined: the cleaned values go to the selector instead.
    """

    class Meta:
        model = Operation
        fields: list[str] = []

    user = django_filters.ModelChoiceFilter(
        label=_("user"), queryset=_people, empty_label=_("All users")
    )
    date_from = django_filters.DateFilter(
        label=_("from date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("to date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=Kind.choices, empty_label=_("All kinds")
    )
    object_type = django_filters.ChoiceFilter(
        label=_("object type"), choices=(), empty_label=_("All objects")
    )
    object_id = django_filters.CharFilter(label=_("object id"))

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].extra["choices"] = object_types

    def filter_queryset(self, queryset):
        return operation_list(**{
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        })
