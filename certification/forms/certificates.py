from django import forms
from django.utils.translation import gettext_lazy as _

from certification.choices import RevocationReason
from gansu_sme.forms import ServiceErrorsMixin


class RevokeForm(ServiceErrorsMixin, forms.Form):
    """The confirmation step of a revocation: the reason, its details, and the official's
    explicit confirmation that this firm's certificate is to be revoked."""

    reason = forms.ChoiceField(
        label=_("Revocation reason"), choices=[("", "—"), *RevocationReason.choices]
    )
    note = forms.CharField(
        label=_("Revocation details"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("I have checked the facts and confirm the revocation of this certificate."),
        error_messages={"required": _("Confirm the revocation to go on.")},
    )

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"], "note": self.cleaned_data["note"]}


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    approved = forms.TypedChoiceField(
        label=_("National outcome"),
        choices=[("yes", _("Recognised nationally")), ("no", _("Not recognised"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    document = forms.CharField(
        label=_("National document number"), max_length=100,
        help_text=_("Number of MIIT's notice."),
    )
