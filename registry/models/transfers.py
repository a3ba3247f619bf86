from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.choices import ImportKind, ImportStatus


class ImportJob(models.Model):
    """One uploaded workbook: its validation report, and once confirmed, what it wrote.

    Only the uploader (or an administrator) sees a job; rows outside the uploader's region are
    errors, so a job never reaches beyond its owner's scope.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices,
        default=ImportStatus.VALIDATING,
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    progress = models.PositiveIntegerField(_("rows processed"), default=0)
    # Every problem found: [{"row", "column", "header", "value", "message"}].
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # What confirming wrote (or would write): {"created": n, "updated": n, "unchanged": n}.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    # Runs of the current task begun (registry.services.imports.MAX_ATTEMPTS).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values)
                & models.Q(status__in=ImportStatus.values),
                name="%(app_label)s_%(class)s_choices_valid",
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class ExportRecord(models.Model):
    """Who downloaded which list, with which filters, and how many rows it held."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
        related_name="+",
    )
    listing = models.CharField(_("list"), max_length=50)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.listing} {self.at:%Y-%m-%d %H:%M}"
