"""Excel in and out for every app: upload checks, column specs, templates, streamed exports.

Uploaded workbooks are untrusted. Before any spreadsheet library opens one, ``check_container``
streams every part of the zip once: it enforces the size, entry-count and uncompressed-size limits
on the bytes actually inflated (a forged size in the zip directory fails the CRC check), refuses
macros and XML with a DTD, and finds every formula or error cell of the first sheet. The cell
values are then read by python-calamine, which is fast enough for 100,000-row files and, unlike
openpyxl, never materialises a cell object per value. Formulas are never evaluated: a cell that
holds one is an error in that cell, whatever cached value it carries.

Templates and annotated copies are written by openpyxl in write-only mode, exports of whole lists
by XlsxWriter in constant-memory mode, each into a temporary file, so memory stays flat whatever
the row count. openpyxl parses XML through defusedxml, which must be installed.
"""

import datetime
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from posixpath import dirname, join, normpath

import openpyxl
import xlsxwriter
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("defusedxml must be installed: openpyxl parses XML through it.")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# The first sheet may not reach row 100,000 nor pass column AN: the reader holds one slot per
# cell of that rectangle (4 million at most), and the limits are cheap to check on the bytes.
MAX_ROWS = 99_998
MAX_COLUMNS = 40
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
# Characters that make a spreadsheet treat a typed cell as a formula or a command.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NOTES_SHEET = "填写说明"
ERRORS_HEADER = "错误说明"

_CHUNK = 1024 * 1024
# A formula element (<f>, <f t="shared" .../>) or an error value (t="e") in sheet XML written
# the usual way; only when one appears is the sheet parsed to find which cells hold it. A sheet
# written any other way (a namespace prefix) is always parsed.
_FORMULA = re.compile(rb"<f[ >/]")
_ERROR_VALUE = re.compile(rb""" t=(?:"e"|'e')""")
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")
# A cell whose reference does not come first, or that has none: <c>, <c t="s" r="B7">.
_CELL_WITHOUT_REF = re.compile(rb'<c(?! r=")[ >/]')
# A cell reference past column AN, or at row 100,000 or beyond; the second and third tell which.
_OUT_OF_BOUNDS = re.compile(rb'<c r="(?:A[O-Z]|[B-Z][A-Z]|[A-Z]{3}|[A-Z]+[0-9]{6})')
_TOO_WIDE = re.compile(rb'<c r="(?:A[O-Z]|[B-Z][A-Z]|[A-Z]{3})')
_TOO_TALL = re.compile(rb'<c r="[A-Z]+[0-9]{6}')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

MSG_NOT_XLSX = "只接受 .xlsx 文件。 Only .xlsx files are accepted."
MSG_MACROS = "不接受含宏的工作簿（.xlsm 或含 VBA 工程）。 Workbooks with macros are refused."
MSG_INVALID = "不是有效的 Excel 工作簿。 Not a valid Excel workbook."
MSG_TOO_LARGE = "文件解压后过大。 The file expands to more than a workbook should."
MSG_UNREADABLE = "无法读取该工作簿。 The workbook cannot be read."
MSG_FORMULA = "不接受公式，请将公式单元格粘贴为数值。 Formulas are not accepted; paste values."
MSG_ERROR_VALUE = "单元格含错误值（如 #DIV/0!）。 The cell holds an error value."


class UploadRejected(Exception):
    """The file itself cannot be read safely; nothing in it was looked at."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CellError:
    """A problem in one cell (``column`` is a letter) or in a whole row (``column`` is "")."""

    row: int
    column: str
    header: str
    value: object
    message: str

    def as_dict(self):
        value = self.value
        if isinstance(value, float):
            value = _text(value)  # as Excel shows it: -100, not -100.0
        elif value is not None and not isinstance(value, (str, int, bool)):
            value = str(value)
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "value": value,
            "message": self.message,
        }


class CellInvalid(ValueError):
    pass


# --- cell parsers: each takes what the reader gives (str, float, int, bool, date, datetime or
# "" for an empty cell) and returns a Python value, or raises CellInvalid with a message. -----


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps 15 significant digits; show the number as Excel shows it.
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    # A leading apostrophe before a formula character is how exports escape it; typing in
    # Excel never stores one, so it is removed and the workbook round-trips.
    if text[:1] == "'" and text[1:2] and text[1:2] in "=+-@":
        text = text[1:]
    return text


def parse_text(value):
    return _text(value)


def parse_as_read(value):
    """The cell's value as the reader gave it ("" when empty), for a service that parses it."""
    return value


def parse_code(value):
    """A code such as a credit code: spaces (also full-width) removed, upper case."""
    return "".join(_text(value).split()).upper()


def parse_decimal(value):
    if value.__class__ is float:
        # Excel stores doubles and means the 15 significant digits it displays; the shortest
        # representation is that already when it has no more than 15 characters.
        text = repr(value)
        if len(text) > 15:
            text = format(value, ".15g")
    elif isinstance(value, bool):
        raise CellInvalid("应为数字。 Must be a number.")
    elif isinstance(value, int):
        return Decimal(value)
    else:
        text = _text(value).replace(",", "").replace("，", "")
        if text == "":
            return None
    try:
        number = Decimal(text)
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
    if isinstance(value, datetime.datetime):
        return value.date()  # naive: openpyxl and calamine read cells without a time zone
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellInvalid("日期格式应为 YYYY-MM-DD。 Dates must be YYYY-MM-DD.")
    text = _text(value)
    if text == "":
        return None
    text = text.replace("/", "-").replace(".", "-")
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        pass
    raise CellInvalid("日期格式应为 YYYY-MM-DD。 Dates must be YYYY-MM-DD.")


_TRUE = frozenset({"是", "有", "y", "yes", "true", "1"})
_FALSE = frozenset({"否", "无", "n", "no", "false", "0"})


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellInvalid("应填写“是”或“否”。 Must be 是 (yes) or 否 (no).")


BOOL_CHOICES = ((True, "是"), (False, "否"))


@dataclass(frozen=True)
class Column:
    """One column of an import template or an export, shared by both directions.

    ``choices`` are (value, label) pairs of a closed list: the template offers the labels as a
    drop-down, an upload accepts a label or the stored value, an export shows the label.
    ``list_name`` names a longer list that the template keeps on a hidden sheet (regions,
    industries); the caller supplies its entries. ``imported`` is False for a column shown for
    the reader's sake only, such as an enterprise name beside its credit code.
    """

    key: str
    header: str  # Chinese header with the unit, e.g. "营业收入（万元）"
    parse: Callable = parse_text
    required: bool = False
    choices: tuple = ()
    list_name: str = ""
    width: int = 16
    note: str = ""
    imported: bool = True
    text_format: bool = False  # keep typed digits as text (codes, phone numbers)

    def __post_init__(self):
        lookup = {}
        for value, label in self.choices:
            lookup[label] = value
            lookup[str(value)] = value
        object.__setattr__(self, "_lookup", lookup)
        # The function that turns a raw cell into a value; the parser itself when there is
        # nothing more to check, which matters at hundreds of thousands of cells per upload.
        plain = not self.choices and not self.required
        object.__setattr__(self, "reader", self.parse if plain else self.read)

    @property
    def labels(self):
        return [label for _, label in self.choices]

    def label_of(self, value):
        for choice, label in self.choices:
            if choice == value:
                return label
        return value

    def read(self, raw):
        if not self.choices:
            value = self.parse(raw)
        elif raw.__class__ is str and raw in self._lookup:
            # A label or value exactly as the drop-down writes it needs no reading as text.
            value = self._lookup[raw]
        else:
            text = _text(raw)
            if text == "":
                value = None
            elif text in self._lookup:
                value = self._lookup[text]
            elif isinstance(raw, bool) and raw in self._lookup.values():
                value = raw
            else:
                listed = "、".join(self.labels)
                raise CellInvalid(f"应为以下之一：{listed}。 Must be one of the listed values.")
        if self.required and (value is None or value == ""):
            raise CellInvalid("必填。 Required.")
        return value


@dataclass
class Sheet:
    """Parsed rows of an upload: ``rows`` maps the spreadsheet's row number to the values by
    column key, ``raw`` to the cells as read; ``errors`` lists every problem found."""

    rows: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def error(self, row, index, header, value, message):
        """Record a problem at ``row`` and zero-based column ``index`` (None: the whole row)."""
        letter = get_column_letter(index + 1) if index is not None else ""
        self.errors.append(CellError(row, letter, header, value, message))


# --- reading --------------------------------------------------------------------------------


def _upload_name(upload):
    return (getattr(upload, "name", "") or "").lower()


def _upload_size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    return size


def _first_sheet_path(archive):
    """The zip path of the workbook's first sheet, as a reader would choose it."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, DefusedXmlException) as exc:
        raise UploadRejected(MSG_INVALID) from exc
    sheet = workbook.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
    if sheet is None:
        raise UploadRejected(MSG_INVALID)
    rel_id = sheet.get(f"{_NS_REL}id")
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return normpath(join(dirname("xl/workbook.xml"), target))
    raise UploadRejected(MSG_INVALID)


class _SheetScan:
    """What the byte stream of the first sheet tells before any reader builds its grid.

    python-calamine allocates one slot per cell of the sheet's extent, so a single cell at
    XFD1048576 would take hundreds of gigabytes: the extent is bounded here first. Cells written
    the usual way, ``<c r="B7" ...>``, are checked with a few searches, each one pass over the
    bytes (ten megabytes for 10,000 rows); a sheet written any other way (cells without ``r``, a
    namespace prefix) is parsed element by element instead.
    """

    def __init__(self):
        self.carry = b""
        self.unreferenced = False
        self.plain = False
        self.flagged = False
        self.too_tall = self.too_wide = False

    def feed(self, chunk):
        buffer = self.carry + chunk
        # Cut at the last "<", so no tag is split between two scans and none is seen twice.
        cut = buffer.rfind(b"<")
        if cut <= 0:
            self.carry = buffer
            return
        self.carry = buffer[cut:]
        self._scan(buffer[:cut])

    def finish(self):
        self._scan(self.carry)
        self.carry = b""

    def _scan(self, data):
        self.plain = self.plain or b"<sheetData" in data
        self.unreferenced = self.unreferenced or _CELL_WITHOUT_REF.search(data) is not None
        if _OUT_OF_BOUNDS.search(data):
            self.too_tall = self.too_tall or bool(_TOO_TALL.search(data))
            self.too_wide = self.too_wide or bool(_TOO_WIDE.search(data))
        if not self.flagged:
            self.flagged = bool(_FORMULA.search(data) or _ERROR_VALUE.search(data))

    @property
    def exact(self):
        return self.plain and not self.unreferenced


def _stream_member(archive, info, budget, scan=None):
    """Inflate one part, counting its real size against ``budget``; returns bytes left.

    zipfile stops at the size the directory declares and then checks the CRC, so a part that
    inflates to more than it claims is refused as damaged rather than read on.
    """
    is_xml = info.filename.endswith((".xml", ".rels"))
    tail = b""
    first = True
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            budget -= len(chunk)
            if budget < 0:
                raise UploadRejected(MSG_TOO_LARGE)
            # XML in UTF-16 would hide markup from the byte scans.
            if first and is_xml and (chunk.startswith((b"\xff\xfe", b"\xfe\xff"))
                                     or b"\x00" in chunk[:64]):
                raise UploadRejected(MSG_INVALID)
            first = False
            if is_xml and _DTD.search(tail + chunk):
                raise UploadRejected(
                    "工作簿含有不允许的 XML 声明（DTD）。 The workbook contains an XML DTD,"
                    " which is refused."
                )
            if scan is not None:
                scan.feed(chunk)
            tail = chunk[-16:]
    if scan is not None:
        scan.finish()
    return budget


def check_container(upload):
    """Refuse what no reader should open: oversize files, zip bombs, macros, DTDs, sheets of
    absurd extent, non-xlsx.

    Returns the positions (row, column; 1-based) of the first sheet's cells that hold a formula
    or an error value, each mapped to its message: those cells are errors, never read.
    """
    name = _upload_name(upload)
    if name.endswith((".xlsm", ".xltm", ".xlam", ".xlsb")):
        raise UploadRejected(MSG_MACROS)
    if not name.endswith(".xlsx"):
        raise UploadRejected(MSG_NOT_XLSX)
    if _upload_size(upload) > MAX_UPLOAD_BYTES:
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
                raise UploadRejected(MSG_TOO_LARGE)
            names = {e.filename.lower() for e in entries}
            if any(n.rsplit("/", 1)[-1].startswith("vbaproject") for n in names):
                raise UploadRejected(MSG_MACROS)
            if "[content_types].xml" not in names:
                raise UploadRejected(MSG_INVALID)
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types or b"vbaProject" in content_types:
                raise UploadRejected(MSG_MACROS)
            sheet_path = _first_sheet_path(archive)
            if sheet_path not in {e.filename for e in entries}:
                raise UploadRejected(MSG_INVALID)
            scan = _SheetScan()
            budget = MAX_UNCOMPRESSED_BYTES
            for info in entries:
                budget = _stream_member(
                    archive, info, budget, scan if info.filename == sheet_path else None
                )
            if not scan.exact:
                return _refused_cells(archive, sheet_path, bound_extent=True)
            _check_extent(
                MAX_ROWS + 2 if scan.too_tall else 0, MAX_COLUMNS + 1 if scan.too_wide else 0
            )
            return _refused_cells(archive, sheet_path) if scan.flagged else {}
    except zipfile.BadZipFile as exc:
        raise UploadRejected(MSG_INVALID) from exc
    except (EOFError, OSError, ValueError, NotImplementedError) as exc:
        # Damaged or unsupported compression, truncated parts, bad CRCs.
        raise UploadRejected(MSG_INVALID) from exc
    finally:
        upload.seek(0)


def _check_extent(rows, columns):
    """Refuse a sheet reaching past the last row or column allowed (the header is row 1)."""
    if rows > MAX_ROWS + 1:
        raise UploadRejected(f"行数超过 {MAX_ROWS}。 More than {MAX_ROWS} rows.")
    if columns > MAX_COLUMNS:
        raise UploadRejected(
            "工作表的行列范围过大。 The sheet spans more rows and columns than a workbook of"
            " this kind can."
        )


def _refused_cells(archive, sheet_path, *, bound_extent=False):
    """Positions of the cells holding a formula or an error value, mapped to the message.

    Positions follow the reader's rule: a row or cell without ``r`` comes right after the one
    before it. With ``bound_extent`` the sheet's extent is checked on the way.
    """
    refused = {}
    row_number = 0
    column_number = 0
    max_row = max_column = 0
    try:
        with archive.open(sheet_path) as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if tag == "row":
                        row_number = int(element.get("r") or row_number + 1)
                        column_number = 0
                    elif tag == "c":
                        ref = element.get("r")
                        if ref:
                            letters, row_number = coordinate_from_string(ref)
                            column_number = column_index_from_string(letters)
                        else:
                            column_number += 1
                        if bound_extent:
                            max_row = max(max_row, row_number)
                            max_column = max(max_column, column_number)
                            _check_extent(max_row, max_column)
                    continue
                if tag == "c":
                    children = {child.tag.rsplit("}", 1)[-1] for child in element}
                    if "f" in children:
                        refused[(row_number, column_number)] = MSG_FORMULA
                    elif element.get("t") == "e":
                        refused[(row_number, column_number)] = MSG_ERROR_VALUE
                    element.clear()
                elif tag == "row":
                    element.clear()
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise UploadRejected(MSG_INVALID) from exc
    return refused


def _check_header(header, columns):
    expected = [c.header for c in columns]
    if header[: len(expected)] != expected:
        missing = [h for h in expected if h not in header]
        listed = "、".join(missing or expected)
        raise UploadRejected(
            f"表头与模板不一致，请使用下载的模板。缺少或顺序不符：{listed}。"
            " The header row does not match the template."
        )


def _load_grid(upload, columns):
    """Check the container, read the first sheet's cells and check its header.

    Returns the refused cells (see ``check_container``) and the rows of cells from A1.
    """
    refused = check_container(upload)
    try:
        workbook = CalamineWorkbook.from_filelike(upload)
        grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # python-calamine raises several types for a damaged file
        raise UploadRejected(MSG_UNREADABLE) from exc
    finally:
        upload.seek(0)
    _check_header([_text(v) for v in grid[0]] if grid else [], columns)
    # A formula with no cached value reads as blank, and the reader's grid may end before it.
    last = max((row for row, _ in refused), default=0)
    grid.extend([] for _ in range(last - len(grid)))
    return refused, grid


def _is_blank(values, width):
    return values[:width].count("") >= min(width, len(values))


def count_rows(upload, columns):
    """Check an upload as ``read_sheet`` does, its header included, and count its data rows
    without parsing them."""
    refused, grid = _load_grid(upload, columns)
    refused_rows = {row for row, _ in refused}
    width = len(columns)
    return sum(
        1 for number, cells in enumerate(grid[1:], start=2)
        if not _is_blank(cells, width) or number in refused_rows
    )


def read_sheet(upload, columns):
    """Validate every cell of the first sheet against ``columns`` and collect every error.

    Row numbers are the spreadsheet's own (the header is row 1); blank rows are skipped. Nothing
    is written anywhere. Raises UploadRejected when the file as a whole cannot be used.
    """
    refused, grid = _load_grid(upload, columns)
    width = len(columns)
    keys = [column.key for column in columns]
    converters = [(c.key, c.reader) for c in columns if c.reader is not parse_as_read]
    refused_rows = {row for row, _ in refused}
    sheet = Sheet()
    for row_number, cells in enumerate(grid[1:], start=2):
        values = cells[:width]
        if len(values) < width:
            values += [""] * (width - len(values))
        if _is_blank(values, width) and row_number not in refused_rows:
            continue
        sheet.raw[row_number] = values
        if row_number not in refused_rows:
            parsed = dict(zip(keys, values, strict=True))
            try:
                for key, read in converters:
                    parsed[key] = read(parsed[key])
                sheet.rows[row_number] = parsed
                continue
            except CellInvalid:
                pass
        # Some cell is wrong: go cell by cell to report each one.
        parsed = {}
        for index, column in enumerate(columns):
            raw = values[index]
            message = refused.get((row_number, index + 1))
            if message is None:
                try:
                    parsed[column.key] = column.reader(raw)
                    continue
                except CellInvalid as exc:
                    message = str(exc)
            sheet.error(row_number, index, column.header, raw, message)
        sheet.rows[row_number] = parsed
    return sheet


# --- writing --------------------------------------------------------------------------------


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
        validation.error = "请从下拉列表中选择。 Choose a value from the list."
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
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
    for line in notes:
        notes_sheet.append(["", line])
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


def write_template(columns, *, title, notes, lists=None):
    """A blank import template: Chinese headers with units, drop-downs for closed values (long
    lists on hidden sheets) and a notes sheet explaining each column."""
    lists = lists or {}
    workbook = Workbook(write_only=True)
    _data_sheet(workbook, columns, title, lists)
    _notes_and_lists(workbook, columns, notes, lists)
    return _save(workbook)


def write_annotated(columns, sheet: Sheet, errors: Iterable, *, title, notes, lists=None):
    """The uploaded rows again at their own row numbers, with an error column and every bad cell
    highlighted, so an official can fix and upload the file they already have.

    ``errors`` are CellError-like dicts or objects; the extra column is ignored on upload.
    """
    lists = lists or {}
    by_row = {}
    for error in errors:
        get = error.get if isinstance(error, dict) else error.__getattribute__
        by_row.setdefault(get("row"), []).append(
            (get("column"), get("header"), get("message"))
        )
    workbook = Workbook(write_only=True)
    worksheet = _data_sheet(workbook, columns, title, lists, extra_headers=(_Extra(ERRORS_HEADER),))
    next_row = 2
    for row_number in sorted(set(sheet.raw) | set(by_row)):
        while next_row < row_number:
            worksheet.append([])
            next_row += 1
        values = sheet.raw.get(row_number, [])
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
            message = "；".join(
                f"{letter}列 {header}：{text}" if letter else text
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
