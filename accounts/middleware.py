import time
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# Paths a user who must change the password may still reach: the change page itself, signing
# out, the language switch and static files.
ALLOWED_NAMES = ("password_change", "logout")
ALLOWED_PREFIXES = ("/static/", "/i18n/")
# How often an active session's expiry is pushed back: short beside the idle time.
RENEW_SECONDS = 60


class PasswordChangeRequiredMiddleware:
    """Send a user whose password an administrator set to the password change page, from every
    page, until they have chosen their own (``User.must_change_password``).

    API tokens are not affected: they are issued to machines, not handed-over passwords.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._allowed(request.path)
        ):
            target = reverse("password_change")
            htmx = getattr(request, "htmx", None)
            if htmx:
                # A fragment the change page itself asks for (the menu's badge) gets nothing;
                # one asked for from any other page takes the whole window to the change page.
                if htmx.current_url_abs_path and urlsplit(htmx.current_url_abs_path).path == target:
                    return HttpResponse(status=204)
                return HttpResponseClientRedirect(target)
            messages.warning(
                request, _("Please choose your own password before you continue.")
            )
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(path):
        return path.startswith(ALLOWED_PREFIXES) or path in {
            reverse(name) for name in ALLOWED_NAMES
        }


# Where the session keeps the time of the user's last request (seconds since the epoch).
LAST_SEEN = "last_seen"


class SessionIdleMiddleware:
    """Keep a signed-in session alive while it is used, so that it ends SESSION_COOKIE_AGE
    (SESSION_IDLE_MINUTES) after the last request rather than after the sign-in.

    Django's session store expires a session SESSION_COOKIE_AGE after its last save; this
    saves it again (by updating the time of the last request) at most once a minute, which
    is what SESSION_SAVE_EVERY_REQUEST would do with a write on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            now = time.time()
            seen = session.get(LAST_SEEN)
            if not isinstance(seen, int | float) or now - seen >= RENEW_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)


def stamp_session(sender, request, user, **kwargs):
    """On sign-in, the session's last request is now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = time.time()
