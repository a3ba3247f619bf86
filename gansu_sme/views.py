"""What every page shares: sign-in and role checks, showing a service's refusal on the form
that asked for it, and the action view of a POST that calls one service. Rows out of scope (404)
and roles that may not act (403) are answered for every page by
``gansu_sme.middleware.DomainErrorMiddleware``."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import View, defaults

from gansu_sme import exceptions
from gansu_sme.api import exceptions as api_exceptions


def allowed_if(check):
    """Sign-in required; signed-in users failing ``check`` get the 403 page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def call_service(form, service, **kwargs):
    """Run a write; show its refusal on ``form`` and return None, or return its result."""
    try:
        return service(**kwargs)
    except exceptions.ANSWERED_BY_STATUS:
        raise
    except (ValidationError, exceptions.DomainError) as exc:
        form.add_service_error(exc)
        return None


class AllowedMixin(LoginRequiredMixin):
    """``allowed_if`` for class-based views: sign-in required, and signed-in users for whom
    ``allowed`` is false get the 403 page."""

    def allowed(self, user):
        return True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ActionView(AllowedMixin, View):
    """A POST that calls one service: bind the form, call the service on the page's object,
    say so and redirect; a form the service refuses is shown again on its page with a 400.

    Subclasses name ``form_class``, ``service`` and ``success_message``, and define
    ``get_object``, ``success_url(result)`` and ``refused(obj, form)`` (the page, status 400).
    The service is called as ``service(actor=user, <object_name>=obj, **form.cleaned_data)``.
    """

    http_method_names = ["post"]
    form_class: type
    service: Callable
    success_message = ""
    object_name = "obj"
    form_prefix: str | None = None

    def get_object(self):
        raise NotImplementedError

    def service_kwargs(self, form):
        return form.cleaned_data

    def success_url(self, result):
        raise NotImplementedError

    def refused(self, obj, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.form_class(request.POST, prefix=self.form_prefix)
        if form.is_valid():
            result = call_service(
                form, type(self).service, actor=request.user,
                **{self.object_name: obj}, **self.service_kwargs(form),
            )
            if result is not None:
                messages.success(request, self.success_message)
                return redirect(self.success_url(result))
        return self.refused(obj, form)


def favicon(request):
    """/favicon.ico leads to the site's icon; its address is the static storage's (hashed in
    production), read when asked rather than when the URLs load, before collectstatic has run."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# The site's error handlers (gansu_sme.urls): under /api/ every error keeps the API's JSON shape,
# whatever answered it (the URL resolver, a middleware, Django's own request checks); pages keep
# their HTML error pages.


def bad_request(request, exception):
    """A request Django refused as a whole: a body over the size limit (413), too many fields or
    files, a malformed multipart body (400)."""
    status, code, message = api_exceptions.refusal(exception)
    if api_exceptions.is_api_request(request):
        return api_exceptions.error_response(status, code, message)
    return render(request, "400.html", {"message": message, "status": status}, status=status)


def page_not_found(request, exception):
    if api_exceptions.is_api_request(request):
        return api_exceptions.error_response(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    if api_exceptions.is_api_request(request):
        message = _("You do not have permission to perform this action.")
        return api_exceptions.error_response(403, "permission_denied", message)
    return defaults.permission_denied(request, exception)


def server_error(request):
    if api_exceptions.is_api_request(request):
        message = _("The server could not complete this request.")
        return api_exceptions.error_response(500, "server_error", message)
    return defaults.server_error(request)
