import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.choices import NoticePhase, NoticeStatus, ObjectionStatus
from certification.models.applications import Application
from certification.models.campaigns import Campaign


@pghistory.track()
class Notice(models.Model):
    """A public notice (公示) of the firms the province proposes to certify or recommend.

    Shown without login from ``starts_on`` to ``ends_on`` inclusive; closed by the daily task
    (or the province) once ``ends_on`` has passed.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # The issuing body, contact and telephone printed on the notice: official Chinese text.
    issuer = models.CharField(_("issuing authority"), max_length=100)
    contact_person = models.CharField(_("contact person"), max_length=50)
    telephone = models.CharField(_("telephone"), max_length=30)
    published_on = models.DateField(_("publication date"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=NoticeStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def phase(self) -> NoticePhase:
        """What the notice is today: scheduled, in public notice (公示中), run out but not yet
        closed, or closed."""
        if self.status == NoticeStatus.CLOSED:
            return NoticePhase.CLOSED
        today = timezone.localdate()
        if today < self.starts_on:
            return NoticePhase.SCHEDULED
        if today > self.ends_on:
            return NoticePhase.LAPSED
        return NoticePhase.RUNNING


@pghistory.track()
class Objection(models.Model):
    """An objection (异议) anyone filed against a firm in a notice, and the province's ruling."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    text = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ObjectionStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ObjectionStatus.PENDING)
                | (
                    models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~models.Q(decision_reason="")
                ),
                name="%(app_label)s_%(class)s_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.name}"
