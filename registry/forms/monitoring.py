"""Browser forms of monitoring reports. They parse and show input; the services decide and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gansu_sme.forms import ServiceErrorsMixin
from registry.choices import PeriodKind
from registry.figures import COUNT, FIGURES, FLAG, FigureError
from registry.imports import figure_refusal
from registry.services.monitoring import PERIOD_RANGE, YEAR_RANGE, period_start

PERIOD_MESSAGES = {
    PeriodKind.YEAR: _("Must be 0 for an annual report."),
    PeriodKind.QUARTER: _("A quarter is 1 to 4."),
    PeriodKind.MONTH: _("A month is 1 to 12."),
}


class YesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]


class FigureField(forms.Field):
    """A figure read by the monitoring rules themselves (registry.figures), so that a sign, a
    range or a number of decimals the service would refuse is refused here, with every other
    field's error, in one round."""

    def __init__(self, figure, **kwargs):
        self.figure = figure
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return self.figure.parse(value.strip() if isinstance(value, str) else value)
        except FigureError as exc:
            refusal = figure_refusal(self.figure, exc)
            raise forms.ValidationError(
                refusal.message, code=refusal.code, params=refusal.params
            ) from exc


def _figure_field(figure):
    """A form field for a figure: its label carries the unit, every figure is optional."""
    options = {"label": figure.label, "required": False}
    if figure.kind == FLAG:
        return forms.NullBooleanField(widget=YesNoSelect, **options)
    if figure.kind == COUNT:
        widget = forms.NumberInput(attrs={"step": "1", "min": "0", "inputmode": "numeric"})
    else:
        widget = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})
    return FigureField(figure, widget=widget, **options)


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

    def clean(self):
        """The period as a whole and the need for a figure, checked with the fields' own errors
        (the service's rules, so that nothing is refused only after the rest is fixed)."""
        data = super().clean()
        kind, year, period = data.get("period_kind"), data.get("year"), data.get("period")
        if kind in PERIOD_RANGE and "period" not in self.errors and period is not None:
            low, high = PERIOD_RANGE[kind]
            if not low <= period <= high:
                self.add_error("period", forms.ValidationError(
                    PERIOD_MESSAGES[kind], code="period_out_of_range"
                ))
            elif year is not None and "year" not in self.errors and (
                YEAR_RANGE[0] <= year <= YEAR_RANGE[1]
                and period_start(kind, year, period) > timezone.localdate()
            ):
                self.add_error("period", forms.ValidationError(
                    _("This period has not begun yet."), code="period_not_begun"
                ))
        if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            self.add_error("year", forms.ValidationError(
                _("Must be a year from %(low)s to %(high)s."), code="year_out_of_range",
                params={"low": YEAR_RANGE[0], "high": YEAR_RANGE[1]},
            ))
        given = [data.get(name) for name in self.figure_names]
        figure_errors = any(name in self.errors for name in self.figure_names)
        if not figure_errors and all(value is None for value in given):
            self.add_error(None, forms.ValidationError(
                _("Enter at least one figure."), code="no_figures"
            ))
        return data

    def period_fields(self):
        return [self["period_kind"], self["year"], self["period"]]


class ReturnForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
