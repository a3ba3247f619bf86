from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class ExpiringModelBackend(ModelBackend):
    """Model backend that also refuses accounts past their expiry date, for new and old sessions."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_expired", False)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check (``accounts.signin``), first of the backends.

    Every web sign-in passes its request (the site's form and the admin's); a call without one
    (the shell, a test client's ``login``) is no guess over the network and is let through to
    the password check, where axes would refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
