"""Domain errors raised by services; the API and views map them to responses in one place."""


class DomainError(Exception):
    """A rule of the domain refused the request."""

    code = "domain_error"
    default_message = "The request breaks a rule of the registry. 请求不符合登记规则。"

    def __init__(self, message=None, *, fields=None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_message = "Your role may not do this. 您的角色无权执行此操作。"


class OutOfScope(DomainError):
    """The object lies outside the actor's region; answered as 'not found' so nothing leaks."""

    code = "not_found"
    default_message = "Not found. 未找到。"


class InvalidTransition(DomainError):
    code = "invalid_transition"
    default_message = "This change of status is not allowed. 不允许此状态变更。"


# Refusals every page answers with its status (404, 403; DomainErrorMiddleware), never on a form:
# a view that shows other domain errors to the user lets these pass first.
ANSWERED_BY_STATUS = (OutOfScope, PermissionDenied)
