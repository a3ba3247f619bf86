"""Browser forms of the province's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gansu_sme.forms import ServiceErrorsMixin


class ApproveForm(ServiceErrorsMixin, forms.Form):
    score = forms.DecimalField(
        label=_("Score decided"), min_value=0, max_value=100, decimal_places=1, required=False,
        help_text=_("Blank: the panel score."),
    )
    reason = forms.CharField(
        label=_("Reason for departing from the panel"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the score differs from the panel score or the panel score"
                    " is below the pass mark."),
    )


class RejectForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the application's history; also the reason for departing from"
                    " the panel when its score reaches the pass mark."),
    )
