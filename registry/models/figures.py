from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.choices import PeriodKind
from registry.querysets import RegionFigureQuerySet

from .regions import Region


class RegionFigure(models.Model):
    """One figure of one region and period (``registry.metrics.FIGURE_METRICS``), kept so the
    dashboard, the targets and the reports read a few hundred rows instead of every monitoring
    report. Derived data: written only by ``registry.services.figures`` from the tracked
    source rows and rebuilt from them nightly, hence no history of its own.

    Rows are kept for the region an enterprise belongs to (a county, or a prefecture unit
    without counties), never for the regions above: a region's figure is the sum of the rows
    at or below its path (``within``), as every figure kept is additive. A figure that is 0
    (a count) or absent (a sum over no values) has no row.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField()
    # 0 for a year; the quarter or month otherwise (as MonitoringReport.period).
    period = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=32)
    # Counts and sums of amounts in 万元 with the two decimals of the source fields.
    value = models.DecimalField(max_digits=20, decimal_places=2)

    objects = RegionFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("region figure")
        verbose_name_plural = _("region figures")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period_kind", "year", "period", "metric"],
                name="%(app_label)s_%(class)s_one_per_metric",
            ),
        ]
        indexes = [
            models.Index(
                fields=["period_kind", "year", "period", "metric"],
                name="registry_figure_period_idx",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} {self.period_kind} {self.year}/{self.period} {self.metric}"
