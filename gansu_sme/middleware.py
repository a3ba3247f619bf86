import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from pghistory.middleware import HistoryMiddleware

from gansu_sme import exceptions
from oplog.clients import client_address

REQUEST_ID_HEADER = "X-Request-ID"


class AuditContextMiddleware(HistoryMiddleware):
    """Attach the acting user, URL, client address and a request id to every row change made
    by a request.

    Extends pghistory's middleware so that the history triggers record which request made a
    change; the id is echoed back in the response so a user can quote it to support.
    """

    def get_context(self, request):
        context = super().get_context(request)
        context["request_id"] = request.request_id
        context["address"] = client_address(request)
        return context

    def __call__(self, request):
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = supplied[:64] if supplied else uuid.uuid4().hex
        response = super().__call__(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class DomainErrorMiddleware:
    """Answer a service's or selector's refusal the way the API's exception handler does.

    A row outside the actor's scope is not found (404), so nothing about it leaks; a role that
    may not act is forbidden (403). Both then get the site's ordinary error pages. Refusals a
    form should show (``DomainError`` in general, validation) stay the view's business.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, exceptions.OutOfScope):
            raise Http404(exception.message) from exception
        if isinstance(exception, exceptions.PermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception
        return None


class NoStoreMiddleware:
    """Keep what only a signed-in user may see, and every file handed out, out of every cache.

    A response to a signed-in user (a page, a fragment, the API with a token) or one carrying a
    Content-Disposition header (an export, a bank file, a certificate PDF, a document) gets
    Django's never-cache headers, ``Cache-Control: no-store`` among them, so neither a shared
    proxy nor the browser's disk cache keeps a copy after sign-out. Pages open to the public
    keep whatever caching they had. One place for all of them, as for the download log
    (oplog.middleware): a new view cannot forget.

    Below AuthenticationMiddleware, and so it sees the user an API token authenticated too
    (DRF sets it on the underlying request). Static files never reach it (WhiteNoise answers
    them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response
