"""The bank transfer file of a payment batch, logged (the ledger is exported by its list page).

Written by XlsxWriter into a temporary file; text goes through the project's formula escape
(a payee named "=HYPERLINK(...)" stays text), amounts are numbers in yuan shown with two
decimals, totals are summed in Decimal. Every download is recorded in registry's export log.
"""

import tempfile
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.utils import timezone

from accounts.models import User
from gansu_sme.excel.writer import escape_cell
from gansu_sme.exceptions import DomainError
from registry.models import ExportRecord
from subsidies import selectors
from subsidies.choices import BatchStatus
from subsidies.models import PaymentBatch

from .common import check_finance

BANK_HEADERS = ("序号", "收款人", "统一社会信用代码", "金额（元）", "用途")


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


def _text(sheet, row, column, value, cell_format=None):
    sheet.write_string(row, column, escape_cell(str(value or "")), cell_format)


def _amount(sheet, row, column, value, cell_format):
    # A spreadsheet cell holds a double; yuan with two decimals below 10^12 are exact in it.
    sheet.write_number(row, column, float(value), cell_format)


def batch_bank_file(*, actor: User, batch: PaymentBatch) -> tuple[IO[bytes], str, Decimal]:
    """The bank's transfer file of an approved or paid batch: one row per payee with credit
    code, amount (yuan, two decimals) and purpose, then the count and total. Finance officers
    only. Returns (file, download name, total)."""
    check_finance(actor)
    batch = selectors.batch_get(user=actor, pk=batch.pk)
    if batch.status not in (BatchStatus.APPROVED, BatchStatus.PAID):
        raise DomainError(
            "只有已审批的批次可以导出银行文件。 Only an approved batch has a bank file."
        )
    items = list(selectors.batch_items(batch=batch))
    target, workbook, sheet, formats = _workbook("银行代发")
    for column, (header, width) in enumerate(zip(BANK_HEADERS, (6, 40, 22, 16, 50),
                                                 strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, header, formats["header"])
    total = Decimal(0)
    for number, item in enumerate(items, start=1):
        entitlement = item.entitlement
        sheet.write_number(number, 0, number)
        _text(sheet, number, 1, entitlement.payee_name)
        _text(sheet, number, 2, entitlement.payee_code)
        _amount(sheet, number, 3, item.amount, formats["money"])
        _text(sheet, number, 4, entitlement.purpose)
        total += item.amount
    last = len(items) + 1
    _text(sheet, last, 0, "合计", formats["bold"])
    _text(sheet, last, 1, f"{len(items)} 笔", formats["bold"])
    _amount(sheet, last, 3, total, formats["total"])
    _text(sheet, last, 4, f"批次：{batch.title}", formats["bold"])
    workbook.close()
    target.seek(0)
    ExportRecord.objects.create(
        user=actor, listing="subsidy_bank_file",
        filters={"batch": batch.pk, "total": str(total)}, row_count=len(items),
    )
    return target, f"银行代发_{batch.pk}_{timezone.localtime():%Y%m%d_%H%M}.xlsx", total
