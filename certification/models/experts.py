import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.choices import AssignmentStatus
from certification.models.applications import Application
from certification.querysets import AssignmentQuerySet
from registry.models import Enterprise, Industry, Region
from registry.validators import validate_uscc


@pghistory.track()
class Expert(models.Model):
    """A member of the provincial expert pool (专家库), signing in with an expert account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="expert",
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("professional title"), max_length=100, blank=True)  # 职称
    employer_name = models.CharField(_("employer"), max_length=200)
    employer_uscc = models.CharField(
        _("employer's credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # Fields of expertise as GB/T 4754 industries (sections, divisions or classes).
    industries = models.ManyToManyField(
        Industry, verbose_name=_("fields of expertise"), related_name="+", blank=True
    )
    is_active = models.BooleanField(_("in the pool"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


@pghistory.track()
class ExpertRelationship(models.Model):
    """A relationship an expert declared with an enterprise (former employer, relative …)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="relationships"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("relationship"), max_length=200)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "enterprise"], name="%(app_label)s_%(class)s_unique"
            ),
        ]

    def __str__(self):
        return f"{self.expert} · {self.enterprise}: {self.description}"


@pghistory.track()
class ExpertDraw(models.Model):
    """One random draw (双随机) of experts for an application, kept so an auditor can replay it.

    Replaying: sort ``candidates`` (expert ids left after exclusions), shuffle them with
    ``random.Random(seed)``, take the first ``count``; the result is ``drawn``.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="draws",
    )
    seed = models.CharField(_("seed"), max_length=64)
    count = models.PositiveSmallIntegerField(_("experts drawn"))
    candidates = models.JSONField(_("eligible experts"), default=list)
    excluded = models.JSONField(_("excluded experts and why"), default=dict)
    drawn = models.JSONField(_("experts drawn"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert draw")
        verbose_name_plural = _("expert draws")
        ordering = ["drawn_at", "id"]

    def __str__(self):
        return f"{self.application_id} · {self.seed}"


@pghistory.track()
class ExpertAssignment(models.Model):
    """An expert's score sheet for one application.

    The expert declares no conflict before seeing the file, enters the manual items' points
    with evidence in ``scores`` ({item code: {"points", "evidence"}}) and submits; a submitted
    sheet is locked.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="assignments"
    )
    draw = models.ForeignKey(
        ExpertDraw, verbose_name=_("draw"), on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    declaration = models.TextField(_("conflict declaration"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(
        _("total points"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="%(app_label)s_%(class)s_once_per_app"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AssignmentStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AssignmentStatus.SUBMITTED)
                | models.Q(total__isnull=False, submitted_at__isnull=False),
                name="%(app_label)s_%(class)s_submitted_has_total",
            ),
        ]

    def __str__(self):
        return f"{self.expert} · {self.application_id}"
