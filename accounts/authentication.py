from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS

from oplog.choices import Kind
from oplog.services import record


class BearerTokenAuthentication(TokenAuthentication):
    """Hashed, expiring, revocable tokens sent as ``Authorization: Bearer <token>``
    (``accounts.models.ApiToken``).

    knox already rejects inactive users and expired tokens; expired accounts are refused the
    same way, so switching an account off also switches off its tokens. A token not issued for
    writing is refused on every unsafe method here, whatever the view's permissions, except on
    views that say ``read_only_tokens_may_write`` (revoking one's own token). Every write request
    (any method but GET, HEAD, OPTIONS) made with a write token is in the operations log, before
    the view runs, whatever its outcome; reads are not, as for sessions.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if request.method not in SAFE_METHODS and not token.write:
            view = (getattr(request, "parser_context", None) or {}).get("view")
            if not getattr(view, "read_only_tokens_may_write", False):
                raise exceptions.PermissionDenied(
                    _("This API token may only read."), code="token_read_only"
                )
        if token.write and request.method not in SAFE_METHODS:
            record(
                kind=Kind.TOKEN_WRITE, request=request._request, user=user, subject=token,
                object_repr=f"{user.get_username()} · {token}",
                details={"method": request.method},
            )
        return user, token

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if user.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This account has expired."), code="account_expired"
            )
        return user, token


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes BearerTokenAuthentication in the OpenAPI schema; defined here so it is
    registered whenever DRF loads the authentication class."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token issued with `manage.py create_api_token`, sent as "
                "`Authorization: Bearer <token>`."
            ),
        }
