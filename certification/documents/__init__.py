"""Documents officials stamp and file: a city's 推荐汇总表, the 厅's 认定名单, a notice to print.

A document is data in Chinese whatever the language of the page that asked for it: its title,
headers, issuing body and date are the official text, as on the certificate (certification/pdf.py).
``Document`` holds what a document says; ``render`` writes it as a PDF (reportlab, with the
certificate's CJK font) or a workbook (gansu_sme.excel); the services in
``certification.services.documents`` decide what goes in, within the actor's region.
"""

import datetime
from dataclasses import dataclass

from gansu_sme.excel.columns import Column
from registry.choices import RegionLevel

# Official names of the issuing bodies: Chinese data, never translated.
PROVINCE_AUTHORITY = "甘肃省工业和信息化厅"
# 兰州新区 has no 工业和信息化局: its economic department speaks for it.
NEW_AREA_AUTHORITY = "兰州新区经济发展局"


def authority_of(region) -> str:
    """The department of industry that speaks for a prefecture unit (or the province)."""
    if region.level == RegionLevel.PROVINCE:
        return PROVINCE_AUTHORITY
    if not region.is_standard:
        return NEW_AREA_AUTHORITY
    return f"{region.name}工业和信息化局"


def region_label(region) -> str:
    """兰州市城关区 for a county, 兰州新区 for a prefecture unit without counties."""
    parent = region.parent
    if parent is not None and region.level == RegionLevel.COUNTY:
        return f"{parent.name}{region.name}"
    return region.name


def official_date(value: datetime.date) -> str:
    """A date as official documents print it (2026年12月7日): document text, not page chrome,
    so it stays Chinese whatever the page's language."""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class Document:
    """What a document says: title, lines under it, the table, the issuing body and date."""

    title: str
    # gansu_sme.excel Column specs: key, Chinese header, width (the PDF shares the page width
    # in the same proportions).
    columns: tuple[Column, ...]
    rows: list[dict]
    issuer: str
    dated: datetime.date
    lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    filename: str = "document"
    sheet_title: str = "名单"
