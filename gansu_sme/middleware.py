import uuid

from pghistory.middleware import HistoryMiddleware

REQUEST_ID_HEADER = "X-Request-ID"


class AuditContextMiddleware(HistoryMiddleware):
    """Attach the acting user, URL and a request id to every row change made by a request.

    Extends pghistory's middleware so that the history triggers record which request made a
    change; the id is echoed back in the response so a user can quote it to support.
    """

    def get_context(self, request):
        context = super().get_context(request)
        context["request_id"] = request.request_id
        return context

    def __call__(self, request):
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = supplied[:64] if supplied else uuid.uuid4().hex
        response = super().__call__(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
