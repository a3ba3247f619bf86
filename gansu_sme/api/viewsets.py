"""The base class every API viewset of the project starts from."""

from rest_framework import mixins, viewsets


def same_for_everyone(selector):
    """Mark a selector whose rows are the same for every caller (published notices, subsidy
    programs): it takes no user, and a viewset names it so on purpose, never by omission."""

    def rows(*, user):
        return selector()

    rows.__doc__ = selector.__doc__
    return rows


class ScopedViewSet(viewsets.GenericViewSet):
    """Build each request's rows from what ``request.user`` may see, the one scoping rule.

    A viewset declares where its rows come from, in one of two ways:

    - ``queryset``, with eager loading only: the base narrows it with ``visible_to(user)``;
    - ``selector``, a selector ``f(*, user)`` returning the rows the user may see, for rows
      scoped through another model or by role (``get_selector`` may choose one per action or
      per user; ``same_for_everyone`` wraps public ones).

    ``narrow(queryset)`` may then only narrow further (a parent from the URL, deferred
    columns). Subclasses cannot override ``get_queryset`` (refused when the class is
    defined), so no endpoint can forget the scope. Rows outside the user's region are absent
    rather than forbidden: lists, filters and cursors never include them and a detail lookup
    of one answers 404, exactly as for a row that does not exist.
    """

    selector = None
    # Rows are looked up by their integer id unless a viewset names another field (and its
    # pattern): the URL itself refuses "abc" or "1.5" with the API's 404, so no lookup, selector
    # or action downstream ever receives an id that is not a number.
    lookup_value_regex = "[0-9]+"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in vars(cls):
            raise TypeError(
                f"{cls.__name__} must not override get_queryset: declare `queryset` or "
                "`selector`, and narrow rows in `narrow`."
            )
        if cls.lookup_field != "pk" and cls.lookup_value_regex == ScopedViewSet.lookup_value_regex:
            raise TypeError(
                f"{cls.__name__} looks rows up by {cls.lookup_field!r}: declare the "
                "`lookup_value_regex` its values match."
            )

    def get_selector(self):
        # Read from the class: a function stored on it is not bound to the view.
        return type(self).selector

    def narrow(self, queryset):
        return queryset

    def get_queryset(self):
        user = self.request.user
        selector = self.get_selector()
        if selector is not None:
            rows = selector(user=user)
        else:
            rows = super().get_queryset().visible_to(user)
        return self.narrow(rows)


class ReadOnlyScopedViewSet(
    mixins.RetrieveModelMixin, mixins.ListModelMixin, ScopedViewSet
):
    """List and detail only, scoped as ``ScopedViewSet``."""
