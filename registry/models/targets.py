import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.choices import TargetMetric
from registry.querysets import TargetQuerySet

from .regions import Region


@pghistory.track()
class Target(models.Model):
    """A yearly goal for one region and one metric (目标任务), set by the level above it."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="targets"
    )
    metric = models.CharField(_("metric"), max_length=24, choices=TargetMetric.choices)
    value = models.PositiveIntegerField(_("target value"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "region__path", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "metric"], name="%(app_label)s_%(class)s_one_per_metric"
            ),
            models.CheckConstraint(
                condition=models.Q(metric__in=TargetMetric.values),
                name="%(app_label)s_%(class)s_metric_valid",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.region} {self.get_metric_display()}: {self.value}"
