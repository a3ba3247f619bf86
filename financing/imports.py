"""Excel column spec of the financing-needs import (融资需求导入). Headers and labels are the
Chinese ones of the officials' workbooks: data, not interface text."""

from django.utils.translation import gettext_lazy as _

from financing.choices import NeedKind, Urgency
from gansu_sme.excel.columns import BOOL_CHOICES, Column, parse_decimal, parse_int
from registry.imports import NAME_FOR_CHECKING, USCC

KIND_LABELS = ((NeedKind.LOAN, "贷款"), (NeedKind.EQUITY, "股权融资"),
               (NeedKind.RECEIVABLES, "应收账款融资"), (NeedKind.GUARANTEE, "担保"))
URGENCY_LABELS = ((Urgency.NORMAL, "一般"), (Urgency.URGENT, "较急"),
                  (Urgency.CRITICAL, "紧急"))

NEED_COLUMNS = (
    USCC,
    NAME_FOR_CHECKING,
    Column("kind", "融资方式", choices=KIND_LABELS, required=True, width=14),
    Column("amount", "融资金额（万元）", parse=parse_decimal, required=True, width=14),
    Column("term_months", "期限（月）", parse=parse_int, required=True, width=10),
    Column("purpose", "资金用途", required=True, width=30),
    Column("collateral", "可提供抵质押物", width=24),
    Column("urgency", "紧急程度", choices=URGENCY_LABELS, required=True, width=10),
    Column("agreed_to_share", "同意向金融机构推送（是/否）", choices=BOOL_CHOICES,
           required=True, width=16),
)
TITLE = "融资需求"
NOTES = (
    _("Row 1 is the header: do not change, delete or reorder its columns. From row 2 on, one"
      " record per row; columns added on the right are not read."),
    _("Every cell of every row is checked first; nothing is written if there is any error."),
    _("Each row files a new need of the enterprise with that credit code, which must be in"
      " your region. Amounts are in 10,000 yuan."),
)
