"""Writing workbooks: import templates and annotated copies (openpyxl, write-only) and exports
of whole lists (XlsxWriter, constant memory), each into a temporary file."""

import datetime
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gansu_sme.excel.columns import CellError, Sheet, message_in
from gansu_sme.excel.container import max_rows

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
# Characters that make a spreadsheet treat a typed cell as a formula or a command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Templates, their headers, drop-downs and notes are the official Chinese forms that circulate
# between offices, so they stay Chinese whatever the page language; only the error column of an
# annotated copy speaks the language of the person who downloads it.
NOTES_SHEET = "填写说明"
ERRORS_HEADER = gettext_lazy("Errors")


def escape_cell(value):
    """Neutralise text that a spreadsheet would run as a formula, and drop the control
    characters that XML cannot carry."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
    return value


def _export_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        # A cell has no time zone: an aware timestamp is written as Beijing wall-clock time.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        # A cell holds a double either way; 万元 with two decimals fit it exactly as shown.
        return float(value)
    return escape_cell(value)


def _text_cell(worksheet, value):
    """A cell whose value is always stored as text, never as a formula."""
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _save(workbook):
    target = tempfile.TemporaryFile()
    workbook.save(target)
    target.seek(0)
    return target


def _data_sheet(workbook, columns, title, lists, *, extra_headers=()):
    """The first sheet of a template or an annotated copy: headers, widths, drop-downs."""
    worksheet = workbook.create_sheet(title)
    headers = [*columns, *extra_headers]
    for index, column in enumerate(headers, start=1):
        dimension = worksheet.column_dimensions[get_column_letter(index)]
        dimension.width = getattr(column, "width", 60)
        if getattr(column, "text_format", False):
            dimension.number_format = "@"
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.choices:
            formula = '"' + ",".join(column.labels) + '"'
        elif column.list_name and lists.get(column.list_name):
            count = len(lists[column.list_name])
            formula = f"'{column.list_name}'!$A$1:$A${count}"
        else:
            continue
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.error = "请从下拉列表中选择。"
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}{max_rows() + 1}")
        worksheet.data_validations.append(validation)
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.note:
            cell.comment = Comment(column.note, "系统")
        header_cells.append(cell)
    for header in extra_headers:
        cell = WriteOnlyCell(worksheet, value=header.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        header_cells.append(cell)
    worksheet.append(header_cells)
    return worksheet


def _notes_and_lists(workbook, columns, notes, lists):
    notes_sheet = workbook.create_sheet(NOTES_SHEET)
    notes_sheet.column_dimensions["A"].width = 28
    notes_sheet.column_dimensions["B"].width = 90
    notes_sheet.append(["说明", ""])
    # Notes may be translatable messages; the template is a Chinese form, so they are Chinese.
    with translation.override(settings.LANGUAGE_CODE):
        for line in notes:
            notes_sheet.append(["", str(line)])
    notes_sheet.append([])
    notes_sheet.append(["列", "填写要求"])
    for column in columns:
        rule = "必填" if column.required else "选填"
        if not column.imported:
            rule = "仅供核对，不导入"
        if column.choices:
            rule += "；可选值：" + "、".join(column.labels)
        elif column.list_name:
            rule += f"；从下拉列表选择（列表见隐藏工作表“{column.list_name}”）"
        notes_sheet.append([column.header, "；".join(filter(None, [rule, column.note]))])
    for name, entries in lists.items():
        list_sheet = workbook.create_sheet(name)
        list_sheet.sheet_state = "hidden"
        for entry in entries:
            list_sheet.append([_text_cell(list_sheet, entry)])


@dataclass(frozen=True)
class _Extra:
    header: str
    width: int = 60


def write_template(columns, *, title, notes, lists=None, rows=()):
    """An import template: Chinese headers with units, drop-downs for closed values (long
    lists on hidden sheets) and a notes sheet explaining each column.

    ``rows`` (dicts keyed by column key) are filled in below the header, written as the
    uploader would type them (text as text), for the official to complete.
    """
    lists = lists or {}
    workbook = Workbook(write_only=True)
    worksheet = _data_sheet(workbook, columns, title, lists)
    for row in rows:
        worksheet.append([
            _text_cell(worksheet, escape_cell(row.get(column.key))) for column in columns
        ])
    _notes_and_lists(workbook, columns, notes, lists)
    return _save(workbook)


def _numbered(rows, error_rows):
    """(row number, cells) of every row read and every row with an error, in order; ``rows``
    come in order, so a file's rows pass through one at a time."""
    pending = sorted(error_rows)
    index = 0
    for number, values in rows:
        while index < len(pending) and pending[index] < number:
            yield pending[index], []
            index += 1
        if index < len(pending) and pending[index] == number:
            index += 1
        yield number, values
    for number in pending[index:]:
        yield number, []


def write_annotated(columns, sheet: Sheet | Iterable, errors: Iterable, *, title, notes,
                    lists=None):
    """The uploaded rows again at their own row numbers, with an error column and every bad cell
    highlighted, so an official can fix and upload the file they already have.

    ``sheet`` is a Sheet, or the rows of ``reader.iter_sheet`` as they are read.

    ``errors`` are CellErrors or their stored dicts; each message is written in the active
    language, the column named once before it. The extra column is ignored on upload.
    """
    lists = lists or {}
    by_row = {}
    for error in errors:
        if isinstance(error, CellError):
            error = {"row": error.row, "column": error.column, "header": error.header,
                     "message": error.text}
        by_row.setdefault(error["row"], []).append(
            (error["column"], error["header"], message_in(error))
        )
    workbook = Workbook(write_only=True)
    worksheet = _data_sheet(
        workbook, columns, title, lists, extra_headers=(_Extra(str(ERRORS_HEADER)),)
    )
    next_row = 2
    if isinstance(sheet, Sheet):
        rows = iter(sorted(sheet.raw.items()))
    else:
        rows = ((row.number, row.raw) for row in sheet)
    for row_number, values in _numbered(rows, by_row):
        while next_row < row_number:
            worksheet.append([])
            next_row += 1
        row_errors = by_row.get(row_number, [])
        bad = {letter for letter, _, _ in row_errors if letter}
        cells = []
        for index, value in enumerate(values, start=1):
            cell = _text_cell(worksheet, escape_cell(None if value == "" else value))
            if get_column_letter(index) in bad:
                cell.fill = ERROR_FILL
            cells.append(cell)
        cells += [None] * (len(columns) - len(cells))
        if row_errors:
            message = _("; ").join(
                _("Column %(letter)s %(header)s: %(message)s")
                % {"letter": letter, "header": header, "message": text}
                if letter else text
                for letter, header, text in row_errors
            )
            note = _text_cell(worksheet, message)
            note.font = ERROR_FONT
            cells.append(note)
        worksheet.append(cells)
        next_row += 1
    _notes_and_lists(workbook, columns, notes, lists)
    return _save(workbook)


def write_rows(columns, rows: Iterable, *, title="数据"):
    """Write rows (dicts keyed by column key) into a temporary xlsx, one row at a time.

    XlsxWriter in constant-memory mode flushes each row to disk as it is written, so memory
    stays flat whatever the row count, at several times openpyxl's speed. Text is always
    written as text, never as a formula or a link, and text a spreadsheet would run as a
    formula is escaped besides. Returns the file and the number of rows.
    """
    target = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
    worksheet = workbook.add_worksheet(title)
    header = workbook.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79", "text_wrap": True}
    )
    formats = {
        datetime.date: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        datetime.datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width)
        worksheet.write_string(0, index, column.header, header)
    worksheet.freeze_panes(1, 0)
    keys = list(enumerate(c.key for c in columns))
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, key in keys:
            value = _export_value(row.get(key))
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                worksheet.write_string(count, index, value)
            elif kind in formats:
                worksheet.write_datetime(count, index, value, formats[kind])
            else:
                worksheet.write_number(count, index, value)
    workbook.close()
    target.seek(0)
    return target, count


def write_document(columns, rows: Iterable, *, title, lines=(), footer=(), sheet_title="名单"):
    """A document officials print and file, as a workbook: the title across the columns, the
    lines under it (who issues it, which round), the table, and the footer lines (issuing body,
    date) under the table, set up to print on A4 landscape with the header row on every page.

    The values are escaped like every export. Returns the temporary file and the row count.
    """
    target = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(target)
    worksheet = workbook.add_worksheet(sheet_title)
    last = len(columns) - 1
    title_format = workbook.add_format(
        {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
    )
    line_format = workbook.add_format({"align": "left"})
    footer_format = workbook.add_format({"align": "right"})
    header = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
         "bg_color": "#F2F2F2"}
    )
    cell = workbook.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    date_cell = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    worksheet.set_row(0, 30)
    worksheet.merge_range(0, 0, 0, last, escape_cell(title), title_format)
    row_number = 1
    for line in lines:
        worksheet.merge_range(row_number, 0, row_number, last, escape_cell(line), line_format)
        row_number += 1
    header_row = row_number
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width)
        worksheet.write_string(header_row, index, column.header, header)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            value = _export_value(row.get(column.key))
            if value is None:
                worksheet.write_blank(header_row + count, index, None, cell)
            elif isinstance(value, str):
                worksheet.write_string(header_row + count, index, value, cell)
            elif isinstance(value, datetime.date):
                worksheet.write_datetime(header_row + count, index, value, date_cell)
            else:
                worksheet.write_number(header_row + count, index, value, cell)
    row_number = header_row + count + 2
    for line in footer:
        worksheet.merge_range(row_number, 0, row_number, last, escape_cell(line), footer_format)
        row_number += 1
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(header_row)
    worksheet.center_horizontally()
    workbook.close()
    target.seek(0)
    return target, count
