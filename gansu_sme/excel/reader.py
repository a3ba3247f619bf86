"""Reading an upload: the container checked, the first sheet's cells read by python-calamine
and validated against the column specs, every error collected."""

from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineWorkbook

from gansu_sme.excel.columns import CellInvalid, Sheet, cell_text, parse_as_read
from gansu_sme.excel.container import (
    MSG_UNREADABLE,
    REFUSED_MESSAGES,
    UploadRejected,
    check_container,
)

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


def _load_grid(upload, columns):
    """Check the container, read the first sheet's cells and check its header.

    Returns the refused cells (see ``check_container``) and the rows of cells from A1.
    """
    refused = check_container(upload)
    try:
        workbook = CalamineWorkbook.from_filelike(upload)
        grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # python-calamine raises several types for a damaged file
        raise UploadRejected(MSG_UNREADABLE, code="unreadable") from exc
    finally:
        upload.seek(0)
    _check_header([cell_text(v) for v in grid[0]] if grid else [], columns)
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
            code = refused.get((row_number, index + 1))
            if code is not None:
                sheet.error(row_number, index, column.header, raw, REFUSED_MESSAGES[code], code)
                continue
            try:
                parsed[column.key] = column.reader(raw)
            except CellInvalid as exc:
                sheet.error(
                    row_number, index, column.header, raw, exc.message, exc.code, exc.params
                )
        sheet.rows[row_number] = parsed
    return sheet
