"""Domain errors raised by services; the API and views map them to responses in one place.

Each error carries a stable ``code`` (what clients and tests rely on) and a translatable
message (what a person reads, in the language of the request).
"""

from django.utils.translation import gettext_lazy as _


class FieldMessage(str):
    """A message about one input field that carries a stable ``code`` too.

    It is a plain string wherever text goes (forms, the API, import reports); clients and tests
    that need to know which rule refused read ``code`` instead of the wording.
    """

    code: str

    def __new__(cls, message, code="invalid"):
        self = super().__new__(cls, message)
        self.code = code
        return self


class DomainError(Exception):
    """A rule of the domain refused the request."""

    code = "domain_error"
    default_message = _("The request breaks a rule of the registry.")

    def __init__(self, message=None, *, code=None, fields=None):
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    @classmethod
    def for_field(cls, field, message, *, code):
        """A refusal of one input field; the error and the field's message share ``code``."""
        return cls(code=code, fields={field: [FieldMessage(message, code)]})


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_message = _("Your role may not do this.")


class OutOfScope(DomainError):
    """The object lies outside the actor's region; answered as 'not found' so nothing leaks."""

    code = "not_found"
    default_message = _("Not found.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    default_message = _("This change of status is not allowed.")


# Refusals every page answers with its status (404, 403; DomainErrorMiddleware), never on a form:
# a view that shows other domain errors to the user lets these pass first.
ANSWERED_BY_STATUS = (OutOfScope, PermissionDenied)
