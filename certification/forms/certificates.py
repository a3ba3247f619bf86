from django import forms
from django.utils.translation import gettext_lazy as _

from certification.choices import RevocationReason
from gansu_sme.forms import ServiceErrorsMixin


class RevokeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Revocation reason"), choices=[("", "—"), *RevocationReason.choices]
    )
    note = forms.CharField(
        label=_("Revocation details"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    approved = forms.TypedChoiceField(
        label=_("National outcome"),
        choices=[("yes", _("Recognised nationally")), ("no", _("Not recognised"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    document = forms.CharField(
        label=_("National document number"), max_length=100,
        help_text=_("Number of MIIT's notice (工信部公告文号)."),
    )
