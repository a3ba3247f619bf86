"""Excel in and out for every app: upload checks, column specs, templates, streamed exports.

Uploaded workbooks are untrusted. Before any spreadsheet library opens one, ``check_container``
streams every part of the zip once: it enforces the size, entry-count and uncompressed-size limits
on the bytes actually inflated (a forged size in the zip directory fails the CRC check), refuses
macros and XML with a DTD, and finds every formula or error cell of the first sheet. The cells
are then streamed row by row (``stream``: expat over the sheet's XML, the shared strings spilled
to disk), so reading holds one row whatever the file's length and the row limit is a setting
(IMPORT_MAX_ROWS), not a consequence of memory. Formulas are never evaluated: a cell that holds
one is an error in that cell, whatever cached value it carries.

Templates and annotated copies are written by openpyxl in write-only mode, exports of whole lists
by XlsxWriter in constant-memory mode, each into a temporary file, so memory stays flat whatever
the row count. openpyxl parses XML through defusedxml, which must be installed.

Modules: ``columns`` (column specs, cell parsers, the parsed sheet and its errors), ``container``
(the upload checks), ``stream`` (rows as they are read), ``reader`` (``iter_sheet``,
``read_sheet``, ``count_rows``), ``writer`` (templates, annotated copies, exports).
"""

import openpyxl
from django.core.exceptions import ImproperlyConfigured

if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("defusedxml must be installed: openpyxl parses XML through it.")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
