"""Importing financing needs from a workbook: every cell and every row checked first, all
errors reported at once, and the needs written all together or not at all."""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from financing.imports import NEED_COLUMNS
from gansu_sme.excel.columns import CellError, render_message
from gansu_sme.excel.container import UploadRejected
from gansu_sme.excel.reader import read_sheet
from gansu_sme.exceptions import DomainError, PermissionDenied
from registry import uscc as uscc_rules
from registry.models import Enterprise

from .needs import may_file, need_check, need_file

MSG_UNKNOWN_FIRM = _("No enterprise of your region has this credit code.")
_COLUMN = {column.key: (index, column) for index, column in enumerate(NEED_COLUMNS)}
NEED_KEYS = ("kind", "amount", "term_months", "purpose", "collateral", "urgency",
             "agreed_to_share")


@dataclass
class NeedImport:
    created: int = 0
    errors: list[CellError] = field(default_factory=list)


def _error(sheet, row, key, value, message, code):
    index, column = _COLUMN.get(key, (None, None))
    sheet.error(row, index, column.header if column else "", value, message, code)


@transaction.atomic
def need_import(*, actor: User, upload: UploadedFile) -> NeedImport:
    """File one need per row of ``upload`` for enterprises of the actor's region.

    Every row is checked before anything is written; with any error the result lists them
    all and nothing is written. Raises DomainError (``upload_refused``) for a file that cannot
    be read as the template.
    """
    if not may_file(actor):
        raise PermissionDenied()
    try:
        sheet = read_sheet(upload, NEED_COLUMNS)
    except UploadRejected as exc:
        raise DomainError(render_message(exc.message, exc.params), code="upload_refused") from exc
    codes = {uscc_rules.normalize(str(row.get("uscc") or "")) for row in sheet.rows.values()}
    firms = {
        firm.uscc: firm
        for firm in Enterprise.objects.visible_to(actor).filter(uscc__in=codes, is_active=True)
    }
    bad_rows = {error.row for error in sheet.errors}
    ready = []
    for number, row in sheet.rows.items():
        if number in bad_rows:
            continue
        firm = firms.get(row["uscc"])
        if firm is None:
            _error(sheet, number, "uscc", row["uscc"], MSG_UNKNOWN_FIRM,
                   "unknown_enterprise")
            continue
        values = {key: row.get(key) for key in NEED_KEYS}
        values["collateral"] = values["collateral"] or ""
        try:
            need_check(kind=values["kind"], amount=values["amount"],
                       term_months=values["term_months"], purpose=values["purpose"] or "",
                       urgency=values["urgency"])
        except DomainError as exc:
            for key, messages in exc.fields.items():
                for message in messages:
                    _error(sheet, number, key, row.get(key), str(message),
                           getattr(message, "code", exc.code))
            continue
        ready.append((firm, values))
    if sheet.errors:
        return NeedImport(errors=sorted(sheet.errors, key=lambda e: (e.row, e.column)))
    for firm, values in ready:
        need_file(actor=actor, enterprise=firm, **values)
    return NeedImport(created=len(ready))
