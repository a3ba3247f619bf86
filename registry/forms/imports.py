"""Forms of the import wizard: the upload, and the period of a pre-filled template. The import
services check the file itself."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.forms import ServiceErrorsMixin
from registry.choices import PeriodKind
from registry.services.monitoring import PERIOD_RANGE, YEAR_RANGE, period_start


class ImportUploadForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=format_lazy(
            _("Fill in the template and upload it; at most {size} MB."),
            size=lazy(lambda: str(settings.IMPORT_MAX_UPLOAD_BYTES // 2**20), str)(),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


def _last_month():
    today = timezone.localdate()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


class TemplatePeriodForm(forms.Form):
    """The period a pre-filled monitoring template is for; by default the month just ended.

    Every field is checked, and the period as a whole, in the same round.
    """

    period_kind = forms.ChoiceField(label=_("period kind"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("year"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])
    period = forms.IntegerField(
        label=_("period"),
        required=False,
        min_value=0,
        help_text=_("Quarter (1–4) or month (1–12); blank for a year."),
    )

    def __init__(self, *args, **kwargs):
        year, month = _last_month()
        kwargs.setdefault(
            "initial", {"period_kind": PeriodKind.MONTH, "year": year, "period": month}
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        kind, year, period = data.get("period_kind"), data.get("year"), data.get("period")
        if kind not in PERIOD_RANGE or "period" in self.errors:
            return data
        low, high = PERIOD_RANGE[kind]
        if kind == PeriodKind.YEAR:
            period = 0
        if period is None or not low <= period <= high:
            self.add_error("period", forms.ValidationError(
                _("A quarter is 1 to 4 and a month 1 to 12."), code="period_out_of_range"
            ))
        elif year is not None and "year" not in self.errors:
            if period_start(kind, year, period) > timezone.localdate():
                self.add_error("period", forms.ValidationError(
                    _("This period has not begun yet."), code="period_not_begun"
                ))
        data["period"] = period
        return data

    def chosen_period(self):
        """(period kind, year, period) of a valid form."""
        data = self.cleaned_data
        return data["period_kind"], data["year"], data["period"]
