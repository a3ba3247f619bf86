"""The figures of a monitoring report as the statistics form names them, with units and parsing.

One table serves the services (validation), the data-quality rules (messages), the forms and
tables (labels with units) and the Excel import (Chinese headers). The Chinese indicator names
and units are those of the paper form (指标名称、计量单位) and stay Chinese in every language;
the English names are the model fields' verbose names.
"""

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from math import copysign

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

MONEY = "money"  # 万元, two decimals; may not be negative
SIGNED_MONEY = "signed_money"  # 万元, two decimals; a loss is negative
QUANTITY = "quantity"  # 亩 or 吨标准煤, two decimals; may not be negative
PERCENT = "percent"  # 0–100 with two decimals
COUNT = "count"  # persons, items, incidents
FLAG = "flag"  # yes / no

# A PositiveIntegerField holds at most this on PostgreSQL.
MAX_COUNT = 2_147_483_647
NOISE = Decimal("1e-9")
TRUE_WORDS = frozenset({"是", "有", "true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"否", "无", "false", "no", "n", "0"})
# The words as written, for the fast path; others (spaces, capitals) take the general one.
FLAG_WORDS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


class FigureError(ValueError):
    """A value that cannot be stored in a figure: why (translatable) and a stable ``code``."""

    def __init__(self, message, code):
        self.message = message
        self.code = code
        super().__init__(str(message))


TOO_LARGE = _("The number is too large.")
NOT_A_NUMBER = _("Must be a number.")
NOT_A_COUNT = _("Must be a whole number, 0 or more.")


@dataclass(frozen=True)
class Figure:
    name: str
    zh: str
    unit: str
    kind: str

    @cached_property
    def field(self):
        from registry.models import MonitoringReport

        return MonitoringReport._meta.get_field(self.name)

    @property
    def zh_label(self):
        """The column header of the Chinese form, e.g. 营业收入（万元）."""
        return f"{self.zh}（{self.unit}）" if self.unit else self.zh

    @cached_property
    def en_label(self):
        with translation.override("en"):
            return capfirst(str(self.field.verbose_name))

    @property
    def label(self):
        """The label in the language of the request: Chinese names the form's own indicator."""
        language = translation.get_language() or ""
        return self.zh_label if language.startswith("zh") else self.en_label

    def parse(self, value):
        """The value as stored, or None when empty; raises FigureError when it cannot be."""
        return self.parser(value)

    @cached_property
    def parser(self):
        """``parse`` as a function of the value alone, with fast paths for the common types.

        Services parsing thousands of figures call it directly: the same rules as the general
        path, which every value that is not plainly valid falls through to.
        """
        general = self._parse
        if self.kind == FLAG:

            def parse_flag(value, words=FLAG_WORDS):
                if value.__class__ is bool or value is None:
                    return value
                if value.__class__ is str and (found := words.get(value)) is not None:
                    return found
                return general(value)

            return parse_flag
        if self.kind == COUNT:

            def parse_count(value, top=MAX_COUNT):
                cls = value.__class__
                if cls is int and 0 <= value <= top:
                    return value
                if cls is float and 0 <= value <= top and value.is_integer():
                    # Spreadsheet readers hand over whole numbers as floats.
                    return int(value)
                if value is None:
                    return None
                return general(value)

            return parse_count
        places = self.field.decimal_places
        scale = 10**places
        quantum, zero = self._quantum, Decimal(0).scaleb(-places)
        negative_zero = zero.copy_negate()
        # The allowed values in units of the last decimal place: the limit is excluded.
        high = int(self._limit) * scale - 1
        if self.kind == PERCENT:
            high = min(high, 100 * scale)
        low = -high if self.kind == SIGNED_MONEY else 0

        def parse_decimal(value):
            cls = value.__class__
            if cls is float and -1e12 < value < 1e12:
                # Below 10¹² a float is within 0.001 of one number with two decimals at most,
                # so it is that number exactly when scaling back gives the same float: the
                # number its shortest repr (what the general path reads) spells.
                units = round(value * scale)
                if units / scale == value and low <= units <= high:
                    if units:
                        return Decimal(units).scaleb(-places)
                    return negative_zero if copysign(1.0, value) < 0 else zero
            elif cls is int and low <= value * scale <= high:
                return Decimal(value).quantize(quantum)
            elif cls is Decimal and value.is_finite() and low <= value * scale <= high:
                rounded = value.quantize(quantum)
                if rounded == value:
                    return rounded
            elif value is None:
                return None
            return general(value)

        return parse_decimal

    def _parse(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.kind == FLAG:
            return _parse_flag(value)
        if self.kind == COUNT:
            return _parse_count(value)
        return self._parse_decimal(value)

    @cached_property
    def _quantum(self):
        return Decimal(1).scaleb(-self.field.decimal_places)

    @cached_property
    def _limit(self):
        return Decimal(10) ** (self.field.max_digits - self.field.decimal_places)

    def _parse_decimal(self, value):
        places = self.field.decimal_places
        number = _to_decimal(value)
        try:
            rounded = number.quantize(self._quantum)
        except InvalidOperation:
            # More digits than the decimal context holds: far beyond any column.
            raise FigureError(TOO_LARGE, "too_large") from None
        # Spreadsheets hand over binary floats (0.1 + 0.2 is 0.30000000000000004); a value
        # within rounding noise of a number with the allowed decimals is that number.
        if rounded != number and not (isinstance(value, float) and abs(rounded - number) < NOISE):
            raise FigureError(
                _("At most %(places)s decimal places.") % {"places": places}, "too_many_decimals"
            )
        if abs(rounded) >= self._limit:
            raise FigureError(TOO_LARGE, "too_large")
        if self.kind == PERCENT and not 0 <= rounded <= 100:
            raise FigureError(_("Must be between 0 and 100."), "not_a_percentage")
        if self.kind in (MONEY, QUANTITY) and rounded < 0:
            raise FigureError(_("Must not be negative."), "negative")
        return rounded


def _to_decimal(value):
    if type(value) is Decimal:
        number = value
    elif isinstance(value, bool):
        raise FigureError(NOT_A_NUMBER, "not_a_number")
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    else:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise FigureError(NOT_A_NUMBER, "not_a_number") from None
    if not number.is_finite():
        raise FigureError(NOT_A_NUMBER, "not_a_number")
    return number


def _parse_count(value):
    if isinstance(value, bool):
        raise FigureError(NOT_A_COUNT, "not_a_count")
    if isinstance(value, int):
        number = value
    else:
        try:
            decimal = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise FigureError(NOT_A_COUNT, "not_a_count") from None
        if not decimal.is_finite() or decimal != decimal.to_integral_value():
            raise FigureError(NOT_A_COUNT, "not_a_count")
        number = int(decimal)
    if number < 0:
        raise FigureError(NOT_A_COUNT, "not_a_count")
    if number > MAX_COUNT:
        raise FigureError(TOO_LARGE, "too_large")
    return number


def _parse_flag(value):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FigureError(_("Must be “yes” or “no”."), "not_yes_no")


FIGURES = (
    Figure("operating_revenue", "营业收入", "万元", MONEY),
    Figure("main_business_revenue", "主营业务收入", "万元", MONEY),
    Figure("output_value", "工业总产值", "万元", MONEY),
    Figure("taxes", "实缴税金", "万元", MONEY),
    Figure("total_profit", "利润总额", "万元", SIGNED_MONEY),
    Figure("net_profit", "净利润", "万元", SIGNED_MONEY),
    Figure("total_assets", "资产总额", "万元", MONEY),
    Figure("total_liabilities", "负债总额", "万元", MONEY),
    Figure("employees", "从业人员", "人", COUNT),
    Figure("rd_staff", "研发人员", "人", COUNT),
    Figure("rd_expense", "研发费用", "万元", MONEY),
    Figure("patents_class1", "Ⅰ类知识产权", "件", COUNT),
    Figure("patents_class2", "Ⅱ类知识产权", "件", COUNT),
    Figure("land_area", "用地面积", "亩", QUANTITY),
    Figure("energy_consumption", "综合能耗", "吨标准煤", QUANTITY),
    Figure("export_value", "出口额", "万元", MONEY),
    Figure("safety_incidents", "重大安全事故", "起", COUNT),
    Figure("quality_incidents", "重大质量事故", "起", COUNT),
    Figure("environmental_incidents", "重大环境事件", "起", COUNT),
    Figure("uses_digital_rd_tools", "使用数字化研发设计工具", "", FLAG),
    Figure("cnc_ratio", "关键工序数控化率", "%", PERCENT),
    Figure("uses_cloud", "上云", "", FLAG),
    Figure("uses_ecommerce", "开展电子商务", "", FLAG),
)
FIGURES_BY_NAME = {figure.name: figure for figure in FIGURES}
FIGURE_NAMES = tuple(FIGURES_BY_NAME)
