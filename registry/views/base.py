"""What registry pages share beyond gansu_sme.views: who may read registry pages and 404 for
an enterprise out of scope."""


from gansu_sme.views import allowed_if, call_service
from registry import selectors

__all__ = ["allowed_if", "call_service", "can_read", "get_enterprise"]


def can_read(user):
    # Rows are scoped by visible_to; this only turns away accounts that see no region (experts),
    # for whom every registry page would be empty.
    return user.sees_regions


def get_enterprise(request, uscc):
    return selectors.enterprise_get(user=request.user, uscc=uscc)
