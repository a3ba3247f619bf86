import re
from urllib.parse import unquote

from oplog.choices import Kind
from oplog.services import RESPONSE_ATTRIBUTE, record
from oplog.viewing import declaration

FILENAME_STAR = re.compile(r"filename\*=UTF-8''([^;]+)", re.IGNORECASE)
FILENAME = re.compile(r'filename="?([^";]+)"?', re.IGNORECASE)
READS = frozenset({"GET", "HEAD"})
# Files that hold no registry data: the published API schema (fetched by every API docs page
# and client generator) is not a download an auditor asks about.
NOT_LOGGED_VIEWS = frozenset({"schema"})


def _filename(disposition):
    match = FILENAME_STAR.search(disposition)
    if match:
        return unquote(match.group(1))
    match = FILENAME.search(disposition)
    return match.group(1) if match else ""


class OperationLogMiddleware:
    """Log every file the site hands out: any successful response that carries a
    Content-Disposition header, from a page or the API, is an export or a download.

    One place for all of them, so a new download view cannot forget to log; what a file is
    about comes from ``oplog.services.describe`` when the view said so. The same place logs
    each successful reading of a view declared with ``oplog.viewing.logs_views`` (contacts,
    bank accounts, award lists).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition")
        match = request.resolver_match
        if match is not None and match.view_name in NOT_LOGGED_VIEWS:
            return response
        if not 200 <= response.status_code < 300:
            return response
        if disposition:
            self._log(request, response, disposition)
        elif request.method in READS:
            declared = declaration(match)
            if declared is not None:
                self._log_view(request, match, declared)
        return response

    def _log_view(self, request, match, declared):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        query = {
            name: values if len(values) > 1 else values[0]
            for name, values in request.GET.lists()
        }
        # A list (no key in the URL) names no object; a detail view names the one it shows.
        object_id = str(match.kwargs.get(declared.key, "")) if declared.object_type else ""
        record(
            kind=Kind.VIEW,
            request=request,
            object_type=declared.object_type if object_id else "",
            object_id=object_id,
            object_repr=str(declared.data.label),
            details={
                "data": declared.data.value,
                "view": match.view_name,
                "arguments": {key: str(value) for key, value in match.kwargs.items()},
                "query": query,
            },
        )

    def _log(self, request, response, disposition):
        described = dict(getattr(response, RESPONSE_ATTRIBUTE, None) or {})
        filename = _filename(disposition)
        match = request.resolver_match
        arguments = match.kwargs if match else {}
        details = {
            **described.pop("details", {}),
            "file": filename,
            "view": match.view_name if match else "",
            "arguments": {key: str(value) for key, value in arguments.items()},
        }
        record(
            kind=described.pop("kind", Kind.DOWNLOAD),
            request=request,
            subject=described.pop("subject", None),
            object_type=described.pop("object_type", ""),
            object_repr=described.pop("object_repr", "") or filename,
            details=details,
        )
