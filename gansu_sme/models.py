import pgtrigger
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
    address = ProxyField(
        "pgh_context__address", models.TextField(null=True, verbose_name=_("address"))
    )

    class Meta:
        proxy = True
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")


STATUS_LENGTH = 32


def from_status_field(statuses):
    return models.CharField(
        _("from"), max_length=STATUS_LENGTH, choices=statuses.choices, blank=True
    )


def to_status_field(statuses):
    return models.CharField(_("to"), max_length=STATUS_LENGTH, choices=statuses.choices)


def verb_field(verbs):
    return models.CharField(
        _("action"), max_length=STATUS_LENGTH, choices=verbs.choices, blank=True
    )


class TransitionRecord(models.Model):
    """One step of a workflow (gansu_sme.workflow): who did what, from what, to what, why, when.

    Every workflow's record model subclasses it, adds the foreign key to the object that moved
    and gives the status and verb fields their choices (``from_status_field``,
    ``to_status_field``, ``verb_field``), so a
    history shows labels, never codes. ``from_status`` is blank for the row that records the
    object being created; ``actor`` is empty for a step the system made (a task, an event).

    A step is history itself: the database refuses to change or delete one, so the history
    triggers need not track these tables (tests/test_audit.py checks both).
    """

    verb = models.CharField(_("action"), max_length=STATUS_LENGTH, blank=True)
    from_status = models.CharField(_("from"), max_length=STATUS_LENGTH, blank=True)
    to_status = models.CharField(_("to"), max_length=STATUS_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class OfficialDay(models.Model):
    """A day of the State Council's yearly holiday notice (国务院办公厅关于部分节假日安排的通知)
    entered by an administrator: an extra rest day, or a weekend day worked in exchange (调休).

    It overrides the working-day calendar for that date, both the package's data and the
    computation for years the package does not know (gansu_sme.workdays).
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked for a weekend day worked in exchange; unticked for a rest day."),
    )
    notice = models.CharField(
        _("notice"), max_length=100, help_text=_("The notice's document number and year.")
    )
    holiday = models.CharField(_("holiday"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("official day")
        verbose_name_plural = _("official days (holiday notice)")
        ordering = ["date"]

    def __str__(self):
        return self.date.isoformat()


class OutboxMessage(models.Model):
    """A task to send to the broker, written in the same transaction as the change that calls
    for it (gansu_sme.outbox): it exists exactly when the change committed, and stays until the
    broker took it, so a task asked for while Redis is down is sent when Redis is back."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    # The queue to send to; blank: the task's own route (the default queue).
    queue = models.CharField(_("queue"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True),
                name="gansu_sme_outbox_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"
