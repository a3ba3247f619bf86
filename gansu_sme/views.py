"""What every page shares: sign-in and role checks, and showing a service's refusal on the form
that asked for it. Rows out of scope (404) and roles that may not act (403) are answered for every
page by ``gansu_sme.middleware.DomainErrorMiddleware``."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError

from gansu_sme import exceptions


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
