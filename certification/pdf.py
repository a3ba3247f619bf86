"""The certificate as a one-page A4 PDF, with a QR code of its public verification address.

Chinese text is set in the TrueType font named by CERTIFICATE_FONT_FILE (by default WenQuanYi
Micro Hei from Debian's fonts-wqy-microhei, which the image and CI install), embedded as a
subset so every reader shows the same glyphs. Where that file is missing (a developer machine
without the package) reportlab's built-in CID font STSong-Light is used instead: it is not
embedded, so it relies on the reader's Adobe Asian fonts, and a warning says so. No CJK
TrueType font is packaged for pip (the Noto CJK wheels carry CFF outlines, which reportlab
cannot embed).
"""

import functools
import io
import logging
from pathlib import Path

from django.conf import settings
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

logger = logging.getLogger(__name__)

EMBEDDED_FONT = "CertificateSans"
FALLBACK_FONT = "STSong-Light"

# The certificate is an official document in Chinese: its text is data, not interface, and stays
# Chinese whatever the language of the person who downloads it (no gettext here).
ISSUER = "甘肃省工业和信息化厅"
TITLES = {
    "provincial": "甘肃省专精特新中小企业",
    "national": "国家级专精特新“小巨人”企业",
}
RED = colors.HexColor("#B3261E")


@functools.cache
def _font(path):
    """Register the certificate's font once per process and return its name."""
    if Path(path).is_file():
        pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, path, subfontIndex=0))
        return EMBEDDED_FONT
    logger.warning("Certificate font %s is missing; using the non-embedded %s.", path,
                   FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def cjk_font():
    """The name of the registered CJK font every certification PDF sets Chinese in."""
    return _font(settings.CERTIFICATE_FONT_FILE)


def _qr(payload, size):
    widget = QrCodeWidget(payload, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _centred(pdf, font, text, y, size):
    pdf.setFont(font, size)
    pdf.drawCentredString(A4[0] / 2, y, text)


def certificate_pdf(certificate, *, verify_url):
    """The PDF bytes of ``certificate``; ``verify_url`` is put in the QR code and printed."""
    enterprise = certificate.enterprise
    font = _font(settings.CERTIFICATE_FONT_FILE)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(f"{certificate.number} {enterprise.name}")
    pdf.setAuthor(ISSUER)
    width, height = A4

    pdf.setStrokeColor(RED)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    pdf.setFillColor(RED)
    _centred(pdf, font, "证  书", height - 60 * mm, 40)
    pdf.setFillColor(colors.black)
    _centred(pdf, font, enterprise.name, height - 95 * mm, 22)
    _centred(pdf, font, "被认定为", height - 112 * mm, 16)
    _centred(pdf, font, TITLES[certificate.level], height - 130 * mm, 24)

    pdf.setFont(font, 12)
    lines = [
        f"统一社会信用代码：{enterprise.uscc}",
        f"证书编号：{certificate.number}",
        f"发证日期：{certificate.issued_on:%Y年%m月%d日}",
        f"有效期至：{certificate.valid_until:%Y年%m月%d日}",
        f"认定标准版本：{certificate.ruleset_code}",
    ]
    if certificate.national_document:
        lines.append(f"认定文件：{certificate.national_document}")
    y = height - 160 * mm
    for line in lines:
        pdf.drawString(35 * mm, y, line)
        y -= 9 * mm

    size = 38 * mm
    renderPDF.draw(_qr(verify_url, size), pdf, width - 35 * mm - size, 40 * mm)
    pdf.setFont(font, 8)
    pdf.drawRightString(width - 35 * mm, 35 * mm, "扫码核验证书真伪")
    pdf.drawString(35 * mm, 35 * mm, verify_url)
    pdf.setFont(font, 16)
    pdf.drawString(35 * mm, 60 * mm, ISSUER)
    pdf.setFont(font, 12)
    pdf.drawString(35 * mm, 50 * mm, f"{certificate.issued_on:%Y年%m月%d日}")

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
