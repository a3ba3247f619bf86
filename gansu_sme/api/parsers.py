"""The API's parsers, held to the size limit Django applies to every body it reads whole.

DRF reads JSON and form bodies from the request stream, past ``HttpRequest.body`` and so past
``DATA_UPLOAD_MAX_MEMORY_SIZE``; here the body is read through ``body``, which refuses one over
the limit with ``RequestDataTooBig`` (413 in the API's error shape). Multipart bodies keep
Django's own checks (fields by that limit, files by their own).
"""

from rest_framework import parsers


class _WithinLimit:
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            # Read once through Django's checks; the stream then replays the same bytes.
            request._request.body  # noqa: B018
        return super().parse(stream, media_type, parser_context)


class JSONParser(_WithinLimit, parsers.JSONParser):
    pass


class FormParser(_WithinLimit, parsers.FormParser):
    pass
