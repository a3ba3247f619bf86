"""Columns of the HTML enterprise list and the sort links of their headers."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from registry.models import Enterprise


@dataclass(frozen=True)
class Column:
    label: str
    # The EnterpriseFilterSet ``ordering`` value that sorts by this column; None if unsortable.
    order_by: str | None = None


@dataclass(frozen=True)
class Header:
    label: str
    order_by: str | None
    # "asc" or "desc" when the list is sorted by this column, else None.
    direction: str | None
    # The ``ordering`` value a click on the header asks for.
    next_ordering: str | None


def _label(name):
    return Enterprise._meta.get_field(name).verbose_name


ENTERPRISE_COLUMNS = (
    Column(_label("uscc"), "uscc"),
    Column(_label("name"), "name"),
    Column(_label("region")),
    Column(_label("industry")),
    Column(_label("founded_on"), "founded_on"),
    Column(_("Status")),
    Column(_label("updated_at"), "updated_at"),
)

# What the list shows with no ``ordering`` parameter: Enterprise.Meta.ordering.
DEFAULT_ORDERING = "name"


def sort_headers(columns, ordering):
    """Headers for ``columns`` with the list sorted by ``ordering`` (e.g. "-name").

    A click on the sorted column reverses it; a click on another column sorts it ascending.
    """
    current = (ordering or DEFAULT_ORDERING).split(",")[0]
    field = current.removeprefix("-")
    headers = []
    for column in columns:
        direction = None
        next_ordering = column.order_by
        if column.order_by is not None and column.order_by == field:
            direction = "desc" if current.startswith("-") else "asc"
            next_ordering = column.order_by if direction == "desc" else f"-{column.order_by}"
        headers.append(Header(column.label, column.order_by, direction, next_ordering))
    return headers


@dataclass(frozen=True)
class Field:
    label: str
    value: object


# Fields of the detail page, in the order of the paper registration form.
ENTERPRISE_DETAIL_FIELDS = (
    "uscc",
    "name",
    "legal_representative",
    "founded_on",
    "region",
    "industry",
    "main_products",
    "niche_market",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "created_by",
    "created_at",
    "updated_at",
)


def detail_fields(enterprise):
    """Label and value of each shown field; the template formats dates for the language."""
    return [
        Field(_label(name), getattr(enterprise, name)) for name in ENTERPRISE_DETAIL_FIELDS
    ]
