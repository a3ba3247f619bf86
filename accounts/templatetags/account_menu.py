from django import template
from django.utils.dateparse import parse_datetime

from oplog.receivers import PREVIOUS_SIGN_IN

register = template.Library()


@register.simple_tag(takes_context=True)
def previous_sign_in(context):
    """{"at": datetime or None, "address": str or None, "failures": int} of the sign-in before
    this session's, as recorded when it began; None for a session that began otherwise."""
    request = context.get("request")
    session = getattr(request, "session", None)
    stored = session.get(PREVIOUS_SIGN_IN) if session is not None else None
    if not stored:
        return None
    return {**stored, "at": parse_datetime(stored["at"]) if stored.get("at") else None}
