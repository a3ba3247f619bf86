"""Excel downloads of the list pages: the rows a page shows under its current filters."""

from django.http import FileResponse

from gansu_sme.excel import XLSX_CONTENT_TYPE
from registry import services

from .base import allowed_if, can_read


def _export(request, listing):
    workbook, name, _count = services.export_listing(
        actor=request.user, listing=listing, params=request.GET
    )
    return FileResponse(
        workbook, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE
    )


@allowed_if(can_read)
def enterprise_export(request):
    return _export(request, "enterprises")


@allowed_if(can_read)
def pool_entry_export(request):
    return _export(request, "pool_entries")


@allowed_if(can_read)
def monitoring_report_export(request):
    return _export(request, "monitoring_reports")
