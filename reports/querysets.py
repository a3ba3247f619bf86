from django.db import models

from gansu_sme.querysets import ScopedQuerySet


class ReportQuerySet(ScopedQuerySet):
    """A report is seen by whoever sees its region: a county its own, a city its own and its
    counties', the province all."""

    region_path_lookup = "region__path"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Notifications are personal: each user sees only their own."""
        if user is None or not user.is_authenticated or not user.is_active or user.is_expired:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)
