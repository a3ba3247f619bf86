"""Reading an upload: the container checked, the first sheet's rows streamed
(``gansu_sme.excel.stream``) and validated against the column specs, every error collected.

``iter_sheet`` gives the rows one at a time, so an import holds one batch of rows whatever the
file's length; ``read_sheet`` collects them into a Sheet for the callers that need them all
(annotated copies, the smaller imports)."""

import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from gansu_sme.excel.columns import CellError, CellInvalid, Sheet, cell_text, parse_as_read
from gansu_sme.excel.container import (
    MSG_UNREADABLE,
    REFUSED_MESSAGES,
    UploadRejected,
    check_container,
)
from gansu_sme.excel.stream import iter_rows

MSG_HEADER = _(
    "The header row does not match the template; use the downloaded template. Missing or out"
    " of order: %(headers)s."
)


def _check_header(header, columns):
    expected = [c.header for c in columns]
    if header[: len(expected)] != expected:
        missing = [h for h in expected if h not in header]
        # The headers are the template's Chinese ones, quoted as they are.
        listed = "、".join(missing or expected)
        raise UploadRejected(MSG_HEADER, code="header_mismatch", params={"headers": listed})


@dataclass
class Row:
    """One data row: its number in the sheet, its cells as read (``raw``, one per column),
    the values of its readable cells by column key, and the errors of its cells."""

    number: int
    raw: list
    values: dict
    errors: list


def _is_blank(values, width):
    return values[:width].count("") >= min(width, len(values))


def _rows(upload, columns, refused):
    """(number, cells cut or padded to the columns) of each data row not blank, or holding a
    refused cell, after the header has been checked."""
    width = len(columns)
    refused_rows = {row for row, _ in refused}
    rows = iter_rows(upload)
    try:
        try:
            first = next(rows, None)
        except (KeyError, ValueError, IndexError, expat.ExpatError, zipfile.BadZipFile) as exc:
            raise UploadRejected(MSG_UNREADABLE, code="unreadable") from exc
        header = first[1] if first is not None and first[0] == 1 else []
        _check_header([cell_text(v) for v in header], columns)
        pending = [] if first is None or first[0] == 1 else [first]
        while True:
            for number, cells in pending:
                values = cells[:width]
                if len(values) < width:
                    values += [""] * (width - len(values))
                if number in refused_rows or not _is_blank(values, width):
                    yield number, values
            try:
                pending = [next(rows)]
            except StopIteration:
                return
            except (KeyError, ValueError, IndexError, expat.ExpatError,
                    zipfile.BadZipFile) as exc:
                raise UploadRejected(MSG_UNREADABLE, code="unreadable") from exc
    finally:
        rows.close()
        upload.seek(0)


def iter_sheet(upload, columns):
    """Check the upload's container and header, then give each data row as a Row, parsed
    against ``columns`` with every error of its cells.

    Row numbers are the spreadsheet's own (the header is row 1); blank rows are skipped. Memory
    stays that of one row. Raises UploadRejected when the file as a whole cannot be used (also
    from the first row onwards: a caller stops and writes nothing).
    """
    refused = check_container(upload)
    keys = [column.key for column in columns]
    converters = [(c.key, c.reader) for c in columns if c.reader is not parse_as_read]
    for number, values in _rows(upload, columns, refused):
        if not refused or not any((number, i) in refused for i in range(1, len(values) + 1)):
            parsed = dict(zip(keys, values, strict=True))
            try:
                for key, read in converters:
                    parsed[key] = read(parsed[key])
                yield Row(number, values, parsed, [])
                continue
            except CellInvalid:
                pass
        # Some cell is wrong: go cell by cell to report each one.
        parsed, errors = {}, []
        for index, column in enumerate(columns):
            raw = values[index]
            letter = get_column_letter(index + 1)
            code = refused.get((number, index + 1))
            if code is not None:
                errors.append(CellError(number, letter, column.header, raw,
                                        REFUSED_MESSAGES[code], code))
                continue
            try:
                parsed[column.key] = column.reader(raw)
            except CellInvalid as exc:
                errors.append(CellError(number, letter, column.header, raw, exc.message,
                                        exc.code, exc.params))
        yield Row(number, values, parsed, errors)


def count_rows(upload, columns):
    """Check an upload as ``read_sheet`` does, its header included, and count its data rows
    without parsing them."""
    refused = check_container(upload)
    return sum(1 for _ in _rows(upload, columns, refused))


def read_sheet(upload, columns):
    """Every row of ``iter_sheet`` collected into a Sheet, with every error.

    Nothing is written anywhere. Raises UploadRejected when the file as a whole cannot be used.
    """
    sheet = Sheet()
    for row in iter_sheet(upload, columns):
        sheet.raw[row.number] = row.raw
        sheet.rows[row.number] = row.values
        sheet.errors.extend(row.errors)
    return sheet
