import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.choices import PlanMetric

from .regions import Region

FIGURE = {"max_digits": 12, "decimal_places": 2}


@pghistory.track()
class Plan(models.Model):
    """A multi-year plan whose targets the registry tracks, such as the 2018–2020
    implementation plan (甘工信发〔2018〕551号); loaded as data, one row per document."""

    document = models.CharField(_("document number"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-first_year", "document"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="%(app_label)s_%(class)s_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.document} {self.title}"


@pghistory.track()
class PlanTarget(models.Model):
    """One target of a plan: a metric to reach at least ``value`` by the end of ``due_year``,
    with the clause and the words of the plan it comes from."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="targets"
    )
    metric = models.CharField(_("metric"), max_length=24, choices=PlanMetric.choices)
    value = models.DecimalField(_("target value"), **FIGURE)
    due_year = models.PositiveSmallIntegerField(_("due year"))
    clause = models.CharField(_("clause"), max_length=40)
    wording = models.CharField(_("wording of the plan"), max_length=300)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "metric"], name="%(app_label)s_%(class)s_one_per_metric"
            ),
            models.CheckConstraint(
                condition=models.Q(metric__in=PlanMetric.values),
                name="%(app_label)s_%(class)s_metric_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="%(app_label)s_%(class)s_value_positive"
            ),
        ]

    def __str__(self):
        return f"{self.plan.document} {self.get_metric_display()} ≥ {self.value}"


@pghistory.track()
class PlanFigure(models.Model):
    """A figure entered by hand for a plan target the registry cannot compute (e.g. shares
    of value added, which only the statistics bureau holds): what, as of when, from which
    source, entered by whom and when. The latest ``as_of`` is the one shown."""

    target = models.ForeignKey(
        PlanTarget, verbose_name=_("plan target"), on_delete=models.PROTECT,
        related_name="figures",
    )
    value = models.DecimalField(_("value"), **FIGURE)
    as_of = models.DateField(_("as of"))
    source = models.CharField(
        _("source"), max_length=200,
        help_text=_("The publication the figure is taken from, e.g. a statistical bulletin."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan figure")
        verbose_name_plural = _("plan figures")
        ordering = ["-as_of", "-entered_at"]

    def __str__(self):
        return f"{self.target}: {self.value} ({self.as_of})"
