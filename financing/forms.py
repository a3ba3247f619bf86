"""Forms of the financing pages; every rule is the services', shown beside the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from financing.choices import CreditStars, NeedKind, Urgency
from financing.models import WAN, FinancialInstitution
from gansu_sme.forms import ServiceErrorsMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NeedForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind of financing"), choices=NeedKind.choices)
    amount = forms.DecimalField(label=_("amount (10,000 yuan)"), min_value=0, **WAN)
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1, max_value=360)
    purpose = forms.CharField(label=_("purpose"), max_length=200)
    collateral = forms.CharField(
        label=_("collateral"), max_length=200, required=False,
        help_text=_("What the firm can pledge or mortgage; blank if none."),
    )
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices,
                                initial=Urgency.NORMAL)
    agreed_to_share = forms.BooleanField(
        label=_("agreed to share with institutions"), required=False,
        help_text=_("Tick only with the firm's consent: financial institutions may then read "
                    "this need."),
    )


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False)


def _institutions():
    return FinancialInstitution.objects.filter(is_active=True).order_by("name", "branch")


class EventForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    institutions = forms.ModelMultipleChoiceField(
        label=_("invited institutions"), queryset=FinancialInstitution.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = _institutions()


class PutNeedsForm(ServiceErrorsMixin, forms.Form):
    needs = forms.ModelMultipleChoiceField(
        label=_("needs to put to the event"), queryset=FinancialInstitution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = candidates
        self.fields["needs"].label_from_instance = lambda need: (
            f"{need.enterprise.name} · {need.get_kind_display()} · {need.amount}"
        )


class _EventInstitutionForm(ServiceErrorsMixin, forms.Form):
    institution = forms.ModelChoiceField(
        label=_("institution"), queryset=FinancialInstitution.objects.none()
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = (
            event.institutions.all() if event is not None else _institutions()
        )


class ContactForm(_EventInstitutionForm):
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False)


class GrantForm(_EventInstitutionForm):
    granted_amount = forms.DecimalField(
        label=_("granted amount (10,000 yuan)"), min_value=0, **WAN
    )
    rate = forms.DecimalField(label=_("annual rate (%)"), max_digits=5, decimal_places=2)
    granted_on = forms.DateField(label=_("granted on"), widget=DATE,
                                 initial=timezone.localdate)
    reason = forms.CharField(label=_("Note"), max_length=2000, required=False)


class CreditAdmitForm(ServiceErrorsMixin, forms.Form):
    enterprise = forms.CharField(
        label=_("credit code"), max_length=18, help_text=_("Unified social credit code.")
    )
    admitted_on = forms.DateField(label=_("admitted on"), widget=DATE,
                                  initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=2000, required=False)


class CreditRatingForm(ServiceErrorsMixin, forms.Form):
    enterprise = forms.CharField(
        label=_("credit code"), max_length=18, help_text=_("Unified social credit code.")
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    stars = forms.TypedChoiceField(label=_("stars"), choices=CreditStars.choices, coerce=int)
    rating_body = forms.CharField(label=_("rating body"), max_length=100)


class NeedImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
