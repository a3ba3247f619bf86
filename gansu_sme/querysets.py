from django.db import models
from django.db.models import Q

from gansu_sme.exceptions import OutOfScope


def region_path_q(lookup, path):
    """Rows whose region path is ``path`` or lies below it.

    ``620000/620100`` covers ``620000/620100/620102`` but not a sibling such as ``620000/6201009``.
    """
    return Q(**{lookup: path}) | Q(**{f"{lookup}__startswith": f"{path}/"})


class ScopedQuerySet(models.QuerySet):
    """The one region-scoping rule: a user sees rows at or below the region they are bound to.

    Subclasses name the lookup that reaches the row's region path in ``region_path_lookup``.
    ``within(path)`` is the rule itself; ``visible_to(user)`` applies it to the user's region.
    Every view, API endpoint and export starts from ``visible_to(user)``; what the system
    computes for a region on nobody's behalf (a report) starts from ``within(region.path)``.
    """

    region_path_lookup = "region__path"

    def within(self, path):
        """Rows of the region at ``path`` and of every region below it."""
        return self.filter(region_path_q(self.region_path_lookup, path))

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active or user.is_expired:
            return self.none()
        if user.is_superuser:
            return self
        path = user.scope_path
        if path is None:
            return self.none()
        return self.within(path)

    def get_visible(self, actor, pk, lock=False):
        """The row ``pk`` if ``actor`` sees it, else OutOfScope (answered as not found).

        ``actor`` None is the system (a Celery task, an event), which sees every row. With
        ``lock`` the row is read under ``SELECT … FOR UPDATE`` of its own table only, so the
        rows joined by ``select_related`` stay unlocked.
        """
        queryset = self if actor is None else self.visible_to(actor)
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        row = queryset.filter(pk=pk).first()
        if row is None:
            raise OutOfScope()
        return row


def scoped(queryset, *, user=None, within=None):
    """``queryset`` narrowed to the region at path ``within`` and below when given, else to
    the rows ``user`` sees; for reads that serve both a signed-in user and a region's report."""
    return queryset.within(within) if within is not None else queryset.visible_to(user)
