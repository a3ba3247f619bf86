"""OpenAPI additions that hold for every endpoint of the API."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import fields as drf_fields
from rest_framework import serializers


def _model_column(field):
    """(may the value be null, may it be blank) of the model column behind a serializer field,
    following a dotted ``source`` through relations; (False, False) when there is none."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    null = blank = False
    for attr in getattr(field, "source_attrs", None) or ():
        if model is None:
            break
        try:
            column = model._meta.get_field(attr)
        except FieldDoesNotExist:
            break
        # A null link anywhere on the way makes the value null (DRF answers None past it).
        null = null or bool(getattr(column, "null", False))
        blank = bool(getattr(column, "blank", False))
        model = column.related_model if column.is_relation else None
    return null, blank


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, declaring what read-only fields can really answer.

    DRF builds read-only fields without the model's ``null``/``blank`` (they validate nothing),
    so the schema would promise a string where the API sends ``null`` (a column or a relation
    on a dotted ``source`` that is null, a field whose ``default`` is None) or ``""`` (an
    unset choice). Declared here once, for every serializer, from the model itself.
    """

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if field.read_only:
            null, blank = _model_column(field)
            if null or getattr(field, "default", drf_fields.empty) is None:
                field.allow_null = True
            if blank and isinstance(field, serializers.ChoiceField):
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "Some fields are invalid."},
        "fields": {
            "type": "object",
            "description": "Messages per input field; empty unless the input was refused.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}

ERRORS = {
    "400": "The input was refused; `fields` says why, per field.",
    "401": "No credentials, or an expired account, revoked or unknown token.",
    "403": "Your role may not do this, or a session request lacked its CSRF token.",
    "404": "No such row in your region.",
    "409": "Not possible in the row's present state, or someone else changed it first; `code`"
           " says which.",
    "413": "The request body is larger than the site accepts (DATA_UPLOAD_MAX_MEMORY_SIZE).",
    "429": "Too many requests; retry after the seconds in the Retry-After header.",
}


def add_error_responses(result, generator, request, public):
    """Document the one error shape on every operation, with the statuses it can answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = ["401", "403", "429"]
            if "{" in path:
                statuses.append("404")
            queried = any(p["in"] == "query" for p in operation.get("parameters", []))
            if method in ("post", "put", "patch") or queried:
                statuses.append("400")
            if method in ("post", "put", "patch"):
                statuses.append("413")
            if method in ("post", "put", "patch", "delete"):
                statuses.append("409")
            for status in statuses:
                operation["responses"].setdefault(
                    status,
                    {
                        "description": ERRORS[status],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result


def close_one_of_alternatives(result, generator, request, public):
    """Make the object shapes of a ``oneOf`` without a discriminator exclusive.

    A response that differs by caller (a certificate in full for staff, its public fields for
    anyone else) is a ``oneOf``; an object valid against the larger shape is valid against the
    smaller one too, unless each shape admits only its own properties.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for schema in schemas.values():
        if "oneOf" not in schema or "discriminator" in schema:
            continue
        for choice in schema["oneOf"]:
            target = schemas.get(choice.get("$ref", "").rsplit("/", 1)[-1])
            if target is not None and target.get("type") == "object":
                target["additionalProperties"] = False
    return result
