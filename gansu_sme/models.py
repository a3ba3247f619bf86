from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pghistory.core import ProxyField
from pghistory.models import Events


class AuditEvent(Events):
    """A row change captured by the history triggers, with who made it and in which request."""

    user = ProxyField(
        "pgh_context__user",
        models.ForeignKey(
            settings.AUTH_USER_MODEL,
            on_delete=models.DO_NOTHING,
            null=True,
            verbose_name=_("user"),
        ),
    )
    request_id = ProxyField(
        "pgh_context__request_id", models.TextField(null=True, verbose_name=_("request id"))
    )
    reason = ProxyField(
        "pgh_context__reason", models.TextField(null=True, verbose_name=_("reason"))
    )

    class Meta:
        proxy = True
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
