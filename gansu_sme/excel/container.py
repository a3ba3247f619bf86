"""Checks of an uploaded workbook's zip container, made before any spreadsheet library opens it:
size and entry limits on the bytes actually inflated, macros, DTDs, the first sheet's extent,
and which of its cells hold a formula or an error value."""

import io
import re
import zipfile
from posixpath import dirname, join, normpath

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# The data rows the first sheet may hold (settings.IMPORT_MAX_ROWS; this is its default) and
# the columns it may span. The reader streams rows at constant memory, so the row limit is a
# choice of how much work one upload may ask, not of memory; both are cheap to check on the
# bytes.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 40
# The work a file may ask of the reader, whatever its size on disk (settings IMPORT_MAX_*; these
# are their defaults). Inflated bytes may not pass RATIO times the upload's own size once past
# RATIO_FLOOR: a normal workbook inflates 3 to 15 times, a bomb hundreds of times, so a bomb is
# refused after a few megabytes of inflating, however far it would go.
MAX_RATIO = 100
RATIO_FLOOR = 8 * 1024 * 1024
# The same ratio for each part, on the compressed bytes actually read (not the size its header
# declares), once the part has inflated past MEMBER_RATIO_FLOOR: a bomb hidden in one part of
# an otherwise ordinary file is refused after its first megabytes.
MEMBER_RATIO_FLOOR = 1024 * 1024
# Cells written in the first sheet (empty styled ones included: each costs the reader as much),
# and strings in the shared-string table (the reader holds all of them at once).
MAX_CELLS = 3_000_000
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
# Cells of a sheet written without positions (or with namespace prefixes), which the checks
# must parse element by element rather than scan: no spreadsheet program writes those.
MAX_CELLS_PARSED = 200_000
# Nesting of any XML part: a worksheet is 7 deep, styles and drawings a few more.
MAX_XML_DEPTH = 40
# The workbook's directory parts, parsed whole: a few kilobytes in any real file.
MAX_DIRECTORY_PART_BYTES = 1024 * 1024

_CHUNK = 1024 * 1024
_PIECE = 64 * 1024
# A formula element (<f>, <f t="shared" .../>) or an error value (t="e") in sheet XML written
# the usual way; only when one appears is the sheet parsed to find which cells hold it. A sheet
# written any other way (a namespace prefix) is always parsed.
_FORMULA = re.compile(rb"<f[ >/]")
_ERROR_VALUE = re.compile(rb""" t=(?:"e"|'e')""")
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")
# A cell whose reference does not come first, or that has none: <c>, <c t="s" r="B7">.
_CELL_WITHOUT_REF = re.compile(rb'<c(?! r=")[ >/]')
# A cell reference past column AN.
_TOO_WIDE = re.compile(rb'<c r="(?:A[O-Z]|[B-Z][A-Z]|[A-Z]{3})')
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
MSG_TOO_MANY_CELLS = _("The sheet holds more than %(cells)s cells (empty formatted cells count).")
MSG_TOO_DEEP = _("The workbook's XML is nested deeper than a workbook's is.")

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
        workbook = _parse_part(archive, "xl/workbook.xml")
        rels = _parse_part(archive, "xl/_rels/workbook.xml.rels")
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


def _parse_part(archive, name):
    """A small XML part as a tree, read only up to MAX_DIRECTORY_PART_BYTES and MAX_XML_DEPTH
    (a declared size may lie; the bytes read are what counts)."""
    with archive.open(name) as member:
        data = member.read(MAX_DIRECTORY_PART_BYTES + 1)
    if len(data) > MAX_DIRECTORY_PART_BYTES:
        raise UploadRejected(MSG_TOO_LARGE, code="too_large")
    depth = 0
    root = None
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise UploadRejected(MSG_TOO_DEEP, code="too_deep")
            root = element if root is None else root
        else:
            depth -= 1
    return root


class _Budget:
    """What the upload may still ask for while it is streamed: inflated bytes (the size limit
    and the ratio to the upload's size, whichever is lower) and cells."""

    def __init__(self, upload_size):
        limit = _limit("IMPORT_MAX_INFLATED_BYTES", MAX_UNCOMPRESSED_BYTES)
        ratio = _limit("IMPORT_MAX_RATIO", MAX_RATIO)
        self.ratio = ratio
        self.ratio_bytes = max(RATIO_FLOOR, upload_size * ratio)
        self.bytes = min(limit, self.ratio_bytes)
        self.ratio_bound = self.ratio_bytes < limit
        self.cells = _limit("IMPORT_MAX_CELLS", MAX_CELLS)

    def inflated(self, size):
        self.bytes -= size
        if self.bytes < 0:
            raise UploadRejected(MSG_TOO_LARGE, code="ratio" if self.ratio_bound else "too_large")


def _limit(name, default):
    return getattr(settings, name, default)


def max_rows():
    """The data rows an upload's first sheet may hold (settings.IMPORT_MAX_ROWS)."""
    return _limit("IMPORT_MAX_ROWS", MAX_ROWS)


class _DepthScan:
    """The nesting depth of an XML part, estimated from its bytes chunk by chunk: start tags
    less end tags and empty-element tags. Text holding "/>" makes it low, never high; a part
    that hides its depth that way still meets the bounded worker (see registry.tasks)."""

    def __init__(self):
        self.depth = 0

    def feed(self, data):
        ends = data.count(b"</")
        opens = data.count(b"<") - ends - data.count(b"<?") - data.count(b"<!")
        self.depth += opens - ends - data.count(b"/>")
        if self.depth > MAX_XML_DEPTH:
            raise UploadRejected(MSG_TOO_DEEP, code="too_deep")


class _SheetScan:
    """What the byte stream of the first sheet tells before any reader builds its grid.

    A reader that builds a grid allocates one slot per cell of the sheet's extent, so a single
    cell at XFD1048576 would take hundreds of gigabytes: the extent is bounded here first (the
    streaming reader needs no grid, but a row limit still bounds the work). Cells written the
    usual way, ``<c r="B7" ...>``, are checked with a few searches, each one pass over the bytes
    (ten megabytes for 10,000 rows); a sheet written any other way (cells without ``r``, a
    namespace prefix) is parsed element by element instead.
    """

    def __init__(self):
        self.carry = b""
        self.unreferenced = False
        self.plain = False
        self.flagged = False
        self.too_tall = self.too_wide = False
        self.cells = 0
        # Row numbers with as many digits as the first row past the limit, or more, are read
        # and compared; the rest cannot pass it.
        self.last_row = max_rows() + 1
        digits = len(str(self.last_row + 1))
        self._tall = re.compile(rb'<c r="[A-Z]+([0-9]{%d,})' % digits)
        # Either, in one pass over the bytes; which one, only when it is found.
        self._out_of_bounds = re.compile(
            rb'<c r="(?:A[O-Z]|[B-Z][A-Z]|[A-Z]{3}|[A-Z]+[0-9]{%d})' % digits
        )

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
        self.cells += data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")
        self.plain = self.plain or b"<sheetData" in data
        self.unreferenced = self.unreferenced or _CELL_WITHOUT_REF.search(data) is not None
        if self._out_of_bounds.search(data):
            if not self.too_tall:
                self.too_tall = any(
                    int(found.group(1)) > self.last_row for found in self._tall.finditer(data)
                )
            self.too_wide = self.too_wide or _TOO_WIDE.search(data) is not None
        if not self.flagged:
            self.flagged = bool(_FORMULA.search(data) or _ERROR_VALUE.search(data))

    @property
    def exact(self):
        return self.plain and not self.unreferenced


def _inflated_chunks(member, info, ratio):
    """The part's inflated bytes in chunks of about _CHUNK, checking its compression ratio
    every _PIECE: zipfile reads as many compressed bytes as inflated ones are asked for, so
    small reads keep the count of compressed bytes read close to what was inflated."""
    pieces = []
    size = inflated = 0
    while piece := member.read(_PIECE):
        inflated += len(piece)
        if inflated > MEMBER_RATIO_FLOOR:
            read = info.compress_size - getattr(member, "_compress_left", 0)
            if inflated > ratio * max(read, 1):
                raise UploadRejected(MSG_TOO_LARGE, code="ratio")
        pieces.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield b"".join(pieces)
            pieces, size = [], 0
    if pieces:
        yield b"".join(pieces)


def _stream_member(archive, info, budget, scan=None):
    """Inflate one part, counting its real size, and the first sheet's cells, against
    ``budget``; a chunk at a time, so memory stays flat whatever the part claims or holds.

    zipfile stops at the size the directory declares and then checks the CRC, so a part that
    inflates to more than it claims is refused as damaged rather than read on.
    """
    lowered = info.filename.lower()
    is_xml = lowered.endswith((".xml", ".rels"))
    shared_strings = lowered.endswith("sharedstrings.xml")
    depth = _DepthScan() if is_xml else None
    inflated = strings = 0
    tail = carry = b""
    first = True
    with archive.open(info) as member:
        for chunk in _inflated_chunks(member, info, budget.ratio):
            budget.inflated(len(chunk))
            inflated += len(chunk)
            # XML in UTF-16 would hide markup from the byte scans.
            if first and is_xml and (chunk.startswith((b"\xff\xfe", b"\xfe\xff"))
                                     or b"\x00" in chunk[:64]):
                raise UploadRejected(MSG_INVALID, code="invalid_file")
            first = False
            if is_xml and _DTD.search(tail + chunk):
                raise UploadRejected(MSG_DTD, code="dtd")
            if depth is not None:
                # A tag's "<" or "/" split from the rest of it waits for the next chunk.
                data = carry + chunk
                cut = len(data) - 1 if data[-1:] in (b"<", b"/") else len(data)
                carry = data[cut:]
                depth.feed(data[:cut])
            if shared_strings:
                strings += (tail + chunk).count(b"<si") - tail.count(b"<si")
                if inflated > MAX_SHARED_STRINGS_BYTES or strings > budget.cells:
                    raise UploadRejected(
                        MSG_TOO_MANY_CELLS, code="too_many_strings",
                        params={"cells": f"{budget.cells:,}"},
                    )
            if scan is not None:
                scan.feed(chunk)
                if scan.cells > budget.cells:
                    raise UploadRejected(
                        MSG_TOO_MANY_CELLS, code="too_many_cells",
                        params={"cells": f"{budget.cells:,}"},
                    )
            tail = chunk[-16:]
    if scan is not None:
        scan.finish()
        if scan.cells > budget.cells:
            raise UploadRejected(
                MSG_TOO_MANY_CELLS, code="too_many_cells", params={"cells": f"{budget.cells:,}"}
            )


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
    size = _upload_size(upload)
    if size > _limit("IMPORT_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES):
        limit = _limit("IMPORT_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES) // 2**20
        raise UploadRejected(MSG_TOO_BIG, code="file_too_big", params={"limit": limit})
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UploadRejected(MSG_TOO_MANY_PARTS, code="too_many_parts")
            budget = _Budget(size)
            declared = _limit("IMPORT_MAX_INFLATED_BYTES", MAX_UNCOMPRESSED_BYTES)
            if sum(e.file_size for e in entries) > declared:
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
            for info in entries:
                _stream_member(archive, info, budget, scan if info.filename == sheet_path else None)
            if not scan.exact:
                # Parsed element by element in Python: only a sheet of ordinary size.
                if scan.cells > MAX_CELLS_PARSED:
                    raise UploadRejected(
                        MSG_TOO_MANY_CELLS, code="too_many_cells",
                        params={"cells": f"{MAX_CELLS_PARSED:,}"},
                    )
                return _refused_cells(archive, sheet_path, bound_extent=True)
            _check_extent(
                scan.last_row + 1 if scan.too_tall else 0, MAX_COLUMNS + 1 if scan.too_wide else 0
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
    limit = max_rows()
    if rows > limit + 1:
        raise UploadRejected(
            MSG_TOO_MANY_ROWS, code="too_many_rows", params={"rows": f"{limit:,}"}
        )
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
    depth = 0
    try:
        with archive.open(sheet_path) as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start":
                    depth += 1
                    if depth > MAX_XML_DEPTH:
                        raise UploadRejected(MSG_TOO_DEEP, code="too_deep")
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
                depth -= 1
                if tag == "c":
                    children = {child.tag.rsplit("}", 1)[-1] for child in element}
                    if "f" in children:
                        refused[(row_number, column_number)] = FORMULA
                    elif element.get("t") == "e":
                        refused[(row_number, column_number)] = ERROR_VALUE
                    element.clear()
                elif tag != "sheetData" and tag != "worksheet":
                    element.clear()
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise UploadRejected(MSG_INVALID, code="invalid_file") from exc
    return refused
