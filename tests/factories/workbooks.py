"""Workbooks built in memory for upload tests, benign and hostile alike."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from gansu_sme.excel import XLSX_CONTENT_TYPE


def xlsx_bytes(headers, rows, *, formulas=()):
    """A workbook whose first sheet has ``headers`` and ``rows``; each of ``formulas`` is a
    (cell, formula) pair written as a real formula, e.g. ("E2", "=1+1")."""
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for cell, formula in formulas:
        sheet[cell] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content, name="数据.xlsx", content_type=XLSX_CONTENT_TYPE):
    return SimpleUploadedFile(name, content, content_type=content_type)


def sheet_upload(columns, rows, *, name="数据.xlsx", formulas=()):
    """An upload with the template's header for ``columns`` and ``rows`` as lists of cells."""
    return upload(xlsx_bytes([c.header for c in columns], rows, formulas=formulas), name=name)


def rows_of(columns, records):
    """``records`` (dicts by column key) as rows of cells in the order of ``columns``."""
    return [[record.get(c.key) for c in columns] for record in records]


def with_parts(content, replace=None, add=None, drop=()):
    """The zip of ``content`` with parts replaced, added or dropped (names as in the zip)."""
    replace = replace or {}
    add = add or {}
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, data in add.items():
            target.writestr(name, data)
    return buffer.getvalue()


def open_workbook(response_or_bytes):
    """An openpyxl workbook from a file response or bytes, fully loaded (formulas as written)."""
    if hasattr(response_or_bytes, "streaming_content"):
        content = b"".join(response_or_bytes.streaming_content)
    else:
        content = response_or_bytes
    return load_workbook(io.BytesIO(content))
