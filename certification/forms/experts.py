"""Browser forms of the expert panel: the pool, the draw, the declaration and the score sheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gansu_sme.forms import ServiceErrorsMixin
from registry.forms.enterprises import RegionChoiceField
from registry.models import Industry, Region

SEED_MAX_LENGTH = 64


class IndustryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.section_name} · {obj.name}"


class ExpertEditForm(ServiceErrorsMixin, forms.Form):
    """An expert's record as the province keeps it."""

    name = forms.CharField(label=_("Name"), max_length=50)
    title = forms.CharField(label=_("Professional title"), max_length=100, required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    employer_uscc = forms.CharField(
        label=_("Employer's credit code"), max_length=18, required=False,
        help_text=_("Used to keep the expert off applications of their own employer."),
    )
    region = RegionChoiceField(
        label=_("Region"), queryset=Region.objects.select_related("parent"),
        help_text=_("Where the expert works; campaigns may exclude experts of the applicant's"
                    " county or prefecture."),
    )
    industries = IndustryChoiceField(
        label=_("Fields of expertise"), queryset=Industry.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("GB/T 4754 industries; experts of the applicant's industry section are"
                    " drawn first."),
    )
    is_active = forms.BooleanField(
        label=_("In the pool"), required=False, initial=True,
        help_text=_("Experts out of the pool are never drawn."),
    )


class ExpertCreateForm(ExpertEditForm):
    """A new expert with the account they sign in with."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(
        label=_("Initial password"), strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Initial password, checked by the password rules; the expert replaces it at the "
            "first sign-in."
        ),
    )
    field_order = ["username", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new expert joins the pool; leaving it is an edit.
        del self.fields["is_active"]


class ExpertDrawForm(ServiceErrorsMixin, forms.Form):
    count = forms.IntegerField(
        label=_("Experts to draw"), min_value=1, max_value=50, required=False,
        help_text=_("Blank: the campaign's number, or as many as the recusals to replace."),
    )
    seed = forms.CharField(
        label=_("Seed"), max_length=SEED_MAX_LENGTH, required=False,
        help_text=_("Blank: a random seed is generated and recorded."),
    )


class DeclarationForm(ServiceErrorsMixin, forms.Form):
    NO_CONFLICT, CONFLICT = "none", "conflict"

    conflict = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[
            (NO_CONFLICT, _("I have no conflict of interest with this applicant")),
            (CONFLICT, _("I have a conflict of interest and recuse myself")),
        ],
        widget=forms.RadioSelect,
    )
    declaration = forms.CharField(
        label=_("Declaration"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you recuse: say what the conflict is."),
    )

    def cleaned_service_kwargs(self):
        return {
            "no_conflict": self.cleaned_data["conflict"] == self.NO_CONFLICT,
            "declaration": self.cleaned_data["declaration"],
        }


class ScoreSheetForm(ServiceErrorsMixin, forms.Form):
    """Points and evidence for each manual item of the rule set; names ``<code>.points`` and
    ``<code>.evidence`` match the service's error keys."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        scores = scores or {}
        for item in items:
            stored = scores.get(item.code, {})
            self.fields[f"{item.code}.points"] = forms.DecimalField(
                label=_("Points (0–%(max)s)") % {"max": item.max_points},
                min_value=0, max_value=item.max_points, decimal_places=1, required=False,
                initial=stored.get("points"),
            )
            self.fields[f"{item.code}.evidence"] = forms.CharField(
                label=_("Evidence"), required=False, initial=stored.get("evidence", ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        order = [f"{item.code}.{part}" for item in items for part in ("points", "evidence")]
        self.order_fields([*order, "comment"])

    def rows(self):
        """(item, points field, evidence field) for the template."""
        return [(item, self[f"{item.code}.points"], self[f"{item.code}.evidence"])
                for item in self.items]

    def scores(self):
        return {
            item.code: {
                "points": self.cleaned_data[f"{item.code}.points"],
                "evidence": self.cleaned_data[f"{item.code}.evidence"],
            }
            for item in self.items
        }
