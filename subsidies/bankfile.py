"""The columns of the bank's batch transfer file (银行批量代发), once, for the file and its preview.

The order is the one of the usual 批量代发 import template of the banks' corporate online banking
(序号, 收款账号, 收款户名, 收款开户行, 金额, 用途), with the payee's credit code after them where
those templates keep a remark column, so that a treasurer can paste the rows into the bank's
template as they are. Headers and the totals row are official Chinese data, the same whatever
the language of the page (the issue's rule for bank files).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from subsidies.models import BatchItem, masked

TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class BankColumn:
    header: str
    width: int
    # "number" (the row's number), "text" or "money" (yuan with two decimals).
    kind: str
    value: Callable[[BatchItem], Any]
    # An account number: shown masked to whoever is not a finance officer.
    sensitive: bool = False


def _account(item, field):
    return getattr(item.account, field) if item.account is not None else ""


BANK_COLUMNS = (
    BankColumn("序号", 6, "number", lambda item: None),
    BankColumn("收款账号", 26, "text", lambda item: _account(item, "account_number"),
               sensitive=True),
    BankColumn("收款户名", 36, "text", lambda item: _account(item, "account_name")),
    BankColumn("收款开户行", 36, "text", lambda item: _account(item, "bank_name")),
    BankColumn("金额（元）", 16, "money", lambda item: item.amount),
    BankColumn("用途", 44, "text", lambda item: item.entitlement.purpose),
    BankColumn("统一社会信用代码", 22, "text", lambda item: item.entitlement.payee_code),
)
AMOUNT_COLUMN = next(i for i, c in enumerate(BANK_COLUMNS) if c.kind == "money")


def bank_rows(items, *, mask: bool = False) -> list[list[Any]]:
    """Each item as the cells of its row, numbered from 1; account numbers masked if asked."""
    rows = []
    for number, item in enumerate(items, start=1):
        row = []
        for column in BANK_COLUMNS:
            value = number if column.kind == "number" else column.value(item)
            if column.sensitive and mask:
                value = masked(value)
            row.append(value)
        rows.append(row)
    return rows


def total_row(items, title: str) -> tuple[list[Any], Decimal]:
    """The 合计 row (label, count of payments, the total, the batch) and the total itself."""
    total = sum((item.amount for item in items), Decimal("0.00"))
    row: list[Any] = [""] * len(BANK_COLUMNS)
    row[0] = TOTAL_LABEL
    row[1] = f"{len(items)} 笔"
    row[AMOUNT_COLUMN] = total
    row[AMOUNT_COLUMN + 1] = f"批次：{title}"
    return row, total
