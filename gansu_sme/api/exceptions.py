"""One JSON error shape for the whole API: ``{"code", "message", "fields"}``."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from gansu_sme.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied

DOMAIN_STATUS = {
    OutOfScope: status.HTTP_404_NOT_FOUND,
    PermissionDenied: status.HTTP_403_FORBIDDEN,
    InvalidTransition: status.HTTP_409_CONFLICT,
}


# DRF and Django file messages about the request as a whole under these keys.
GENERAL_KEYS = ("non_field_errors", NON_FIELD_ERRORS)


def _split_fields(detail):
    """Separate per-field messages from messages about the request as a whole."""
    if isinstance(detail, dict):
        fields = {k: v for k, v in detail.items() if k not in GENERAL_KEYS}
        general = [m for key in GENERAL_KEYS for m in detail.get(key, [])]
        return fields, general
    if isinstance(detail, list):
        return {}, detail
    return {}, [detail]


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = DOMAIN_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
        body = {"code": exc.code, "message": str(exc.message), "fields": exc.fields}
        return Response(body, status=code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields, general = _split_fields(exc.detail)
        message = " ".join(str(m) for m in general) or _("Some fields are invalid.")
        response.data = {"code": "invalid", "message": message, "fields": fields}
    else:
        detail = getattr(exc, "detail", str(exc))
        code = detail.code if hasattr(detail, "code") else "error"
        response.data = {"code": code, "message": str(detail), "fields": {}}
    return response
