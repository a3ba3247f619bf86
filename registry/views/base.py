"""What every registry page shares: sign-in and role checks, 404 for rows out of scope, and
showing a service's refusal on the form that asked for it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gansu_sme import exceptions
from registry import selectors


def can_read(user):
    # Rows are scoped by visible_to; this only turns away accounts that see no region (experts),
    # for whom every registry page would be empty.
    return user.is_superuser or user.scope_path is not None


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


def get_enterprise(request, uscc):
    # Out of scope answers exactly like a code that does not exist, so nothing leaks.
    try:
        return selectors.enterprise_get(user=request.user, uscc=uscc)
    except exceptions.OutOfScope as exc:
        raise Http404 from exc


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
