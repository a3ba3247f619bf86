from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class BearerTokenAuthentication(TokenAuthentication):
    """Hashed, revocable tokens sent as ``Authorization: Bearer <token>``.

    knox already rejects inactive users; expired accounts are refused the same way, so
    switching an account off also switches off its tokens.
    """

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
