"""What every page shares: sign-in and role checks, and showing a service's refusal on the form
that asked for it (404 for rows out of scope, 403 for a role that may not act)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

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
    except exceptions.OutOfScope as exc:
        raise Http404 from exc
    except exceptions.PermissionDenied as exc:
        raise PermissionDenied from exc
    except (ValidationError, exceptions.DomainError) as exc:
        form.add_service_error(exc)
        return None
