"""Browser forms of the registry. They parse and show input; the services decide and write."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from gansu_sme.exceptions import DomainError
from gansu_sme.forms import ServiceErrorsMixin
from registry import uscc
from registry.choices import RegionLevel
from registry.models import Enterprise, Region
from registry.services import ENTERPRISE_FIELDS, enterprise_code_check
from registry.validators import validate_uscc


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # County names repeat across Gansu's cities; the city tells them apart.
        if obj.level == RegionLevel.COUNTY:
            return f"{obj.parent.name} {obj.name}"
        return obj.name


def regions_for_enterprises(user):
    """Regions in the user's scope that can hold enterprises, as Region.can_hold_enterprises."""
    has_children = Exists(Region.objects.filter(parent=OuterRef("pk")))
    return (
        Region.objects.visible_to(user)
        .filter(Q(level=RegionLevel.COUNTY) | Q(~has_children, level=RegionLevel.PREFECTURE))
        .select_related("parent")
    )


class EnterpriseForm(ServiceErrorsMixin, forms.ModelForm):
    """An enterprise's record as county or city staff keep it; saved by the registry services."""

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        field_classes = {"region": RegionChoiceField}
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "main_products": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["region"].queryset = regions_for_enterprises(actor)
        # Staff of a county (or of 嘉峪关, which has none) register in their own region.
        if self.instance.pk is None and actor.region and actor.region.can_hold_enterprises:
            self.fields["region"].initial = actor.region_id

    def validate_unique(self):
        # The credit code is checked by clean_uscc with a message of its own; Django's check
        # would only add its generic message for the same fault.
        pass


class EnterpriseRegisterForm(EnterpriseForm):
    """Registration also takes the credit code, which is fixed from then on."""

    class Meta(EnterpriseForm.Meta):
        fields = ("uscc", *ENTERPRISE_FIELDS)
        widgets = {
            **EnterpriseForm.Meta.widgets,
            "uscc": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The credit code's own check says what is wrong with a code of the wrong length, with
        # the same code as the API and the Excel import; the generic length check would not.
        self.fields["uscc"].validators = []

    def clean_uscc(self):
        # Officials copy codes from licences with stray spaces or lower case; the stored form is
        # upper case, and the database constraint would otherwise answer with a generic message.
        # The one normaliser (registry.uscc.normalize) serves the API and the import as well.
        code = uscc.normalize(self.cleaned_data["uscc"])
        validate_uscc(code)
        # The service refuses a registered code too; said here, it shows in the same round as
        # every other field's error instead of after they are fixed. The service's own check,
        # so the answer is the same (and the firm's officials are told) on every path.
        try:
            enterprise_code_check(actor=self.actor, uscc_code=code)
        except DomainError as refusal:
            [message] = refusal.fields["uscc"]
            raise forms.ValidationError(message, code=refusal.code) from refusal
        return code


class DeactivateForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for deactivation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
