from django import forms
from django.utils.translation import gettext_lazy as _

from certification.choices import ApplicationStatus
from certification.documents import PROVINCE_AUTHORITY
from certification.models import Application
from certification.selectors.notices import notice_objectable_firms
from gansu_sme.forms import ServiceErrorsMixin


class FirmChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, application):
        return f"{application.enterprise.name}（{application.enterprise.uscc}）"


class NoticePublishForm(ServiceErrorsMixin, forms.Form):
    """Publish a notice of a campaign's approved applications."""

    applications = FirmChoiceField(
        label=_("Firms to publish"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    # Printed on the notice as official text: 发布单位, 联系人, 联系电话, 发布日期.
    issuer = forms.CharField(
        label=_("Issuing authority"), max_length=100, initial=PROVINCE_AUTHORITY
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=50)
    telephone = forms.CharField(
        label=_("Telephone"), max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "placeholder": "0931-8888888"}),
    )
    published_on = forms.DateField(
        label=_("Publication date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Today when left empty."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left empty; it counts as day 1 when it is a working day."),
    )
    days = forms.IntegerField(
        label=_("Working days"), required=False, min_value=1, max_value=30,
        help_text=_("The campaign's notice period when left empty."),
    )

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = (
            Application.objects.visible_to(user)
            .filter(campaign=campaign, status=ApplicationStatus.APPROVED)
            .select_related("enterprise")
            .order_by("enterprise__name")
        )
        self.fields["days"].widget.attrs["placeholder"] = str(campaign.notice_days)


class ObjectionForm(ServiceErrorsMixin, forms.Form):
    """An objection anyone may file against a firm of an open notice."""

    application = forms.TypedChoiceField(label=_("Firm"), coerce=int)
    name = forms.CharField(label=_("Your name"), max_length=50)
    contact = forms.CharField(
        label=_("Contact"), max_length=100, help_text=_("Telephone or address for our reply.")
    )
    text = forms.CharField(
        label=_("Objection"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Facts and evidence; a real name is required."),
    )

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        # Only firms still in notice: one whose objection was upheld is already rejected.
        self.fields["application"].choices = [("", "—")] + [
            (firm.pk, firm.enterprise.name) for firm in notice_objectable_firms(notice)
        ]


class RulingForm(ServiceErrorsMixin, forms.Form):
    UPHOLD, DISMISS = "uphold", "dismiss"

    # Required: a ruling cannot be reversed, so a missing or mistyped one is refused, not taken
    # for a dismissal.
    decision = forms.ChoiceField(
        label=_("Ruling"),
        choices=[(UPHOLD, _("Uphold (reject the application)")), (DISMISS, _("Dismiss"))],
    )
    reason = forms.CharField(
        label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
