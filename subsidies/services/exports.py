"""The bank transfer file of a payment batch, logged (the ledger is exported by its list page).

Columns come from ``subsidies.bankfile`` (the batch page's preview reads the same spec).
Written by XlsxWriter into a temporary file; text goes through the project's formula escape
(a payee named "=HYPERLINK(...)" stays text), amounts are numbers in yuan shown with two
decimals, totals are summed in Decimal and checked to the cent before anything is written.
Every download is recorded in registry's export log.
"""

import tempfile
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from gansu_sme.excel.writer import escape_cell
from gansu_sme.exceptions import DomainError
from registry.models import ExportRecord
from subsidies import selectors
from subsidies.bankfile import AMOUNT_COLUMN, BANK_COLUMNS, bank_rows, total_row
from subsidies.choices import AccountStatus, BatchStatus
from subsidies.models import BatchItem, PaymentBatch

from .common import CENT, check_finance


def _workbook(title):
    target = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(target, {"in_memory": False})
    sheet = workbook.add_worksheet(title)
    formats = {
        "header": workbook.add_format({"bold": True, "font_color": "#FFFFFF",
                                       "bg_color": "#1F4E79"}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "total": workbook.add_format({"bold": True, "num_format": "#,##0.00"}),
        "bold": workbook.add_format({"bold": True}),
    }
    return target, workbook, sheet, formats


def _write(sheet, row, column, kind, value, cell_format=None):
    if kind == "money" and value != "":
        # A spreadsheet cell holds a double; yuan with two decimals below 10^12 are exact in it.
        sheet.write_number(row, column, float(value), cell_format)
    elif kind == "number" and isinstance(value, int):
        sheet.write_number(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, escape_cell(str(value or "")), cell_format)


def _mismatch(detail):
    return DomainError(
        _("The bank file was not written: %(detail)s") % {"detail": detail},
        code="bank_file_total_mismatch",
    )


def check_bank_file(batch: Any, items: list[BatchItem], total: Decimal) -> None:
    """Refuse to write a file a bank could not pay exactly: an item without an account, an
    approved batch paying an account no longer confirmed, an amount not in whole cents or not
    above zero, or a total that differs by a cent from the batch's total summed by the
    database, or from the cells as the spreadsheet will hold them.

    ``batch`` is a PaymentBatch annotated with its ``total`` (``selectors.batch_detail_list``).
    """
    for item in items:
        if item.account is None or (batch.status == BatchStatus.APPROVED
                                    and item.account.status != AccountStatus.CONFIRMED):
            raise DomainError(_(
                "%(payee)s: the receiving account is missing or no longer confirmed; cancel "
                "the batch and pay the award in a new one."
            ) % {"payee": item.entitlement.payee_name}, code="payee_account_changed")
        if item.amount <= 0 or item.amount != item.amount.quantize(CENT):
            raise _mismatch(_("an amount is not in whole cents above zero."))
    if total != batch.total:
        raise _mismatch(_("the items add up to %(items)s yuan, the batch to %(batch)s yuan.")
                        % {"items": total, "batch": batch.total})
    cells = sum((Decimal(repr(float(item.amount))).quantize(CENT) for item in items),
                Decimal("0.00"))
    if cells != total:
        raise _mismatch(_("the cells would not add up to the total."))


def batch_bank_file(*, actor: User, batch: PaymentBatch) -> tuple[IO[bytes], str, Decimal]:
    """The bank's transfer file of an approved or paid batch: one row per payee with its
    account (户名, 开户行, 账号), amount (yuan, two decimals), purpose and credit code, then the
    合计 row, checked to the cent first (``check_bank_file``). Finance officers only. Returns
    (file, download name, total)."""
    check_finance(actor)
    batch = selectors.batch_get(user=actor, pk=batch.pk)
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.PAID):
        raise DomainError(_("Only an approved batch has a bank file."),
                          code="bank_file_not_approved")
    items = list(selectors.batch_items(batch=batch))
    totals, total = total_row(items, batch.title)
    check_bank_file(batch, items, total)
    target, workbook, sheet, formats = _workbook("银行代发")
    for column, spec in enumerate(BANK_COLUMNS):
        sheet.set_column(column, column, spec.width)
        sheet.write_string(0, column, spec.header, formats["header"])
    for number, row in enumerate(bank_rows(items), start=1):
        for column, (spec, value) in enumerate(zip(BANK_COLUMNS, row, strict=True)):
            _write(sheet, number, column, spec.kind, value,
                   formats["money"] if spec.kind == "money" else None)
    last = len(items) + 1
    for column, value in enumerate(totals):
        if column == AMOUNT_COLUMN:
            _write(sheet, last, column, "money", value, formats["total"])
        else:
            _write(sheet, last, column, "text", value, formats["bold"])
    workbook.close()
    target.seek(0)
    ExportRecord.objects.create(
        user=actor, listing="subsidy_bank_file",
        filters={"batch": batch.pk, "total": str(total)}, row_count=len(items),
    )
    return target, f"银行代发_{batch.pk}_{timezone.localtime():%Y%m%d_%H%M}.xlsx", total
