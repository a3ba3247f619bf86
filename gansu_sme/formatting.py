"""The one way figures and dates read on a page: amounts, 万元 figures, percentages, dates.

Pure functions over a value, used by the ``figures`` template library, list columns, charts and
reports alike, so that a figure reads the same wherever it appears:

- an amount (yuan, or a figure already in 万元) has two decimals and thousands separators
  (``300,000.00``) in every language, as Chinese finance forms print it; halves round up (四舍五入);
- a percentage has one decimal (``4.6%``);
- a date, a month and a moment follow the active language's own formats (Django's locale
  formats): ``2026年1月5日``, ``2026年1月``, ``2026年1月5日 20:45`` in Chinese, ``Jan. 5, 2026``,
  ``January 2026`` in English.

An empty value (None or "") gives "" so that a template's ``|default:"—"`` applies.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import get_language

EMPTY = ""
TEN_THOUSAND = Decimal(10_000)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # The float's shortest repr, not its binary expansion (0.1 stays 0.1).
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def number(value, places: int = 0) -> str:
    """``value`` rounded half up to ``places`` decimals, with thousands separators."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:,.{places}f}"


def yuan(value) -> str:
    """An amount in yuan: ``300,000.00``."""
    return number(value, 2)


def wanyuan(value) -> str:
    """A figure already in 万元 (statistics forms keep money so): ``34,579.12``."""
    return number(value, 2)


def yuan_in_wanyuan(value) -> str:
    """An amount in yuan shown in 万元: 300000 → ``30.00``."""
    amount = _decimal(value)
    return EMPTY if amount is None else number(amount / TEN_THOUSAND, 2)


def percent(ratio) -> str:
    """A ratio as a percentage with one decimal: 0.045779 → ``4.6%``."""
    value = _decimal(ratio)
    return EMPTY if value is None else f"{number(value * 100, 1)}%"


def percent_points(value) -> str:
    """A figure already in percent with one decimal: 45.779 → ``45.8%``."""
    value = _decimal(value)
    return EMPTY if value is None else f"{number(value, 1)}%"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value) -> str:
    """A date (or the local date of a moment): ``2026年1月5日`` / ``Jan. 5, 2026``."""
    if not value:
        return EMPTY
    return formats.date_format(_local(value), "DATE_FORMAT")


def month(value, month_number: int | None = None) -> str:
    """A month, from a date or from a year and a month: ``2026年1月`` / ``January 2026``."""
    if value in (None, ""):
        return EMPTY
    if month_number is not None:
        value = datetime.date(int(value), int(month_number), 1)
    return formats.date_format(_local(value), "YEAR_MONTH_FORMAT")


def moment(value) -> str:
    """A point in time, in local time to the minute: ``2026年1月5日 20:45``."""
    if not value:
        return EMPTY
    if not isinstance(value, datetime.datetime):
        return day(value)
    return formats.date_format(_local(value), "DATETIME_FORMAT")


def is_chinese() -> bool:
    """Whether the active language is Chinese."""
    return (get_language() or "").startswith("zh")


def in_language(chinese, english):
    """Text kept in both languages as data (a rule's title, a stored reason): the Chinese on a
    Chinese page, the English, where there is one, on any other."""
    return chinese if is_chinese() or not english else english
