"""Browser forms of the cultivation pool and targets; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gansu_sme.forms import ServiceErrorsMixin
from registry.choices import PoolKind, PoolTrack, ScaleUpCategory, TargetMetric
from registry.models import CultivationPlan, PoolEntry, ServiceVisit
from registry.services import pool_admit_tiers, target_regions

from .enterprises import RegionChoiceField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank_first(choices, label):
    return [("", label), *choices]


class PoolEntryAdmitForm(ServiceErrorsMixin, forms.Form):
    """Admission of one enterprise to a pool (纳入培育库)."""

    pool = forms.ChoiceField(label=_("Pool"), choices=PoolKind.choices)
    tier = forms.ChoiceField(label=_("Tier"))
    admission_year = forms.IntegerField(label=_("Admission year"), min_value=2000)
    admission_reason = forms.CharField(
        label=_("Admission reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    track = forms.ChoiceField(
        label=_("Cultivated towards"), required=False,
        choices=_blank_first(PoolTrack.choices, "—"),
        help_text=_("For the SRDI cultivation pool only."),
    )
    contact_officer = forms.CharField(label=_("Contact officer"), max_length=50, required=False)
    contact_officer_phone = forms.CharField(
        label=_("Contact officer phone"), max_length=30, required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False,
        choices=_blank_first(ScaleUpCategory.choices, _("Take the suggested category")),
        help_text=_("Below-to-above-scale pool only."),
    )
    category_override_reason = forms.CharField(
        label=_("Reason for another category"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the category differs from the suggested one."),
    )
    statistics_registered = forms.BooleanField(
        label=_("In the statistics directory"), required=False,
        help_text=PoolEntry._meta.get_field("statistics_registered").help_text,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        tiers = pool_admit_tiers(actor)
        self.fields["tier"].choices = [(t.value, t.label) for t in tiers]
        # The highest tier the official keeps is the list they usually add to.
        if tiers:
            self.fields["tier"].initial = tiers[-1].value
        # The service refuses later years on this field, in both languages.
        this_year = timezone.localdate().year
        self.fields["admission_year"].initial = this_year
        self.fields["admission_year"].widget.attrs["max"] = this_year


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PoolEntryEditForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = PoolEntry
        fields = ["contact_officer", "contact_officer_phone", "track", "statistics_registered"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pool == PoolKind.SCALE_UP:
            del self.fields["track"]
        else:
            del self.fields["statistics_registered"]


class CategoryForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ScaleUpCategory.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the category differs from the suggested one."),
    )


class CultivationPlanForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = CultivationPlan
        fields = ["measures", "goals", "responsible_official", "review_on"]
        widgets = {
            "measures": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "review_on": DATE_WIDGET,
        }


class ServiceVisitForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = ServiceVisit
        fields = ["visited_on", "officer", "status", "problems", "actions"]
        widgets = {
            "visited_on": DATE_WIDGET,
            "problems": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }


class TargetForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = RegionChoiceField(label=_("Region"), queryset=None)
    metric = forms.ChoiceField(label=_("Metric"), choices=TargetMetric.choices)
    value = forms.IntegerField(label=_("Target value"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = target_regions(actor).select_related("parent")
        self.fields["year"].initial = timezone.localdate().year


class PlanFigureForm(ServiceErrorsMixin, forms.Form):
    """A hand-entered figure of a plan target: value, the date it refers to, its source."""

    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2, min_value=0)
    as_of = forms.DateField(label=_("As of"), widget=DATE_WIDGET)
    source = forms.CharField(
        label=_("Source"), max_length=200,
        help_text=_("The publication the figure is taken from, e.g. a statistical bulletin."),
    )
