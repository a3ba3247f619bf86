"""The upload form of the import wizard; the import services check the file itself."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.excel.container import MAX_UPLOAD_BYTES
from gansu_sme.forms import ServiceErrorsMixin


class ImportUploadForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=format_lazy(
            _("Fill in the template and upload it; at most {size} MB."),
            size=MAX_UPLOAD_BYTES // 2**20,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
