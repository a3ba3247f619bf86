"""What registry pages share beyond gansu_sme.views: who may read registry pages, their lists."""

from gansu_sme.lists import ObjectListView
from gansu_sme.views import allowed_if, call_service
from registry import selectors, services

__all__ = ["RegistryListView", "allowed_if", "call_service", "can_read", "get_enterprise"]


def can_read(user):
    # Rows are scoped by visible_to; this only turns away accounts that see no region (experts),
    # for whom every registry page would be empty.
    return user.sees_regions


def get_enterprise(request, uscc):
    return selectors.enterprise_get(user=request.user, uscc=uscc)


class RegistryListView(ObjectListView):
    """A registry list page and its export, read by every account that sees a region."""

    log_export = staticmethod(services.export_record)

    def allowed(self, user):
        return can_read(user)
