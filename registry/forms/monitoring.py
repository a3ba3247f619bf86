"""Browser forms of monitoring reports. They parse and show input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gansu_sme.forms import ServiceErrorsMixin
from registry.choices import PeriodKind
from registry.figures import COUNT, FIGURES, FLAG


class YesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", "是 Yes"), ("false", "否 No")]


def _figure_field(figure):
    """A form field for a figure: its label carries the unit, every figure is optional."""
    model_field = figure.field
    options = {"label": figure.label, "required": False}
    if figure.kind == FLAG:
        return forms.NullBooleanField(widget=YesNoSelect, **options)
    if figure.kind == COUNT:
        return forms.IntegerField(min_value=0, **options)
    # The service checks signs and ranges with messages naming the figure; here only the
    # shape of the number is parsed.
    return forms.DecimalField(
        max_digits=model_field.max_digits,
        decimal_places=model_field.decimal_places,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **options,
    )


class MonitoringFiguresForm(ServiceErrorsMixin, forms.Form):
    """The figures of a report, in the order of the statistics form."""

    figure_names = tuple(figure.name for figure in FIGURES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for figure in FIGURES:
            self.fields[figure.name] = _figure_field(figure)

    def figures(self):
        return {name: self.cleaned_data.get(name) for name in self.figure_names}

    def figure_fields(self):
        return [self[name] for name in self.figure_names]


class MonitoringReportForm(MonitoringFiguresForm):
    """A new report: the period, then the figures.

    Years and periods are only parsed here: the service judges them together with the figures,
    so every refused field shows at once.
    """

    period_kind = forms.ChoiceField(label=_("period kind"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("year"))
    period = forms.IntegerField(
        label=_("period"),
        initial=0,
        help_text=_("Quarter (1–4) or month (1–12); 0 for a year."),
    )

    def period_fields(self):
        return [self["period_kind"], self["year"], self["period"]]


class ReturnForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
