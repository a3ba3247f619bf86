"""A Document written as a PDF (reportlab, A4 landscape, the certificate's CJK font) or as a
workbook (gansu_sme.excel), the two forms officials print, stamp and file."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from certification.documents import Document, official_date
from certification.pdf import cjk_font
from gansu_sme.excel.writer import write_document

MARGIN = 15 * mm


def _styles(font):
    base = {"fontName": font, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=18, leading=26, alignment=TA_CENTER, **base),
        "line": ParagraphStyle("line", fontSize=11, leading=16, alignment=TA_LEFT, **base),
        "head": ParagraphStyle("head", fontSize=10, leading=13, alignment=TA_CENTER, **base),
        "cell": ParagraphStyle("cell", fontSize=9.5, leading=12.5, **base),
        "sign": ParagraphStyle("sign", fontSize=12, leading=20, alignment=TA_RIGHT, **base),
    }


def _text(value):
    if value is None:
        return ""
    return escape(str(value))


def document_pdf(document: Document) -> bytes:
    """The document as an A4 landscape PDF: title, lines, the table (its header repeated on
    every page), the issuing body and date for the seal, and page numbers."""
    font = cjk_font()
    styles = _styles(font)
    buffer = io.BytesIO()
    pagesize = landscape(A4)
    pdf = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=document.title, author=document.issuer,
    )
    width = pagesize[0] - 2 * MARGIN
    total = sum(column.width for column in document.columns)
    widths = [width * column.width / total for column in document.columns]
    data = [[Paragraph(_text(column.header), styles["head"]) for column in document.columns]]
    for row in document.rows:
        data.append(
            [Paragraph(_text(row.get(column.key)), styles["cell"]) for column in document.columns]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [Paragraph(_text(document.title), styles["title"]), Spacer(1, 4 * mm)]
    story += [Paragraph(_text(line), styles["line"]) for line in document.lines]
    story += [Spacer(1, 3 * mm), table, Spacer(1, 8 * mm)]
    story += [Paragraph(_text(note), styles["line"]) for note in document.notes]
    story += [
        Spacer(1, 10 * mm),
        Paragraph(_text(document.issuer), styles["sign"]),
        Paragraph(_text(official_date(document.dated)), styles["sign"]),
    ]

    def number_page(canvas, template):
        # Page numbers are part of the filed document: Chinese like the rest of it.
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(pagesize[0] / 2, 8 * mm, f"第 {template.page} 页")
        canvas.restoreState()

    pdf.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return buffer.getvalue()


def document_xlsx(document: Document):
    """The document as a workbook through gansu_sme.excel: (temporary file, row count)."""
    footer = (*document.notes, document.issuer, official_date(document.dated))
    return write_document(
        document.columns, document.rows, title=document.title, lines=document.lines,
        footer=footer, sheet_title=document.sheet_title,
    )
