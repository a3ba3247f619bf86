import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from gansu_sme import formatting
from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from registry.choices import REPORT_OPEN, PeriodKind, ReportStatus, ReportVerb
from registry.querysets import MonitoringReportQuerySet

from .enterprises import Enterprise


def _money(label):
    # Chinese statistics forms report money in 万元 (10,000 yuan); the unit is part of the label.
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True)


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


# Statement-level history triggers: an import files thousands of reports in one statement, and a
# row-level trigger (one context upsert and one insert per row) would cost more than the import.
@pghistory.track(level=pghistory.Statement)
class MonitoringReport(models.Model):
    """One enterprise's figures for one period (运行监测报表): a year, a quarter or a month.

    A verified report is never edited: a correction is a new revision of the same period that is
    verified in its turn, and the report it corrects becomes superseded.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="monitoring_reports",
    )
    period_kind = models.CharField(_("period kind"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # 0 for a year; 1–4 for a quarter; 1–12 for a month.
    period = models.PositiveSmallIntegerField(_("period"), default=0)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )

    operating_revenue = _money(_("operating revenue (10k yuan)"))  # 营业收入（万元）
    main_business_revenue = _money(_("main-business revenue (10k yuan)"))  # 主营业务收入（万元）
    output_value = _money(_("industrial output value (10k yuan)"))  # 工业总产值（万元）
    taxes = _money(_("taxes paid (10k yuan)"))  # 实缴税金（万元）
    total_profit = _money(_("total profit (10k yuan)"))  # 利润总额（万元）
    net_profit = _money(_("net profit (10k yuan)"))  # 净利润（万元）
    total_assets = _money(_("total assets (10k yuan)"))  # 资产总额（万元）
    total_liabilities = _money(_("total liabilities (10k yuan)"))  # 负债总额（万元）
    employees = _count(_("employees (persons)"))  # 从业人员（人）
    rd_staff = _count(_("R&D staff (persons)"))  # 研发人员（人）
    rd_expense = _money(_("R&D expense (10k yuan)"))  # 研发费用（万元）
    patents_class1 = _count(_("class Ⅰ IP incl. invention patents (items)"))  # Ⅰ类知识产权（件）
    patents_class2 = _count(_("class Ⅱ IP: utility models, designs, software (items)"))
    land_area = models.DecimalField(
        _("land used (mu)"), max_digits=12, decimal_places=2, null=True, blank=True
    )  # 用地面积（亩）
    energy_consumption = models.DecimalField(
        _("energy consumption (tce)"), max_digits=14, decimal_places=2, null=True, blank=True
    )  # 综合能耗（吨标准煤）
    export_value = _money(_("exports (10k yuan)"))  # 出口额（万元）
    safety_incidents = _count(_("major safety incidents"))  # 重大安全事故（起）
    quality_incidents = _count(_("major quality incidents"))  # 重大质量事故（起）
    environmental_incidents = _count(_("major environmental incidents"))  # 重大环境事件（起）
    uses_digital_rd_tools = models.BooleanField(
        _("uses digital R&D design tools"), null=True, blank=True
    )  # 数字化研发设计工具
    cnc_ratio = models.DecimalField(
        _("CNC ratio of key processes (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )  # 关键工序数控化率（%）
    uses_cloud = models.BooleanField(_("uses cloud services"), null=True, blank=True)  # 上云
    uses_ecommerce = models.BooleanField(_("sells online"), null=True, blank=True)  # 电子商务

    # Data-quality flags found by the rules: [{"rule", "message", "figures"}]; shown, never
    # acted on automatically.
    flags = models.JSONField(_("data-quality flags"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MonitoringReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-year", "-period", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period_kind", "year", "period", "revision"],
                name="%(app_label)s_%(class)s_one_per_revision",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "period_kind", "year", "period"],
                condition=models.Q(status__in=REPORT_OPEN),
                name="%(app_label)s_%(class)s_one_open_per_period",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "period_kind", "year", "period"],
                condition=models.Q(status=ReportStatus.VERIFIED),
                name="%(app_label)s_%(class)s_one_verified_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_kind=PeriodKind.YEAR, period=0)
                | models.Q(period_kind=PeriodKind.QUARTER, period__gte=1, period__lte=4)
                | models.Q(period_kind=PeriodKind.MONTH, period__gte=1, period__lte=12),
                name="%(app_label)s_%(class)s_period_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="%(app_label)s_%(class)s_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(cnc_ratio__isnull=True)
                | models.Q(cnc_ratio__gte=0, cnc_ratio__lte=100),
                name="%(app_label)s_%(class)s_cnc_ratio_percent",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(operating_revenue__isnull=True) | models.Q(operating_revenue__gte=0)
                )
                & (
                    models.Q(main_business_revenue__isnull=True)
                    | models.Q(main_business_revenue__gte=0)
                )
                & (models.Q(rd_expense__isnull=True) | models.Q(rd_expense__gte=0))
                & (models.Q(total_assets__isnull=True) | models.Q(total_assets__gte=0)),
                name="%(app_label)s_%(class)s_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "period_kind", "year"], name="registry_mr_status_period"
            ),
            # The list's default order (latest period, latest filed first) and its keyset seek.
            models.Index(fields=["year", "period", "id"], name="registry_mr_year_period_id"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.period_label}"

    @property
    def period_label(self):
        """The period as the active language names it: 2026年, 2026年第2季度, 2026年5月."""
        if self.period_kind == PeriodKind.YEAR:
            return pgettext("period", "%(year)s") % {"year": self.year}
        if self.period_kind == PeriodKind.QUARTER:
            return pgettext("period", "Q%(quarter)s %(year)s") % {
                "quarter": self.period, "year": self.year
            }
        return formatting.month(self.year, self.period)


class MonitoringReportTransition(TransitionRecord):
    """One change of a monitoring report's status: who, from what, to what, why, when."""

    report = models.ForeignKey(
        MonitoringReport,
        verbose_name=_("monitoring report"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(ReportVerb)
    from_status = from_status_field(ReportStatus)
    to_status = to_status_field(ReportStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("monitoring report transition")
        verbose_name_plural = _("monitoring report transitions")
