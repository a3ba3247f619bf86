import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.choices import (
    ApplicationStatus,
    AttachmentKind,
    FilingLevel,
    Verb,
)
from certification.models.campaigns import Campaign
from certification.models.rules import Evaluation
from certification.querysets import ApplicationQuerySet, AttachmentQuerySet
from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from registry.models import Enterprise


def _points(label, **options):
    return models.DecimalField(label, max_digits=5, decimal_places=1, **options)


@pghistory.track()
class Application(models.Model):
    """An enterprise's application in a campaign, filed by county (or city) staff for the firm.

    ``status`` changes only through the services in ``certification.services.workflow``; each
    change appends an ApplicationTransition row. ``stage_due`` is the deadline of the stage the
    application waits in (copied from the campaign when it enters the stage), empty when no
    stage deadline runs.
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    filing_level = models.CharField(_("filed by"), max_length=8, choices=FilingLevel.choices)
    # The certificate a re-review (复核) application renews.
    renews = models.ForeignKey(
        "certification.Certificate",
        verbose_name=_("certificate renewed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal_applications",
    )
    summary = models.TextField(_("summary of the application"), blank=True)  # 申报摘要
    manual_inputs = models.JSONField(_("manual inputs"), default=dict, blank=True)
    declared_figures = models.JSONField(_("declared figures"), default=dict, blank=True)
    # The pre-check stored when the application was last submitted.
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation at submission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stage_due = models.DateField(_("stage due"), null=True, blank=True)
    panel_score = _points(_("panel score"), null=True, blank=True)
    panel_spread = _points(_("panel score spread"), null=True, blank=True)
    panel_spread_flagged = models.BooleanField(_("panel spread above threshold"), default=False)
    decision_score = _points(_("score decided"), null=True, blank=True)
    # Written when the decision departs from the panel (score or outcome).
    departure_reason = models.TextField(_("reason for departing from the panel"), blank=True)
    notice = models.ForeignKey(
        "certification.Notice",
        verbose_name=_("public notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-status_changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(filing_level__in=FilingLevel.values),
                name="%(app_label)s_%(class)s_filing_level_valid",
            ),
            # A firm has one live application per campaign; a withdrawn one may be filed again.
            models.UniqueConstraint(
                fields=["campaign", "enterprise"],
                condition=~models.Q(status=ApplicationStatus.WITHDRAWN),
                name="%(app_label)s_%(class)s_one_live_per_campaign",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="cert_app_campaign_status"),
            models.Index(fields=["status", "stage_due"], name="cert_app_status_due"),
            # The list's default order (last status change first) and its keyset seek.
            models.Index(fields=["status_changed_at", "id"], name="cert_app_changed_id"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.campaign}"


class ApplicationTransition(TransitionRecord):
    """One change of an application's status; the actor is empty for the notice-closing task."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(Verb)
    from_status = from_status_field(ApplicationStatus)
    to_status = to_status_field(ApplicationStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("application transition")
        verbose_name_plural = _("application transitions")


def attachment_path(attachment, filename):
    # The stored name is the content hash: uploaded names are shown, never used as paths.
    return f"attachments/{attachment.application_id}/{attachment.sha256}"


@pghistory.track()
class Attachment(models.Model):
    """Evidence for an application (PDF, JPEG, PNG or XLSX), stored under its SHA-256."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "sha256"], name="%(app_label)s_%(class)s_once_per_app"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AttachmentKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]

    def __str__(self):
        return self.original_name
