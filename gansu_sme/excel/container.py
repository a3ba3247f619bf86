"""Checks of an uploaded workbook's zip container, made before any spreadsheet library opens it:
size and entry limits on the bytes actually inflated, macros, DTDs, the first sheet's extent,
and which of its cells hold a formula or an error value."""

import re
import zipfile
from posixpath import dirname, join, normpath

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# The first sheet may not reach row 100,000 nor pass column AN: the reader holds one slot per
# cell of that rectangle (4 million at most), and the limits are cheap to check on the bytes.
MAX_ROWS = 99_998
MAX_COLUMNS = 40

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

MSG_NOT_XLSX = _("Only .xlsx files are accepted.")
MSG_MACROS = _("Workbooks with macros (.xlsm, or with a VBA project) are refused.")
MSG_INVALID = _("This is not a valid Excel workbook.")
MSG_TOO_LARGE = _("The file expands to more than a workbook should.")
MSG_UNREADABLE = _("The workbook cannot be read.")
MSG_DTD = _("The workbook contains an XML declaration (DTD), which is refused.")
MSG_TOO_BIG = _("The file is larger than %(limit)s MB.")
MSG_TOO_MANY_PARTS = _("The file has too many parts to be a normal workbook.")
MSG_TOO_MANY_ROWS = _("The sheet has more than %(rows)s rows.")
MSG_TOO_WIDE = _("The sheet spans more rows and columns than a workbook of this kind can.")
MSG_FORMULA = _("Formulas are not accepted: paste the cell as a value.")
MSG_ERROR_VALUE = _("The cell holds an error value (such as #DIV/0!).")

# Cells refused before they are read, by code: see check_container.
FORMULA, ERROR_VALUE = "formula", "error_value"
REFUSED_MESSAGES = {FORMULA: MSG_FORMULA, ERROR_VALUE: MSG_ERROR_VALUE}


class UploadRejected(Exception):
    """The file itself cannot be read safely; nothing in it was looked at.

    ``code`` names the reason; ``message`` (translatable) and ``params`` say it.
    """

    def __init__(self, message, *, code="invalid_file", params=None):
        self.message = message
        self.code = code
        self.params = params or {}
        super().__init__(code)

    @property
    def text(self):
        """The message in the active language."""
        text = str(self.message)
        return text % self.params if self.params else text


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
        raise UploadRejected(MSG_INVALID, code="invalid_file") from exc
    sheet = workbook.find(f"{_NS_MAIN}sheets/{_NS_MAIN}sheet")
    if sheet is None:
        raise UploadRejected(MSG_INVALID, code="invalid_file")
    rel_id = sheet.get(f"{_NS_REL}id")
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return normpath(join(dirname("xl/workbook.xml"), target))
    raise UploadRejected(MSG_INVALID, code="invalid_file")


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
                raise UploadRejected(MSG_TOO_LARGE, code="too_large")
            # XML in UTF-16 would hide markup from the byte scans.
            if first and is_xml and (chunk.startswith((b"\xff\xfe", b"\xfe\xff"))
                                     or b"\x00" in chunk[:64]):
                raise UploadRejected(MSG_INVALID, code="invalid_file")
            first = False
            if is_xml and _DTD.search(tail + chunk):
                raise UploadRejected(MSG_DTD, code="dtd")
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
    or an error value, each mapped to its code (FORMULA, ERROR_VALUE): those cells are errors,
    never read.
    """
    name = _upload_name(upload)
    if name.endswith((".xlsm", ".xltm", ".xlam", ".xlsb")):
        raise UploadRejected(MSG_MACROS, code="macros")
    if not name.endswith(".xlsx"):
        raise UploadRejected(MSG_NOT_XLSX, code="not_xlsx")
    if _upload_size(upload) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // 2**20
        raise UploadRejected(MSG_TOO_BIG, code="file_too_big", params={"limit": limit})
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UploadRejected(MSG_TOO_MANY_PARTS, code="too_many_parts")
            if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
                raise UploadRejected(MSG_TOO_LARGE, code="too_large")
            names = {e.filename.lower() for e in entries}
            if any(n.rsplit("/", 1)[-1].startswith("vbaproject") for n in names):
                raise UploadRejected(MSG_MACROS, code="macros")
            if "[content_types].xml" not in names:
                raise UploadRejected(MSG_INVALID, code="invalid_file")
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types or b"vbaProject" in content_types:
                raise UploadRejected(MSG_MACROS, code="macros")
            sheet_path = _first_sheet_path(archive)
            if sheet_path not in {e.filename for e in entries}:
                raise UploadRejected(MSG_INVALID, code="invalid_file")
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
        raise UploadRejected(MSG_INVALID, code="invalid_file") from exc
    except (EOFError, OSError, ValueError, NotImplementedError) as exc:
        # Damaged or unsupported compression, truncated parts, bad CRCs.
        raise UploadRejected(MSG_INVALID, code="invalid_file") from exc
    finally:
        upload.seek(0)


def _check_extent(rows, columns):
    """Refuse a sheet reaching past the last row or column allowed (the header is row 1)."""
    if rows > MAX_ROWS + 1:
        raise UploadRejected(MSG_TOO_MANY_ROWS, code="too_many_rows", params={"rows": MAX_ROWS})
    if columns > MAX_COLUMNS:
        raise UploadRejected(MSG_TOO_WIDE, code="sheet_too_wide")


def _refused_cells(archive, sheet_path, *, bound_extent=False):
    """Positions of the cells holding a formula or an error value, mapped to its code.

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
                        refused[(row_number, column_number)] = FORMULA
                    elif element.get("t") == "e":
                        refused[(row_number, column_number)] = ERROR_VALUE
                    element.clear()
                elif tag == "row":
                    element.clear()
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise UploadRejected(MSG_INVALID, code="invalid_file") from exc
    return refused
