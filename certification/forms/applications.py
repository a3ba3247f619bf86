"""Browser forms of applications: the nomination form with its manual entries, the reason
of a return or withdrawal, and an evidence upload."""

import datetime
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.choices import AttachmentKind, ItemKind, ItemMode
from certification.models import Campaign, Certificate
from certification.rubric.criteria import is_ranged
from certification.rubric.metrics import DATE_FIGURES, DECLARED_FIGURES
from gansu_sme import formatting
from gansu_sme.forms import ServiceErrorsMixin
from registry.models import Enterprise

MET_CHOICES = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class ApplicationForm(ServiceErrorsMixin, forms.Form):
    """What the filing official enters: campaign and enterprise (new drafts only), a summary,
    the certificate a re-review renews, and the manual items and declared figures of the
    campaign's rule set, each with its evidence note."""

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    enterprise = forms.CharField(
        label=_("Enterprise"), max_length=100,
        help_text=_("Type part of the name or the credit code of an enterprise in your region."),
    )
    summary = forms.CharField(
        label=_("Summary of the application"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    renews = forms.CharField(
        label=_("Certificate renewed"), required=False, max_length=32,
        help_text=_("Re-review campaigns only: the number of the certificate to renew."),
    )

    def __init__(self, *args, actor, campaigns=None, application=None, **kwargs):
        self.actor = actor
        self.application = application
        if application is not None:
            kwargs.setdefault("initial", {}).update(_initial_of(application))
        super().__init__(*args, **kwargs)
        if application is None:
            # The firm picker's type-ahead (static/js/firm-picker.js) asks this address.
            self.fields["enterprise"].widget.attrs.update(
                {"data-firm-search": reverse("certification:firm-search"), "autocomplete": "off"}
            )
        if application is not None:
            del self.fields["campaign"], self.fields["enterprise"]
            self.chosen_campaign = application.campaign
        else:
            self.fields["campaign"].queryset = campaigns
            self.chosen_campaign = self._chosen_campaign(campaigns)
        self.items = []
        if self.chosen_campaign is not None:
            for item in self.chosen_campaign.ruleset.items.all():
                if item.mode == ItemMode.MANUAL:
                    self._add_item_fields(item)
        for name, (label, label_en) in DECLARED_FIGURES.items():
            label = formatting.in_language(label, label_en[:1].upper() + label_en[1:])
            if name in DATE_FIGURES:
                self.fields[f"declared_{name}"] = forms.DateField(
                    label=label, required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )
            else:
                self.fields[f"declared_{name}"] = forms.DecimalField(
                    label=label, required=False, min_value=0,
                )
            self.fields[f"declared_{name}_evidence"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=500
            )

    def _chosen_campaign(self, campaigns):
        raw = self.data.get("campaign") or self.initial.get("campaign")
        try:
            return campaigns.filter(pk=int(getattr(raw, "pk", raw))).first()
        except (TypeError, ValueError):
            return None

    def _add_item_fields(self, item):
        label = f"{item.code} {formatting.in_language(item.title, item.title_en)}"
        if item.kind != ItemKind.SCORED:
            field = forms.ChoiceField(label=label, choices=MET_CHOICES, required=False)
        elif is_ranged(item.bands):
            field = forms.DecimalField(
                label=label, required=False, min_value=0,
                help_text=_("Value; the points follow from the bands."),
            )
        else:
            field = forms.DecimalField(
                label=label, required=False, min_value=0, max_value=item.max_points,
                help_text=_("Points, at most %(max)s.") % {"max": item.max_points},
            )
        self.fields[f"item_{item.code}"] = field
        self.fields[f"evidence_{item.code}"] = forms.CharField(
            label=_("Evidence"), required=False, max_length=500
        )
        self.items.append(item)

    def item_rows(self):
        return [(self[f"item_{i.code}"], self[f"evidence_{i.code}"]) for i in self.items]

    def declared_rows(self):
        return [
            (self[f"declared_{name}"], self[f"declared_{name}_evidence"])
            for name in DECLARED_FIGURES
        ]

    def clean_enterprise(self):
        code = self.cleaned_data["enterprise"].strip().upper()
        enterprise = Enterprise.objects.visible_to(self.actor).filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(
                _("No enterprise with this credit code in your region.")
            )
        return enterprise

    def clean_renews(self):
        number = self.cleaned_data["renews"].strip()
        if not number:
            return None
        certificate = Certificate.objects.visible_to(self.actor).filter(number=number).first()
        if certificate is None:
            raise forms.ValidationError(_("No certificate with this number in your region."))
        return certificate

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            given = cleaned.get(f"item_{item.code}") not in (None, "")
            if given and not cleaned.get(f"evidence_{item.code}", "").strip():
                self.add_error(f"evidence_{item.code}", _("An evidence note is required."))
        for name in DECLARED_FIGURES:
            given = cleaned.get(f"declared_{name}") is not None
            if given and not cleaned.get(f"declared_{name}_evidence", "").strip():
                self.add_error(f"declared_{name}_evidence", _("An evidence note is required."))
        return cleaned

    def manual_inputs(self):
        """The entries as the rule engine takes them: ``{code: {met|points|value, evidence}}``."""
        inputs = {}
        for item in self.items:
            raw = self.cleaned_data.get(f"item_{item.code}")
            if raw in (None, ""):
                continue
            evidence = self.cleaned_data.get(f"evidence_{item.code}", "").strip()
            if item.kind != ItemKind.SCORED:
                inputs[item.code] = {"met": raw == "yes", "evidence": evidence}
            else:
                key = "value" if is_ranged(item.bands) else "points"
                inputs[item.code] = {key: str(raw), "evidence": evidence}
        return inputs

    def declared_figures(self):
        declared = {}
        for name in DECLARED_FIGURES:
            value = self.cleaned_data.get(f"declared_{name}")
            if value is not None:
                evidence = self.cleaned_data.get(f"declared_{name}_evidence", "").strip()
                value = value.isoformat() if name in DATE_FIGURES else str(value)
                declared[name] = {"value": value, "evidence": evidence}
        return declared

    def service_fields(self):
        fields = {
            "summary": self.cleaned_data.get("summary", ""),
            "manual_inputs": self.manual_inputs(),
            "declared_figures": self.declared_figures(),
            "renews": self.cleaned_data.get("renews"),
        }
        if self.application is None:
            fields["campaign"] = self.cleaned_data["campaign"]
            fields["enterprise"] = self.cleaned_data["enterprise"]
        return fields


def _initial_of(application):
    initial = {
        "summary": application.summary,
        "renews": application.renews.number if application.renews_id else "",
    }
    for code, entry in application.manual_inputs.items():
        if "met" in entry:
            initial[f"item_{code}"] = "yes" if entry["met"] else "no"
        else:
            initial[f"item_{code}"] = Decimal(str(entry.get("points", entry.get("value"))))
        initial[f"evidence_{code}"] = entry.get("evidence", "")
    for name, entry in application.declared_figures.items():
        if name in DATE_FIGURES:
            initial[f"declared_{name}"] = datetime.date.fromisoformat(str(entry["value"]))
        else:
            initial[f"declared_{name}"] = Decimal(str(entry["value"]))
        initial[f"declared_{name}_evidence"] = entry.get("evidence", "")
    return initial


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(ServiceErrorsMixin, forms.Form):
    """The city's recommendation opinion (推荐意见), required to recommend."""

    opinion = forms.CharField(
        label=_("Recommendation opinion"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the city recommends the firm; the province and the city's summary "
                    "show it."),
    )


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or XLSX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx"}),
    )
