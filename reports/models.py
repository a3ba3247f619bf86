import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.choices import ApplicationStatus
from gansu_sme import formatting
from registry.models import Region

from .choices import NOTIFICATION_TEXTS, NotificationKind, ReportKind
from .querysets import NotificationQuerySet, ReportQuerySet
from .specs import SPECS, spec_for


class Report(models.Model):
    """A generated report of one kind for one period and one region, as data and as XLSX.

    Stored once per kind × period × region: generating it again replaces the figures and the
    workbook in place, so the list never shows two versions of the same report.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # 1–12 for a monthly report, 1–4 for a quarterly one, 1 for an annual one: the kind's
    # periods per year (``reports.specs``).
    period = models.PositiveSmallIntegerField(_("period"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="reports"
    )
    data = models.JSONField(_("figures"), default=dict)
    # Small (tens of kB): kept in the row, so a report and its workbook are replaced together.
    xlsx = models.BinaryField(_("workbook"), editable=False)
    generated_at = models.DateTimeField(_("generated at"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "-period", "kind", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "period", "region"],
                name="%(app_label)s_%(class)s_one_per_period_region",
            ),
            models.CheckConstraint(
                condition=reduce(or_, (
                    models.Q(kind=spec.kind, period__gte=1, period__lte=spec.periods_per_year)
                    for spec in SPECS.values()
                )),
                name="%(app_label)s_%(class)s_period_fits_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "-year", "-period"], name="reports_report_latest"),
        ]

    def __str__(self):
        return f"{self.region} {self.period_shown} {self.get_kind_display()}"

    @property
    def spec(self):
        return spec_for(self.kind)

    @property
    def period_label(self):
        """The period as the Chinese workbook names it: 2026年第3季度."""
        return self.spec.period_label(self.year, self.period)

    @property
    def period_shown(self):
        """The period in the reader's language, for pages: 2026年第3季度 / Q3 2026."""
        return self.spec.period_shown(self.year, self.period)

    @property
    def title_zh(self):
        # The workbook is an official document in Chinese, whatever the reader's language.
        return f"{self.region.name}{self.period_label}{self.spec.title_zh}"

    @property
    def rows(self):
        """The stored figures laid out as the page and the workbook show them."""
        return self.spec.rows(self.data)

    @property
    def filename(self):
        return f"{self.title_zh}.xlsx"


class Notification(models.Model):
    """An in-app reminder for one user; ``key`` names the fact it reminds of, so the same
    reminder is never created twice for a user (the daily task may run any number of times)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    key = models.CharField(_("reminder key"), max_length=120)
    # The reminder in Chinese as it was given (the record, and what the admin searches);
    # pages and the API show ``message``, in the reader's language.
    text = models.TextField(_("text"))
    # The facts the reminder is made of, to say it in any language (NOTIFICATION_TEXTS):
    # ``variant`` picks the wording, ``dates`` maps the params that are ISO dates to how they
    # read (gansu_sme.formatting: "day" or "month").
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set once the notification went out in a daily digest e-mail.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="%(app_label)s_%(class)s_once_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "read_at"], name="reports_notif_unread",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.text[:40]}"

    @property
    def message(self):
        """The reminder in the active language; a reminder kept without params, as given."""
        params = dict(self.params or {})
        template = NOTIFICATION_TEXTS.get((self.kind, params.pop("variant", "")))
        if template is None or not params:
            return self.text
        for name, form in params.pop("dates", {}).items():
            params[name] = getattr(formatting, form)(datetime.date.fromisoformat(params[name]))
        if "stage" in params:
            # An application's status, named as the reader's language names it.
            params["stage"] = ApplicationStatus(params["stage"]).label
        return str(template) % params
