import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oplog.choices import LOGGED_KINDS, Kind


class Operation(models.Model):
    """One thing a person did that changed no data but matters to an auditor: a sign-in, a
    failed sign-in, an export, a download, a password changed or reset; who, when, from which
    address and on what. Append-only: the database refuses to change or delete a row."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    # As typed at a failed sign-in (which may name no account); the account's name otherwise.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # The model (``app_label.ModelName``) and key of the object acted on, when there is one.
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # What was acted on, in words: a file name, a list's title, an account.
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    path = models.CharField(_("address requested"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Filters of an export, its row count, the view's arguments.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "-at"], name="oplog_user_kind_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in LOGGED_KINDS]),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"
