from django import forms
from django.utils.translation import gettext_lazy as _

from gansu_sme.formatting import yuan
from gansu_sme.forms import ServiceErrorsMixin
from registry.choices import RegionLevel
from registry.models import Region
from subsidies.choices import FundingSource
from subsidies.models import MONEY, Budget, Program
from subsidies.services.programs import PROGRAM_EDITABLE_FIELDS


def money_field(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, **MONEY, **kwargs)


class BudgetChoiceField(forms.ModelChoiceField):
    """Budgets labelled with what they leave unallocated: remaining money is shown where
    money is decided."""

    def label_from_instance(self, budget):
        return f"{budget} · {_('unallocated')} {yuan(budget.unallocated)}"


class ProgramForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Program
        fields = PROGRAM_EDITABLE_FIELDS


class BudgetForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    funding_source = forms.ChoiceField(label=_("funding source"),
                                       choices=FundingSource.choices)
    amount = money_field(_("amount (yuan)"))
    document = forms.CharField(label=_("budget document"), required=False, max_length=100)


class AllocationForm(ServiceErrorsMixin, forms.Form):
    city = forms.ModelChoiceField(
        label=_("city"),
        queryset=Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code"),
    )
    amount = money_field(_("amount (yuan)"))


class ApproveForm(ServiceErrorsMixin, forms.Form):
    budget = BudgetChoiceField(label=_("budget"), queryset=Budget.objects.all())


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RecoveryForm(ServiceErrorsMixin, forms.Form):
    amount = money_field(_("amount returned (yuan)"))
    reference = forms.CharField(label=_("repayment reference"), max_length=100)


class BatchForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)


class PayForm(ServiceErrorsMixin, forms.Form):
    bank_reference = forms.CharField(label=_("bank reference"), max_length=100)
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))


class CityRewardForm(ServiceErrorsMixin, forms.Form):
    city = forms.ModelChoiceField(
        label=_("city"),
        queryset=Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code"),
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class ProjectForm(ServiceErrorsMixin, forms.Form):
    uscc = forms.CharField(label=_("credit code"), max_length=18)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("project title"), max_length=200)
    purpose = forms.CharField(label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    amount_requested = money_field(_("amount requested (yuan)"))
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 3}))


class ProjectApproveForm(ServiceErrorsMixin, forms.Form):
    amount = money_field(_("amount approved (yuan)"))
    budget = BudgetChoiceField(label=_("budget"), queryset=Budget.objects.all())
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AccountForm(ServiceErrorsMixin, forms.Form):
    """A receiving account as the payee's stamped account form gives it: a firm's (by credit
    code) or a city finance bureau's."""

    uscc = forms.CharField(label=_("credit code of the firm"), required=False, max_length=18)
    city = forms.ModelChoiceField(
        label=_("or the city (city rewards)"), required=False,
        queryset=Region.objects.filter(level=RegionLevel.PREFECTURE).order_by("code"),
    )
    account_name = forms.CharField(label=_("account name"), max_length=200)
    bank_name = forms.CharField(label=_("bank and branch"), max_length=200)
    account_number = forms.CharField(label=_("account number"), max_length=40)
    reason = forms.CharField(
        label=_("why (new account, change and its cause, source document)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if bool((data.get("uscc") or "").strip()) == bool(data.get("city")):
            raise forms.ValidationError(
                _("Give either the firm's credit code or the city."), code="account_payee"
            )
        return data


class AccountReviewForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("note"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AccountRejectForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
