"""Column specs shared by imports and exports, the cell parsers, and a parsed sheet's rows and
errors.

Each parser takes what the reader gives (str, float, int, bool, date, datetime or "" for an
empty cell) and returns a Python value, or raises CellInvalid with a code and a message.

A message is about one cell and never names its column: the report shows the row and the
column once, beside the message. Messages are translatable and rendered in every language of
the site when an error is stored, so the page and the error workbook read in the language of
whoever opens them, whenever that is; the code is what programs and tests rely on.
"""

import datetime
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

MSG_NUMBER = _("Must be a number.")
MSG_WHOLE_NUMBER = _("Must be a whole number.")
MSG_DATE = _("Dates must be written YYYY-MM-DD.")
# 是 and 否 are what the template's drop-down holds, in every language.
MSG_YES_NO = _("Must be “是” (yes) or “否” (no).")
MSG_CHOICE = _("Must be one of: %(choices)s.")
MSG_REQUIRED = _("Required.")


def render_message(message, params=None, language=None):
    """``message`` (lazy or plain) with its ``params`` filled in, in ``language`` if given."""
    with translation.override(language) if language else nullcontext():
        text = str(message)
        if params:
            try:
                text = text % params
            except (KeyError, TypeError, ValueError):
                pass  # a message that is not a template keeps its text
        return text


def rendered(message, params=None):
    """The message in each language of the site, keyed by language code."""
    return {code: render_message(message, params, code) for code, _name in settings.LANGUAGES}


def message_in(error, language=None):
    """The text of a stored error (a dict of ``CellError.as_dict``) in ``language`` (default:
    the active one); errors stored before messages were kept per language have one text."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    texts = error.get("messages") or {}
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
        if texts.get(code):
            return texts[code]
    return error.get("message", "")


@dataclass(frozen=True)
class CellError:
    """A problem in one cell (``column`` is a letter) or in a whole row (``column`` is "").

    ``code`` names the kind of problem (stable, for programs and tests); ``message`` is a
    translatable text, filled in with ``params``.
    """

    row: int
    column: str
    header: str
    value: object
    message: object
    code: str = "invalid"
    params: dict | None = None

    @property
    def text(self):
        """The message in the active language."""
        return render_message(self.message, self.params)

    def as_dict(self):
        value = self.value
        if isinstance(value, float):
            value = cell_text(value)  # as Excel shows it: -100, not -100.0
        elif value is not None and not isinstance(value, (str, int, bool)):
            value = str(value)
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "value": value,
            "code": self.code,
            "message": self.text,
            "messages": rendered(self.message, self.params),
        }


class CellInvalid(ValueError):
    """A cell's value cannot be used: ``code`` names why, ``message`` says it (translatable)."""

    def __init__(self, message, *, code="invalid", params=None):
        self.message = message
        self.code = code
        self.params = params
        super().__init__(code)


def cell_text(value):
    """A cell's value as text, as Excel shows it ("" when empty)."""
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps 15 significant digits; show the number as Excel shows it.
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    # A leading apostrophe before a formula character is how exports escape it; typing in
    # Excel never stores one, so it is removed and the workbook round-trips.
    if text[:1] == "'" and text[1:2] and text[1:2] in "=+-@":
        text = text[1:]
    return text


def parse_text(value):
    return cell_text(value)


def parse_as_read(value):
    """The cell's value as the reader gave it ("" when empty), for a service that parses it."""
    return value


def parse_code(value):
    """A code such as a credit code: spaces (also full-width) removed, upper case."""
    return "".join(cell_text(value).split()).upper()


def parse_decimal(value):
    if value.__class__ is float:
        # Excel stores doubles and means the 15 significant digits it displays; the shortest
        # representation is that already when it has no more than 15 characters.
        text = repr(value)
        if len(text) > 15:
            text = format(value, ".15g")
    elif isinstance(value, bool):
        raise CellInvalid(MSG_NUMBER, code="not_a_number")
    elif isinstance(value, int):
        return Decimal(value)
    else:
        text = cell_text(value).replace(",", "").replace("，", "")
        if text == "":
            return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellInvalid(MSG_NUMBER, code="not_a_number") from exc
    if not number.is_finite():
        raise CellInvalid(MSG_NUMBER, code="not_a_number")
    return number


def parse_int(value):
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellInvalid(MSG_WHOLE_NUMBER, code="not_a_whole_number")
    return int(number)


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()  # naive: openpyxl and calamine read cells without a time zone
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellInvalid(MSG_DATE, code="not_a_date")
    text = cell_text(value)
    if text == "":
        return None
    text = text.replace("/", "-").replace(".", "-")
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        pass
    raise CellInvalid(MSG_DATE, code="not_a_date")


_TRUE = frozenset({"是", "有", "y", "yes", "true", "1"})
_FALSE = frozenset({"否", "无", "n", "no", "false", "0"})


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellInvalid(MSG_YES_NO, code="not_yes_no")


BOOL_CHOICES = ((True, "是"), (False, "否"))


@dataclass(frozen=True)
class Column:
    """One column of an import template or an export, shared by both directions.

    ``choices`` are (value, label) pairs of a closed list: the template offers the labels as a
    drop-down, an upload accepts a label or the stored value, an export shows the label.
    ``list_name`` names a longer list that the template keeps on a hidden sheet (regions,
    industries); the caller supplies its entries. ``imported`` is False for a column shown for
    the reader's sake only, such as an enterprise name beside its credit code.
    """

    key: str
    header: str  # Chinese header with the unit, e.g. "营业收入（万元）"
    parse: Callable = parse_text
    required: bool = False
    choices: tuple = ()
    list_name: str = ""
    width: int = 16
    note: str = ""
    imported: bool = True
    text_format: bool = False  # keep typed digits as text (codes, phone numbers)

    def __post_init__(self):
        lookup = {}
        for value, label in self.choices:
            lookup[label] = value
            lookup[str(value)] = value
        object.__setattr__(self, "_lookup", lookup)
        # The function that turns a raw cell into a value; the parser itself when there is
        # nothing more to check, which matters at hundreds of thousands of cells per upload.
        plain = not self.choices and not self.required
        object.__setattr__(self, "reader", self.parse if plain else self.read)

    @property
    def labels(self):
        return [label for _, label in self.choices]

    def label_of(self, value):
        for choice, label in self.choices:
            if choice == value:
                return label
        return value

    def read(self, raw):
        if not self.choices:
            value = self.parse(raw)
        elif raw.__class__ is str and raw in self._lookup:
            # A label or value exactly as the drop-down writes it needs no reading as text.
            value = self._lookup[raw]
        else:
            text = cell_text(raw)
            if text == "":
                value = None
            elif text in self._lookup:
                value = self._lookup[text]
            elif isinstance(raw, bool) and raw in self._lookup.values():
                value = raw
            else:
                raise CellInvalid(
                    MSG_CHOICE, code="not_in_list", params={"choices": "、".join(self.labels)}
                )
        if self.required and (value is None or value == ""):
            raise CellInvalid(MSG_REQUIRED, code="required")
        return value


@dataclass
class Sheet:
    """Parsed rows of an upload: ``rows`` maps the spreadsheet's row number to the values by
    column key, ``raw`` to the cells as read; ``errors`` lists every problem found."""

    rows: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    def error(self, row, index, header, value, message, code="invalid", params=None):
        """Record a problem at ``row`` and zero-based column ``index`` (None: the whole row)."""
        letter = get_column_letter(index + 1) if index is not None else ""
        self.errors.append(CellError(row, letter, header, value, message, code, params))
