from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

# Shown in both languages whatever the UI language: an official locked out of an expired account
# may be on a shared machine switched to either, and has to pass the message on to support.
EXPIRED_MESSAGE = (
    "您的账号已于 %(date)s 到期，无法登录，请联系管理员延期。"
    " Your account expired on %(date)s and can no longer sign in; ask your administrator"
    " to extend it."
)


class LoginForm(AuthenticationForm):
    """The standard sign-in form, which also says so when the account has expired.

    The backend refuses expired accounts like a wrong password; the expiry is only named once
    the password is known to be right, so the message tells a stranger nothing.
    """

    def get_invalid_login_error(self):
        user = self._expired_user_with_this_password()
        if user is not None:
            return ValidationError(
                EXPIRED_MESSAGE, code="expired", params={"date": user.expires_on.isoformat()}
            )
        return super().get_invalid_login_error()

    def _expired_user_with_this_password(self):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(
                self.cleaned_data.get("username")
            )
        except user_model.DoesNotExist:
            return None
        # Expiry is tested first so that only expired accounts pay for a second password hash.
        if user.is_expired and user.check_password(self.cleaned_data.get("password")):
            return user
        return None
