import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.choices import (
    CertificateLevel,
    CertificateStatus,
    RecommendationOutcome,
    RevocationReason,
)
from certification.models.applications import Application
from certification.querysets import CertificateQuerySet
from registry.models import Enterprise


@pghistory.track()
class CertificateSequence(models.Model):
    """The last number issued per year and level; locked while a number is taken, so gap-free."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=12, choices=CertificateLevel.choices)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level"], name="%(app_label)s_%(class)s_one_per_year_level"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.level}: {self.last}"


@pghistory.track()
class Certificate(models.Model):
    """A recognition (认定) of an enterprise, valid three years, verifiable by its number."""

    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    level = models.CharField(_("level"), max_length=12, choices=CertificateLevel.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # The provincial application it came from; empty for a national certificate.
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
    )
    ruleset_code = models.CharField(_("rule set version"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    renewed_on = models.DateField(_("last renewed on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=24, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(_("revocation details"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    national_document = models.CharField(
        _("national document number"), max_length=100, blank=True
    )  # 工信部公告文号
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level", "serial"], name="%(app_label)s_%(class)s_serial_unique"
            ),
            # One live certificate per firm and level: a second one is a renewal, not an issue.
            models.UniqueConstraint(
                fields=["enterprise", "level"],
                condition=models.Q(status=CertificateStatus.ACTIVE),
                name="%(app_label)s_%(class)s_one_active_per_level",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    level__in=CertificateLevel.values, status__in=CertificateStatus.values
                ),
                name="%(app_label)s_%(class)s_choices_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="%(app_label)s_%(class)s_validity_after_issue",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=CertificateStatus.REVOKED)
                    & ~models.Q(revocation_reason="")
                    & models.Q(revoked_at__isnull=False)
                )
                | (~models.Q(status=CertificateStatus.REVOKED) & models.Q(revocation_reason="")),
                name="%(app_label)s_%(class)s_revocation_has_reason",
            ),
        ]
        # The list's default order (latest issued first) and its keyset seek.
        indexes = [models.Index(fields=["issued_on", "id"], name="cert_cert_issued_id")]

    def __str__(self):
        return self.number


@pghistory.track()
class NationalRecommendation(models.Model):
    """The province's recommendation of a certified firm to the national 小巨人 list (推荐).

    The national outcome is recorded when MIIT publishes it; approval creates the national
    certificate.
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="national_recommendation",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="national_recommendations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommended_at = models.DateTimeField(_("recommended at"), auto_now_add=True)
    outcome = models.CharField(
        _("national outcome"),
        max_length=10,
        choices=RecommendationOutcome.choices,
        default=RecommendationOutcome.PENDING,
    )
    outcome_document = models.CharField(_("national document number"), max_length=100, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    certificate = models.OneToOneField(
        Certificate,
        verbose_name=_("national certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation",
    )

    class Meta:
        verbose_name = _("national recommendation")
        verbose_name_plural = _("national recommendations")
        ordering = ["-year", "enterprise_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=RecommendationOutcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=RecommendationOutcome.APPROVED)
                | models.Q(certificate__isnull=False),
                name="%(app_label)s_%(class)s_approval_has_certificate",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"
