"""Insert or update thousands of rows in one statement each, at little more than their cost.

Django's bulk_create and bulk_update spell every value into the SQL (an ARRAY[...] element, or
a CASE branch per row and column) and prepare each through the field, so ten thousand rows
take seconds before PostgreSQL writes anything. Here each column travels as one array literal
('{...}') cast to the column's type and unnested, which PostgreSQL reads in one pass. Row and
statement triggers (the history) fire as for any INSERT or UPDATE; save() and signals are not
involved, as with bulk_create. Values must already be valid: callers validate before writing.
"""

import json
from datetime import date
from operator import attrgetter

from django.db import connection
from django.db.models import Lookup
from django.db.models.base import ModelState


def _quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value):
    return _quoted(value.isoformat() if isinstance(value, date) else str(value))


def array_literal(values):
    """The PostgreSQL array literal ('{...}') of ints or texts, to pass as one parameter.

    PostgreSQL reads such a literal in one pass; a Python list would be spelled out as
    ARRAY[...] with one constant per value for the server to parse and type one by one.
    """
    return "{" + ",".join(
        str(v) if v.__class__ is int else "NULL" if v is None else _text(v) for v in values
    ) + "}"


NUMBERS = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
    "PositiveSmallIntegerField", "DecimalField", "FloatField",
})


def _array(field, values):
    """The PostgreSQL array literal of ``values`` for ``field``'s column."""
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind in NUMBERS:
        items = ["NULL" if v is None else str(v) for v in values]
    elif kind == "BooleanField":
        items = ["NULL" if v is None else ("t" if v else "f") for v in values]
    elif kind == "JSONField":
        dumps = json.JSONEncoder if field.encoder is None else field.encoder
        encode = dumps().encode
        items = ["NULL" if v is None else _quoted(encode(v)) for v in values]
    else:
        # Rows share most of these values (the statement's one time, a status), so each distinct
        # value is spelled once.
        spelled = {None: "NULL"}
        items = [spelled.get(v) or spelled.setdefault(v, _text(v)) for v in values]
    return "{" + ",".join(items) + "}"


def _cast(field):
    # Array casts without length or precision, so no value is cut to fit; the column checks it.
    return field.db_type(connection).split("(")[0] + "[]"


def _insert(model, fields, columns):
    meta = model._meta
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) SELECT * FROM UNNEST({}) RETURNING {}".format(
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(f"%s::{_cast(f)}" for f in fields),
        quote(meta.pk.column),
    )
    params = [_array(field, column) for field, column in zip(fields, columns, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # PostgreSQL returns the rows of an INSERT ... SELECT in the order it inserted them,
        # which is the order of the arrays; Django's own bulk_create relies on the same.
        return [row[0] for row in cursor.fetchall()]


def insert_values(model, names, rows):
    """INSERT ``rows`` (tuples of values for the fields ``names``) in one statement.

    Returns the new ids in the order of ``rows``. Nothing is filled in: auto_now and
    auto_now_add fields among ``names`` need their values in ``rows``.
    """
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in names]
    return _insert(model, fields, list(zip(*rows, strict=True)))


def insert_rows(model, objs):
    """INSERT ``objs`` (unsaved instances of ``model``) in one statement and set their ids.

    Every concrete column but the id is written; auto_now and auto_now_add times are set.
    """
    if not objs:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # One time for the whole statement, as the rows are written at once.
            now = field.pre_save(objs[0], True)
            for obj in objs:
                setattr(obj, field.attname, now)
    columns = [list(map(attrgetter(f.attname), objs)) for f in fields]
    ids = _insert(model, fields, columns)
    alias = connection.alias
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias


def update_rows(model, objs, names):
    """UPDATE the columns ``names`` of ``objs`` (saved instances of ``model``) in one statement.

    auto_now times among ``names`` are set to now.
    """
    if not objs:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    for field in fields:
        if getattr(field, "auto_now", False):
            now = field.pre_save(objs[0], False)
            for obj in objs:
                setattr(obj, field.attname, now)
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    sql = "UPDATE {} AS t SET {} FROM UNNEST({}) AS v({}) WHERE t.{} = v.{}".format(
        quote(meta.db_table),
        ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields),
        ", ".join(f"%s::{_cast(f)}" for f in (meta.pk, *fields)),
        ", ".join(quote(f.column) for f in (meta.pk, *fields)),
        pk,
        pk,
    )
    params = [_array(f, list(map(attrgetter(f.attname), objs))) for f in (meta.pk, *fields)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def loaded(model, names, rows):
    """Instances of ``model`` from ``rows`` of values for the fields ``names``, such as
    ``values_list(*names)`` gives, as ``only(*names)`` would load them: the rest deferred.

    Model.from_db calls the model with a value or a placeholder for every field, microseconds
    a row that an import of ten thousand rows paid on each of its passes; here the values are
    set directly. No pre_init or post_init signal is sent.
    """
    attnames = [model._meta.get_field(name).attname for name in names]
    alias = connection.alias
    new = model.__new__
    instances = []
    for values in rows:
        instance = new(model)
        state = ModelState()
        state.adding = False
        state.db = alias
        instance.__dict__.update(zip(attnames, values, strict=True), _state=state)
        instances.append(instance)
    return instances


class AnyOf(Lookup):
    """``lhs = ANY(%s)`` with the values as one array parameter, for filter().

    The same rows as ``__in``, but thousands of values travel as one array that PostgreSQL
    reads in one go, instead of one placeholder each that Django prepares and PostgreSQL
    parses and plans one by one: ``filter(AnyOf(F("enterprise_id"), ids))``. Values must be
    of the column's type already (ids, codes); none are converted.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [array_literal(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.get_db_prep_lookup(self.rhs, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
