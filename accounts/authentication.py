from django.utils.translation import gettext_lazy as _
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
            raise exceptions.AuthenticationFailed(_("This account has expired. 账户已过期。"))
        return user, token
