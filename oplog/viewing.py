"""Reading personal or financial data is logged like taking a file away.

A view (function, class-based view or API viewset) that shows enterprise contacts, bank accounts
or award lists says so once, where it is defined::

    @logs_views(Sensitive.CONTACTS, object_type="registry.Enterprise", key="uscc")
    def enterprise_detail(request, uscc): ...

and ``oplog.middleware.OperationLogMiddleware`` records every successful GET of it: who, when,
from where, which object (the URL argument ``key``) and which filters. Nothing else in the view
changes, so a new page cannot log differently, and a page without the declaration logs nothing.
"""

from dataclasses import dataclass

from oplog.choices import Sensitive

ATTRIBUTE = "oplog_sensitive"


@dataclass(frozen=True)
class Declaration:
    data: Sensitive
    # The model (``app_label.ModelName``) of the object a detail view shows, and the URL
    # argument that names it.
    object_type: str = ""
    key: str = "pk"


def logs_views(data: Sensitive, *, object_type: str = "", key: str = "pk"):
    """Declare that a view shows ``data``; every successful reading of it is logged."""

    def decorate(view):
        setattr(view, ATTRIBUTE, Declaration(Sensitive(data), object_type, key))
        return view

    return decorate


def declaration(match) -> Declaration | None:
    """The declaration of the view a URL resolved to (function, view class or viewset)."""
    if match is None:
        return None
    func = match.func
    for holder in (func, getattr(func, "view_class", None), getattr(func, "cls", None)):
        found = getattr(holder, ATTRIBUTE, None)
        if found is not None:
            return found
    return None
