"""Keyset (seek) conditions shared by the API's cursor pages and the HTML lists' cursor pages.

A page after a row is the rows strictly after that row's ordering values, so page 10,000 costs
an index seek like page 1 instead of an OFFSET that walks every earlier row.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan


def reversed_order(ordering):
    return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ordering)


def _beyond(name, descending, value, nullable):
    """Rows whose ``name`` lies strictly after ``value`` in that direction. PostgreSQL puts
    NULL last going up and first going down: a NULL is greater than every value."""
    if value is None:
        return Q(**{f"{name}__isnull": False}) if descending else Q(pk__in=[])
    beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
    if nullable and not descending:
        beyond |= Q(**{f"{name}__isnull": True})
    return beyond


def after(ordering, values, nullable=frozenset()):
    """Rows strictly after the row whose ordering fields hold ``values``.

    ``(a, b) > (x, y)`` spelled as ``a >= x AND (a > x OR (a = x AND b > y))``, honouring each
    field's direction. The leading range on the first field lets PostgreSQL start its index
    scan at the cursor instead of walking every earlier row. Fields named in ``nullable`` may
    hold NULL (the others must not), placed as PostgreSQL's default ``ORDER BY`` places it.
    """
    condition = None
    for field, value in reversed(list(zip(ordering, values, strict=True))):
        name, descending = field.removeprefix("-"), field.startswith("-")
        beyond = _beyond(name, descending, value, name in nullable)
        same = Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
        condition = beyond if condition is None else beyond | (same & condition)
    first, value = ordering[0], values[0]
    name, descending = first.removeprefix("-"), first.startswith("-")
    if value is None or (name in nullable and not descending):
        # No range of the index is skipped for sure; the condition alone decides.
        return condition
    return Q(**{f"{name}__{'lte' if descending else 'gte'}": value}) & condition


class _Row(Func):
    function = "ROW"

    def __init__(self, *expressions):
        # A row has no single type; the comparison never asks for one.
        super().__init__(*expressions, output_field=Value(0).output_field)


def _field(queryset, name):
    """The field ``name`` (a ``__`` path or an annotation) reaches, or None if unknown."""
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return getattr(annotation, "target", None) or annotation.output_field
    model, field = queryset.model, None
    for part in name.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def nullable(queryset, name):
    """Whether ``name`` may be NULL in ``queryset``: a nullable column, a nullable link on the
    way to it, or a column the model does not describe."""
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        target = getattr(annotation, "target", None)
        return target is None or target.null
    model = queryset.model
    for part in name.split("__"):
        if part == "pk":
            return False
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True
        if field.null:
            return True
        model = field.related_model
    return False


def seek(queryset, ordering, values):
    """``queryset`` from just after the row whose ordering fields hold ``values`` (text).

    When every field goes the same way and none may be NULL, the condition is one row
    comparison, ``(a, b) > (x, y)``, which PostgreSQL turns into the start of a scan of the
    index on (a, b): the ten-thousandth page costs what the first does. Otherwise it is
    ``after``'s expansion, whose leading range narrows the scan to the first field.
    """
    names = [field.removeprefix("-") for field in ordering]
    loose = {name for name in names if nullable(queryset, name)}
    directions = {field.startswith("-") for field in ordering}
    fields = [_field(queryset, name) for name in names]
    if loose or len(directions) > 1 or None in fields or None in values:
        return queryset.filter(after(ordering, values, loose))
    typed = [
        Value(field.to_python(value), output_field=field)
        for field, value in zip(fields, values, strict=True)
    ]
    compare = LessThan if directions == {True} else GreaterThan
    return queryset.filter(compare(_Row(*(F(name) for name in names)), _Row(*typed)))
