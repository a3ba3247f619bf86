from django.db import models
from django.db.models import Q


def region_path_q(lookup, path):
    """Rows whose region path is ``path`` or lies below it.

    ``620000/620100`` covers ``620000/620100/620102`` but not a sibling such as ``620000/6201009``.
    """
    return Q(**{lookup: path}) | Q(**{f"{lookup}__startswith": f"{path}/"})


class ScopedQuerySet(models.QuerySet):
    """The one region-scoping rule: a user sees rows at or below the region they are bound to.

    Subclasses name the lookup that reaches the row's region path in ``region_path_lookup``.
    Every view, API endpoint, export and report starts from ``visible_to(user)``.
    """

    region_path_lookup = "region__path"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active or user.is_expired:
            return self.none()
        if user.is_superuser:
            return self
        path = user.scope_path
        if path is None:
            return self.none()
        return self.filter(region_path_q(self.region_path_lookup, path))
