"""Excel in and out for every app: upload checks, column specs, templates, streamed exports.

Uploaded workbooks are untrusted. Before openpyxl opens one, the zip container is checked for
size, entry count, uncompressed size and macros; openpyxl then reads it in read-only mode with
defusedxml installed (openpyxl uses it automatically), and formulas are refused, never evaluated.
"""

import datetime
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 100_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
# Characters that make a spreadsheet treat a cell as a formula or a command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class UploadRejected(Exception):
    """The file itself cannot be read safely; nothing in it was looked at."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    header: str
    value: object
    message: str


class CellInvalid(ValueError):
    pass


def _text(value):
    return "" if value is None else str(value).strip()


def parse_text(value):
    return _text(value)


def parse_decimal(value):
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise CellInvalid("应为数字。 Must be a number.")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise CellInvalid("应为数字。 Must be a number.") from exc
    if not number.is_finite():
        raise CellInvalid("应为数字。 Must be a number.")
    return number


def parse_int(value):
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellInvalid("应为整数。 Must be a whole number.")
    return int(number)


def parse_date(value):
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CellInvalid("日期格式应为 YYYY-MM-DD。 Dates must be YYYY-MM-DD.") from exc


def parse_bool(value):
    text = _text(value).lower()
    if text == "":
        return None
    if text in {"是", "有", "y", "yes", "true", "1"}:
        return True
    if text in {"否", "无", "n", "no", "false", "0"}:
        return False
    raise CellInvalid("应填写“是”或“否”。 Must be 是 (yes) or 否 (no).")


@dataclass(frozen=True)
class Column:
    """One column of an import template or an export, shared by both directions."""

    key: str
    header: str  # Chinese header with the unit, e.g. "营业收入（万元）"
    parse: Callable = parse_text
    required: bool = False
    choices: tuple = ()  # closed values, offered as a drop-down in the template
    width: int = 16
    note: str = ""

    def read(self, raw):
        value = self.parse(raw)
        if value in (None, "") and self.required:
            raise CellInvalid("必填。 Required.")
        if self.choices and value not in (None, "") and value not in self.choices:
            listed = "、".join(self.choices)
            raise CellInvalid(f"应为以下之一：{listed}。 Must be one of the listed values.")
        return value


@dataclass
class Sheet:
    """Parsed rows of an upload: ``rows`` maps row number to values; ``errors`` lists every
    problem found, each pointing at its row and column."""

    rows: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def error(self, row, index, header, value, message):
        """Record a problem at ``row`` and zero-based column ``index`` (None: the whole row)."""
        letter = get_column_letter(index + 1) if index is not None else ""
        self.errors.append(CellError(row, letter, header, value, message))


def check_container(upload):
    """Refuse what openpyxl should never open: oversize files, zip bombs, macros, non-xlsx."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise UploadRejected("不接受含宏的工作簿（.xlsm）。 Macro-enabled workbooks are refused.")
    if not name.endswith(".xlsx"):
        raise UploadRejected("只接受 .xlsx 文件。 Only .xlsx files are accepted.")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // 2**20
        raise UploadRejected(f"文件超过 {limit} MB。 The file is larger than {limit} MB.")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UploadRejected(
                    "文件结构异常（条目过多）。"
                    " The file has too many parts to be a normal workbook."
                )
            if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
                raise UploadRejected(
                    "文件解压后过大。 The file expands to more than a workbook should."
                )
            names = {e.filename.lower() for e in entries}
            if any(n.endswith("vbaproject.bin") for n in names):
                raise UploadRejected("不接受含宏的工作簿。 Workbooks with macros are refused.")
            if "[content_types].xml" not in names:
                raise UploadRejected("不是有效的 Excel 工作簿。 Not a valid Excel workbook.")
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types:
                raise UploadRejected("不接受含宏的工作簿。 Workbooks with macros are refused.")
    except zipfile.BadZipFile as exc:
        raise UploadRejected("不是有效的 Excel 工作簿。 Not a valid Excel workbook.") from exc
    finally:
        upload.seek(0)


def read_sheet(upload, columns):
    """Validate every cell of the first sheet against ``columns`` and collect every error.

    Row numbers are the spreadsheet's own (the header is row 1). Nothing is written anywhere.
    """
    check_container(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UploadRejected("无法读取该工作簿。 The workbook cannot be read.") from exc
    sheet = Sheet()
    try:
        worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=False)
        header = [_text(c.value) for c in next(rows, ())]
        expected = [c.header for c in columns]
        if header[: len(expected)] != expected:
            missing = [h for h in expected if h not in header]
            listed = "、".join(missing or expected)
            raise UploadRejected(
                f"表头与模板不一致，请使用下载的模板。缺少或顺序不符：{listed}。"
                " The header row does not match the template."
            )
        for cells in rows:
            row_number = cells[0].row if cells else None
            values = [getattr(c, "value", None) for c in cells[: len(columns)]]
            values += [None] * (len(columns) - len(values))
            if all(_text(v) == "" for v in values):
                continue
            if len(sheet.raw) >= MAX_ROWS:
                raise UploadRejected(f"行数超过 {MAX_ROWS}。 More than {MAX_ROWS} rows.")
            sheet.raw[row_number] = values
            parsed = {}
            for index, column in enumerate(columns):
                cell = cells[index] if index < len(cells) else None
                raw = values[index]
                if getattr(cell, "data_type", None) == "f":
                    sheet.error(row_number, index, column.header, raw,
                                "不接受公式，请粘贴数值。 Formulas are not accepted; paste values.")
                    continue
                try:
                    parsed[column.key] = column.read(raw)
                except CellInvalid as exc:
                    sheet.error(row_number, index, column.header, raw, str(exc))
            sheet.rows[row_number] = parsed
    finally:
        workbook.close()
    return sheet


def escape_cell(value):
    """Neutralise text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _export_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return escape_cell(value)


def write_rows(columns, rows: Iterable, *, title="数据"):
    """Write rows (dicts keyed by column key) into a temporary xlsx in write-only mode.

    Memory stays flat whatever the row count; the caller streams the returned file.
    """
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    worksheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        header.append(cell)
    worksheet.append(header)
    count = 0
    for row in rows:
        worksheet.append([_export_value(row.get(c.key)) for c in columns])
        count += 1
    target = tempfile.TemporaryFile()
    workbook.save(target)
    target.seek(0)
    return target, count


def write_template(columns, *, title, notes):
    """A blank import template: Chinese headers with units, drop-downs for closed values and a
    notes sheet explaining each column."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for index, column in enumerate(columns, start=1):
        cell = worksheet.cell(row=1, column=index, value=column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
        if column.note:
            cell.comment = Comment(column.note, "system")
        if column.choices:
            listing = '"' + ",".join(column.choices) + '"'
            validation = DataValidation(type="list", formula1=listing, allow_blank=True)
            validation.error = "请从下拉列表中选择。 Choose a value from the list."
            validation.showErrorMessage = True
            worksheet.add_data_validation(validation)
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    worksheet.freeze_panes = "A2"
    notes_sheet = workbook.create_sheet("填写说明")
    notes_sheet.column_dimensions["A"].width = 28
    notes_sheet.column_dimensions["B"].width = 80
    notes_sheet.append(["说明 Notes", ""])
    for line in notes:
        notes_sheet.append(["", line])
    notes_sheet.append([])
    notes_sheet.append(["列 Column", "填写要求 How to fill it in"])
    for column in columns:
        rule = "必填" if column.required else "选填"
        if column.choices:
            rule += "；可选值：" + "、".join(column.choices)
        notes_sheet.append([column.header, "；".join(filter(None, [rule, column.note]))])
    target = tempfile.TemporaryFile()
    workbook.save(target)
    target.seek(0)
    return target


def write_annotated(columns, sheet: Sheet, *, title):
    """The uploaded rows again, with an error column and every bad cell highlighted, so an
    official can fix the file they already have."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    headers = [c.header for c in columns] + ["错误说明 Errors"]
    worksheet.append(headers)
    for index in range(1, len(headers) + 1):
        cell = worksheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        worksheet.column_dimensions[get_column_letter(index)].width = 18
    worksheet.column_dimensions[get_column_letter(len(headers))].width = 60
    by_row = {}
    for error in sheet.errors:
        by_row.setdefault(error.row, []).append(error)
    for out_row, (row_number, values) in enumerate(sorted(sheet.raw.items()), start=2):
        for index, value in enumerate(values, start=1):
            worksheet.cell(row=out_row, column=index, value=escape_cell(value))
        messages = []
        for error in by_row.get(row_number, []):
            if error.column:
                worksheet[f"{error.column}{out_row}"].fill = ERROR_FILL
                messages.append(f"{error.header}：{error.message}")
            else:
                messages.append(error.message)
        worksheet.cell(row=out_row, column=len(headers), value="；".join(messages) or None)
    worksheet.freeze_panes = "A2"
    target = tempfile.TemporaryFile()
    workbook.save(target)
    target.seek(0)
    return target
