import json

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination

from gansu_sme.keyset import after, reversed_order


class StableCursorPagination(CursorPagination):
    """Keyset cursor pages: stable while rows are inserted, as fast at page 5,000 as at page 1.

    The order is the one the FilterSet's ``ordering`` filter put on the queryset, else the
    view's ``ordering``, else this class's; ``id`` is appended as a unique tie-breaker. Unlike
    DRF's cursor, which seeks on the first field only and steps over ties by an offset, the
    cursor here carries every ordering value of the boundary row and the next page is what
    lies strictly after it, so rows sharing a name or an update time are neither skipped nor
    repeated and no OFFSET is ever sent. Ordering fields must be plain, non-null columns.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-id",)
    tie_breaker = "id"

    def get_ordering(self, request, queryset, view):
        ordering = queryset.query.order_by or getattr(view, "ordering", None) or self.ordering
        ordering = [ordering] if isinstance(ordering, str) else list(ordering)
        if ordering[-1].lstrip("-") not in (self.tie_breaker, "pk"):
            descending = ordering[-1].startswith("-")
            ordering.append(f"-{self.tie_breaker}" if descending else self.tie_breaker)
        return tuple(ordering)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse = self.cursor is not None and self.cursor.reverse
        position = self.cursor.position if self.cursor else None

        ordering = reversed_order(self.ordering) if reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if position is not None:
            try:
                queryset = queryset.filter(after(ordering, position))
            except (ValueError, TypeError, DjangoValidationError) as exc:
                # A forged cursor whose values do not fit the ordering's columns.
                raise self.refused() from exc
        rows = list(queryset[: self.page_size + 1])
        self.page = rows[: self.page_size]
        more = len(rows) > self.page_size
        if reverse:
            self.page.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = position is not None, more
        self.display_page_controls = self.has_previous or self.has_next
        return self.page

    def get_next_link(self):
        if not self.has_next:
            return None
        position = self._position(self.page[-1]) if self.page else self.cursor.position
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=position))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        position = self._position(self.page[0]) if self.page else self.cursor.position
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=position))

    def refused(self):
        """A cursor this API did not hand out is a refused input (400 on ``cursor``), like any
        other malformed parameter, not a missing page."""
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise self.refused() from exc
        if cursor is None:
            return None
        try:
            fields, values = json.loads(cursor.position)
        except (TypeError, ValueError) as exc:
            raise self.refused() from exc
        # A cursor only means something under the ordering it was cut from.
        if fields != list(self.ordering) or not (
            isinstance(values, list)
            and len(values) == len(fields)
            and all(isinstance(v, str) for v in values)
        ):
            raise self.refused()
        return cursor._replace(position=values)

    def encode_cursor(self, cursor):
        position = json.dumps([self.ordering, cursor.position])
        return super().encode_cursor(cursor._replace(position=position))

    def _position(self, row):
        # str() keeps microseconds and the UTC offset of timestamps; the ORM parses it back.
        return [str(getattr(row, field.lstrip("-"))) for field in self.ordering]
