"""The object-list page every list is built on, and the one column spec behind it.

A list is a selector (the rows in the user's scope), a FilterSet (shared with the API), a table
(django-tables2, as NetBox uses it: one class renders the header, the cells and the Excel
export, so the three cannot drift apart) and a template. ``ObjectListView`` filters, orders
stably, pages by keyset cursor (first / previous / next / last, no page numbers to count) with
a bounded count, answers htmx with the results partial only and says so in ``Vary``; the same
view with ``export=True`` streams every filtered row into a workbook and logs the download.
Money columns are totalled over every filtered row, on the page and in the export.
"""

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import django_tables2 as tables
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, QuerySet, Sum
from django.http import FileResponse
from django.shortcuts import render
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext
from django.views import View
from django_tables2.rows import BoundRow
from django_tables2.utils import AttributeDict, computed_values

from gansu_sme import formatting
from gansu_sme.excel import XLSX_CONTENT_TYPE
from gansu_sme.excel.columns import Column as SheetColumn
from gansu_sme.excel.writer import write_rows
from gansu_sme.keyset import reversed_order, seek
from gansu_sme.views import AllowedMixin
from oplog import services as oplog
from oplog.choices import Kind

PAGE_SIZE = 50
# Lists count their rows exactly up to this many; past it they say "more than" or "about".
COUNT_LIMIT = 10_000
# The query parameter that names a page, and its value for the last page.
CURSOR_PARAM = "cursor"
LAST_PAGE = "last"
# Rows fetched per round trip of the server-side cursor of an export.
EXPORT_CHUNK_ROWS = 2_000
# Parameters that choose a page or an order of the list rather than its rows ("page" in the
# links of bookmarks made before pages had cursors).
NOT_FILTERS = frozenset({CURSOR_PARAM, "page"})
# Exports carry Chinese headers and labels whatever the page's language, as the printed forms do.
EXPORT_LANGUAGE = "zh-hans"
TOTAL_LABEL = "合计"


class TemplateColumn(tables.TemplateColumn):
    """django-tables2's TemplateColumn with its template code compiled once per column rather
    than once per cell: compiling was most of a list page's time (about a second for 300
    cells), whatever the rows."""

    @cached_property
    def compiled(self) -> Template:
        return Template(self.template_code)

    def render(self, record, table, value, bound_column, **kwargs):
        if not self.template_code:
            return super().render(record, table, value, bound_column, **kwargs)
        parent_context = getattr(table, "context", Context())
        context = self.get_context_data(
            record=record, table=table, value=value, bound_column=bound_column, **kwargs
        )
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return self.compiled.render(parent_context)


class MoneyColumn(tables.Column):
    """An amount (in yuan, or a figure in 万元 as the header says): right-aligned, two decimals
    with separators (``gansu_sme.formatting``); the list totals it."""

    def __init__(self, *args, attrs=None, **kwargs):
        attrs = attrs or {}
        for part in ("th", "td", "tf"):
            attrs.setdefault(part, {"class": "num"})
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return formatting.number(value, 2)

    def value(self, value):
        # The export writes the number itself; the sheet formats it.
        return value


class DayColumn(tables.Column):
    """A date (or a moment's local date) in the page's language: 2026年1月5日."""

    def render(self, value):
        return formatting.day(value)

    def value(self, value):
        return value


class MomentColumn(tables.Column):
    """A moment in local time to the minute, in the page's language: 2026年1月5日 20:45."""

    def render(self, value):
        return formatting.moment(value)

    def value(self, value):
        return value


def sums(rows, *names):
    """{name: the total of attribute ``name`` over ``rows``}: the totals row of a table written
    by hand (a page's small summary table rather than a list)."""
    rows = list(rows)
    return {name: sum((getattr(row, name) or 0 for row in rows), 0) for name in names}


class Header:
    """A column header and the ``ordering`` value a click on it asks for."""

    def __init__(self, column, current):
        self.column = column
        self.label = column.header
        self.order_by = column.order_by[0].bare if column.orderable else None
        self.direction = None
        self.next_ordering = self.order_by
        field = current.removeprefix("-")
        if self.order_by is not None and self.order_by == field:
            self.direction = "desc" if current.startswith("-") else "asc"
            self.next_ordering = self.order_by if self.direction == "desc" else f"-{self.order_by}"


class Table(tables.Table):
    """The column spec of one list: page columns, export columns, money columns.

    Sorting goes through the FilterSet's ``ordering`` filter (the API sorts the same way): a
    column is sortable when it says ``orderable=True, order_by="<ordering value>"``.
    The export has the page's columns (each cell's ``value``), unless ``export_specs`` name an
    import template's columns (``gansu_sme.excel.columns.Column``), so that an exported list
    uploads again: each spec's cell is then the table's ``value_<key>(record)`` if it has one,
    else the record's ``key`` (a ``__`` path), shown by its choice label.
    """

    export_specs: tuple = ()
    # The ``ordering`` the list has when the request names none (for the sorted header).
    default_sort = ""
    # Whether the export ends with a row of totals; not for exports that upload again.
    export_totals = True

    class Meta:
        orderable = False
        attrs = {"class": "data-table"}
        template_name = "partials/table.html"

    def __init__(self, data, *args, totals=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.totals = totals

    @classmethod
    def money_columns(cls):
        return {
            name: column.accessor or name
            for name, column in cls.base_columns.items()
            if isinstance(column, MoneyColumn)
        }

    @property
    def headers(self):
        current = (self.request.GET.get("ordering") if self.request else "") or self.default_sort
        return [Header(column, current.split(",")[0]) for column in self.columns]

    @property
    def body(self):
        """(row, its attributes) for each row: ``Meta.row_attrs`` without tables2's even/odd
        classes, which the stylesheet does not use."""
        for row in self.rows:
            attrs = computed_values(self.row_attrs, kwargs={"table": self, "record": row.record})
            yield row, AttributeDict(attrs).as_html()

    @property
    def footer_cells(self):
        """The totals row: a label in the first column, each money column's sum."""
        cells = []
        for index, column in enumerate(self.columns):
            if column.name in self.totals:
                cells.append((column, formatting.number(self.totals[column.name] or 0, 2)))
            else:
                cells.append((column, _("Total") if index == 0 else ""))
        return cells

    def export_columns(self):
        """(name, header, width) of each column of the export, in order."""
        if self.export_specs:
            return [(spec.key, spec.header, spec.width) for spec in self.export_specs]
        return [
            (column.name, str(column.header), 16)
            for column in self.columns.iterall()
            if not column.column.exclude_from_export
        ]

    def _spec_value(self, record, spec):
        method = getattr(self, f"value_{spec.key}", None)
        if method is not None:
            return method(record)
        value = tables.A(spec.key).resolve(record, quiet=True)
        return spec.label_of(value) if spec.choices else value

    def export_row(self, record):
        if self.export_specs:
            return {spec.key: self._spec_value(record, spec) for spec in self.export_specs}
        row = BoundRow(record, table=self)
        return {name: row.get_cell_value(name) for name, _h, _w in self.export_columns()}

    def _spec_getter(self, spec):
        """A function of a record giving ``spec``'s cell, as ``_spec_value`` does, with the
        method, the attribute path and the labels looked up once per export, not per cell."""
        method = getattr(self, f"value_{spec.key}", None)
        if method is not None:
            return method
        if "__" in spec.key or "." in spec.key:
            return lambda record: self._spec_value(record, spec)
        key = spec.key
        labels = dict(spec.choices)

        def get(record):
            # As an accessor resolves it: a key of a dict row, else an attribute.
            if isinstance(record, dict):
                value = record.get(key)
            else:
                value = getattr(record, key, None)
            if callable(value):
                value = value()
            return labels.get(value, value) if labels else value

        return get

    def export_rows(self, records: Iterable):
        """Each record as {column name: value}, then the totals row if the table has one."""
        names = [name for name, _header, _width in self.export_columns()]
        money = self.money_columns() if self.export_totals else {}
        sums = dict.fromkeys(money, 0)
        if self.export_specs:
            getters = [(spec.key, self._spec_getter(spec)) for spec in self.export_specs]

            def export_row(record):
                return {key: get(record) for key, get in getters}
        else:
            export_row = self.export_row
        for record in records:
            values = export_row(record)
            for name in sums:
                sums[name] += values.get(name) or 0
            yield values
        if money:
            yield {names[0]: TOTAL_LABEL, **sums}


def write_table(table, records, *, title):
    """The export of ``table`` over ``records`` as (temporary xlsx file, data row count)."""
    with translation.override(EXPORT_LANGUAGE):
        # The headers too: a column's header is read as text here, in the export's language.
        columns = [SheetColumn(name, header, width=width)
                   for name, header, width in table.export_columns()]
        workbook, count = write_rows(columns, table.export_rows(records), title=title)
    if table.money_columns() and table.export_totals and count:
        count -= 1
    return workbook, count


@dataclass(frozen=True)
class RowCount:
    """How many rows a list holds: ``exact`` when counted to the end, else ``at_least`` (the
    cap the count stopped at) and the planner's ``estimate``."""

    exact: int | None = None
    at_least: int = 0
    estimate: int = 0

    @property
    def label(self):
        if self.exact is not None:
            return npgettext("list count", "%(n)s row", "%(n)s rows", self.exact) % {
                "n": formatting.number(self.exact, 0)
            }
        if self.estimate > self.at_least:
            # Rounded to three figures: the planner's number is no more precise than that.
            about = round(self.estimate, 3 - len(str(self.estimate)))
            return _("About %(n)s rows") % {"n": formatting.number(about, 0)}
        return _("More than %(n)s rows") % {"n": formatting.number(self.at_least, 0)}


def count_rows(rows):
    """The count of ``rows`` if there are at most ``COUNT_LIMIT``, else the planner's estimate:
    a list of a million rows costs the same to label as a list of ten thousand."""
    capped = rows.order_by()[:COUNT_LIMIT + 1].count()
    if capped <= COUNT_LIMIT:
        return RowCount(exact=capped)
    plan = json.loads(rows.order_by().explain(format="json"))
    return RowCount(at_least=COUNT_LIMIT, estimate=int(plan[0]["Plan"]["Plan Rows"]))


@dataclass
class Page:
    """One page of a list and the cursors of its neighbours (None where there is none).

    ``number`` is the page's position counted from the first page, None when the person
    jumped to the last page and stepped back from there.
    """

    object_list: list
    count: RowCount
    number: int | None = 1
    previous_cursor: str | None = None
    next_cursor: str | None = None
    is_last: bool = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self):
        return self.previous_cursor is not None

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next


def encode_cursor(**cursor):
    text = json.dumps(cursor, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The cursor's fields, or {} (the first page) for none or one this list did not hand out."""
    if not cursor:
        return {}
    if cursor == LAST_PAGE:
        return {"last": True}
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _value(row, field):
    """The value of ordering ``field`` (a ``__`` path or an annotation) on ``row``, as text."""
    value = row
    for part in field.removeprefix("-").split("__"):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    # str() keeps microseconds and the UTC offset of timestamps; the ORM parses it back.
    return str(value.pk if isinstance(value, Model) else value)


def paginate(rows, cursor, size, count):
    """The page of ``rows`` that ``cursor`` names (the first page for none).

    Rows in a queryset ordered by columns are paged by keyset: the cursor holds the ordering
    values of the row before (or after) the page, and the page is what lies strictly beyond it,
    so the thousandth page costs one index seek like the first and no row is repeated or
    skipped when sort values tie. Other rows (a computed list, a union, an order by
    expression) are paged by position.
    """
    asked = decode_cursor(cursor)
    if isinstance(rows, QuerySet) and not rows.query.combinator:
        order = list(rows.query.order_by)
        if all(isinstance(field, str) for field in order):
            return _keyset_page(rows, order, asked, size, count)
    start = asked.get("start")
    start = start if isinstance(start, int) and start > 0 else 0
    if asked.get("last") and count.exact is not None:
        start = max(count.exact - 1, 0) // size * size
    fetched = list(rows[start:start + size + 1])
    return Page(
        fetched[:size], count, number=start // size + 1,
        previous_cursor=(encode_cursor(start=max(start - size, 0)) if start else None),
        next_cursor=encode_cursor(start=start + size) if len(fetched) > size else None,
        is_last=len(fetched) <= size,
    )


def _keyset_page(rows, order, asked, size, count):
    values = asked.get("after") if asked.get("order") == order else None
    backward = bool(asked.get("back") and values is not None) or bool(asked.get("last"))
    number = asked.get("number") if isinstance(asked.get("number"), int) else None
    ordering = reversed_order(order) if backward else tuple(order)
    queryset = rows.order_by(*ordering)
    if isinstance(values, list) and len(values) == len(order):
        try:
            queryset = seek(queryset, ordering, values)
        except (TypeError, ValueError, ValidationError):
            # A cursor whose values do not fit the columns (edited by hand): the first page.
            values, backward, number, queryset = None, False, 1, rows
    else:
        values = None
        number = None if backward else 1
    fetched = list(queryset[:size + 1])
    more = len(fetched) > size
    fetched = fetched[:size]
    if backward:
        fetched.reverse()
        has_previous, has_next = more, values is not None
        if not more:
            number = 1
        elif number is not None:
            number -= 1
    else:
        has_previous, has_next = values is not None, more
        if values is not None and number is not None:
            number += 1

    def cursor(row, back):
        return encode_cursor(
            order=order, after=[_value(row, field) for field in order], back=back,
            number=number,
        )

    return Page(
        fetched, count, number=number,
        previous_cursor=cursor(fetched[0], True) if has_previous and fetched else None,
        next_cursor=cursor(fetched[-1], False) if has_next and fetched else None,
        is_last=not has_next,
    )


class ObjectListView(AllowedMixin, View):
    """A list page: filter, stable order, page, htmx partial, ``Vary``; and its Excel export.

    Subclasses name ``table_class``, ``template_name``, usually ``filterset_class`` and
    ``partial_template_name``, and define ``get_queryset`` (the selector) and ``allowed``.
    """

    # None for a list shown as a feed rather than a table: the template walks ``page``.
    table_class: type[Table] | None
    filterset_class = None
    template_name: str
    # The results alone, which htmx swaps in; None when the page has no htmx filter.
    partial_template_name = None
    # The order when the request names none; the queryset's own (else the model's) if empty.
    default_ordering: tuple = ()
    paginate_by = PAGE_SIZE
    # What the table says when no row matches; the table's own if None.
    empty_text = None
    # Set on the export URL's view: ``ListView.as_view(export=True)``.
    export = False
    # The key and the sheet title of the export, and how it is logged:
    # ``log_export = staticmethod(f)`` with f(*, actor, listing, filters, row_count).
    export_listing = ""
    export_title = ""
    log_export: Callable | None = None

    def get_queryset(self):
        raise NotImplementedError

    def get_context_data(self, **context):
        return context

    def filtered(self):
        """(FilterSet or None, the rows it selects in a stable order).

        A page whose rows are not a queryset (a computed summary) overrides this.
        """
        rows = self.get_queryset()
        filterset = None
        asked = ()
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.request.GET, queryset=rows, request=self.request
            )
            rows = filterset.qs
            if "ordering" in filterset.filters and self.request.GET.get("ordering"):
                asked = rows.query.order_by
        order = list(
            asked or self.default_ordering or rows.query.order_by or rows.model._meta.ordering
        )
        # A unique last key keeps rows from moving between pages when sort values tie; going
        # the way the last key goes, it lets one index serve the order and the page's seek.
        if not {"pk", "-pk"} & set(order):
            last = order[-1] if order else ""
            order.append("-pk" if isinstance(last, str) and last.startswith("-") else "pk")
        return filterset, rows.order_by(*order)

    def counted(self, rows):
        """How many rows there are (a ``RowCount``) and the sums of the money columns.

        A list with money columns sums every filtered row, and counts them exactly in the same
        query; that query reads every row, so its cost grows with the rows the filters keep.
        Other lists count at most ``COUNT_LIMIT`` rows and, past that, ask the planner.
        """
        money = self.table_class.money_columns() if self.table_class else {}
        if not isinstance(rows, QuerySet):
            rows = list(rows)
            return RowCount(exact=len(rows)), {
                name: sum(tables.A(accessor).resolve(row, quiet=True) or 0 for row in rows)
                for name, accessor in money.items()
            }
        if not money:
            return count_rows(rows), {}
        # Aliases unlike the columns' names: a sum named as the annotation it sums (a batch's
        # total) would hide that annotation from the query.
        sums = rows.order_by().aggregate(
            _count=Count("pk"),
            **{f"{name}__total": Sum(accessor.replace(".", "__"))
               for name, accessor in money.items()},
        )
        count = RowCount(exact=sums.pop("_count"))
        return count, {name: sums[f"{name}__total"] for name in money}

    def page_rows(self, rows):
        """The rows of one page as the table shows them (a page of dicts can be described)."""
        return rows

    def get(self, request, *args, **kwargs):
        if self.export:
            return self.export_response()
        filterset, rows = self.filtered()
        count, totals = self.counted(rows)
        page = paginate(rows, request.GET.get(CURSOR_PARAM), self.paginate_by, count)
        page.object_list = list(self.page_rows(page.object_list))
        table = None
        if self.table_class is not None:
            table = self.table_class(
                page.object_list, request=request, totals=totals, empty_text=self.empty_text,
            )
        context = self.get_context_data(filter=filterset, page=page, table=table)
        template = self.template_name
        # htmx swaps only the results; a history restore after a reload needs the whole page.
        if (
            self.partial_template_name
            and request.htmx
            and not request.htmx.history_restore_request
        ):
            template = self.partial_template_name
        response = render(request, template, context, status=self.status(context))
        patch_vary_headers(response, ("HX-Request",))
        return response

    def status(self, context):
        return 200

    def export_response(self):
        filterset, rows = self.filtered()
        if filterset is not None and not filterset.is_valid():
            # The page shows a refused filter on its form and lists rows without it; a file
            # must never hold rows the person did not ask for, so the export is refused.
            fields = filterset.form.fields
            refused = "; ".join(
                f"{fields[name].label}: {' '.join(errors)}" if name in fields else " ".join(errors)
                for name, errors in filterset.errors.items()
            )
            message = _("The filters are not valid, so nothing was exported. %(errors)s") % {
                "errors": refused
            }
            return render(self.request, "400.html", {"message": message}, status=400)
        object_type = ""
        if isinstance(rows, QuerySet):
            object_type = rows.model._meta.label
            rows = rows.iterator(chunk_size=EXPORT_CHUNK_ROWS)
        table = self.table_class([], request=self.request)
        workbook, count = write_table(table, rows, title=self.export_title)
        params = self.request.GET
        filters = {
            name: values if len(values) > 1 else values[0]
            for name, values in params.lists()
            if name not in NOT_FILTERS and any(values)
        }
        if self.log_export is not None:
            self.log_export(
                actor=self.request.user, listing=self.export_listing, filters=filters,
                row_count=count,
            )
        name = f"{self.export_title}_{timezone.localtime():%Y%m%d_%H%M}.xlsx"
        response = FileResponse(
            workbook, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE
        )
        # The operations log (oplog.middleware) records the file as this list's export.
        return oplog.describe(
            response, kind=Kind.EXPORT, object_type=object_type, object_repr=self.export_title,
            details={"listing": self.export_listing, "filters": filters, "rows": count},
        )
