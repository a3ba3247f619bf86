"""One JSON error shape for the whole API: ``{"code", "message", "fields"}``.

Errors raised inside a view come through ``exception_handler`` (DRF's hook); errors Django
answers before or around a view (no such URL, a body over the size limit read by a middleware,
a crash) come through the site's error handlers (``gansu_sme.views``), which ask
``error_response`` for the same shape on every path under ``API_PREFIX``.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
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


API_PREFIX = "/api/"


def is_api_request(request):
    return request.path_info.startswith(API_PREFIX)


def too_large_message():
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _("The request body is larger than the %(limit)s KB this site accepts.") % {
        "limit": f"{limit // 1024:,}"
    }


# Django's refusals of a request as a whole (SuspiciousOperation: too many fields or files, a
# body over DATA_UPLOAD_MAX_MEMORY_SIZE, a malformed multipart body), as (status, code, message).
def refusal(exc):
    if isinstance(exc, RequestDataTooBig):
        return status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "request_too_large", too_large_message()
    return status.HTTP_400_BAD_REQUEST, "bad_request", _("The request could not be understood.")


def error_response(status_code, code, message):
    """The one error shape, for answers made outside DRF's views."""
    return JsonResponse({"code": code, "message": str(message), "fields": {}}, status=status_code)


# DRF and Django file messages about the request as a whole under these keys.
GENERAL_KEYS = ("non_field_errors", NON_FIELD_ERRORS)


def _flat(name, messages):
    """A nested serializer's messages under one dotted key each (``quotas.0.region``): the
    error shape gives every field a flat list of messages, and the key still points at the
    row and the field."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flat(f"{name}.{key}", value)
    elif isinstance(messages, list) and any(isinstance(m, dict | list) for m in messages):
        for index, value in enumerate(messages):
            if value:
                yield from _flat(f"{name}.{index}", value)
    else:
        yield name, messages if isinstance(messages, list) else [messages]


def _split_fields(detail):
    """Separate per-field messages from messages about the request as a whole."""
    if isinstance(detail, dict):
        fields = {
            key: messages
            for name, value in detail.items() if name not in GENERAL_KEYS
            for key, messages in _flat(name, value)
        }
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
    if isinstance(exc, SuspiciousOperation):
        # Django answers these with its 400 page when they escape a view; here they get the
        # API's shape (a body over the limit, read while DRF parses or authenticates).
        status_code, code, message = refusal(exc)
        return Response({"code": code, "message": str(message), "fields": {}}, status=status_code)
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
