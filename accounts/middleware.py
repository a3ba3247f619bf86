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
