import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate
from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from registry.models import Enterprise, Region
from subsidies.choices import EntitlementStatus, EntitlementVerb, ProjectStatus, ProjectVerb
from subsidies.querysets import CityRewardQuerySet, EntitlementQuerySet, ProjectQuerySet

from .budgets import Allocation
from .programs import MONEY, Program


@pghistory.track()
class CityReward(models.Model):
    """A city's year closed for the reward per net new above-scale firm (每净增一户), with the
    firms counted as evidence; recomputed until its entitlement is paid."""

    city = models.ForeignKey(
        Region, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    firms_up = models.PositiveIntegerField(_("firms moved above scale"))
    firms_down = models.PositiveIntegerField(_("firms fallen below scale"))
    net_new = models.IntegerField(_("net new above-scale firms"))
    # [{"uscc", "name", "direction": "up"|"down", "revenue_before", "revenue_after"}]
    evidence = models.JSONField(_("evidence"), default=list)
    # What the last recompute changed: {"added": [...], "removed": [...], "net_new_before": n}
    last_changes = models.JSONField(_("changes at last recompute"), default=dict, blank=True)
    # The program's amount when the reward's entitlement was made: recomputes price at it, as
    # entitlements keep the amount they were created with when the program is edited.
    amount_per_firm = models.DecimalField(
        _("amount per net new firm (yuan)"), **MONEY, null=True, blank=True
    )
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("computed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))

    objects = CityRewardQuerySet.as_manager()

    class Meta:
        verbose_name = _("city reward")
        verbose_name_plural = _("city rewards")
        ordering = ["-year", "city__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "year"], name="%(app_label)s_%(class)s_one_per_city_year"
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.year}"


@pghistory.track()
class SupportProject(models.Model):
    """A project put forward for special support (专项支持项目): submitted by a county or city,
    vouched for by the city, approved with an amount by the province."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="support_projects",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("project title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    amount_requested = models.DecimalField(_("amount requested (yuan)"), **MONEY)
    evidence = models.TextField(_("evidence"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices,
        default=ProjectStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vouched for by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    vouched_at = models.DateTimeField(_("vouched at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    amount_approved = models.DecimalField(
        _("amount approved (yuan)"), **MONEY, null=True, blank=True
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("support project")
        verbose_name_plural = _("support projects")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0),
                name="%(app_label)s_%(class)s_request_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProjectStatus.APPROVED)
                | models.Q(amount_approved__gt=0),
                name="%(app_label)s_%(class)s_approval_has_amount",
            ),
        ]

    def __str__(self):
        return self.title


class ProjectTransition(TransitionRecord):
    """One step of a support project (submitted, vouched for, approved, rejected): who, from,
    to, with what note, when."""

    project = models.ForeignKey(
        SupportProject, verbose_name=_("project"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(ProjectVerb)
    from_status = from_status_field(ProjectStatus)
    to_status = to_status_field(ProjectStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")


@pghistory.track()
class Entitlement(models.Model):
    """An award earned under a program (an 奖补 due to one payee), created by the event that
    earned it. Payee name and code are copied when it is created, so the bank file does not
    change when a firm is renamed."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT,
        related_name="entitlements",
    )
    # Copied from the program: a unique index cannot reach across tables.
    once_per_firm = models.BooleanField(_("once per firm"))
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="entitlements",
    )
    city = models.ForeignKey(
        Region, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    # Where the row is scoped: the enterprise's region, or the city for a city reward.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    payee_name = models.CharField(_("payee"), max_length=200)
    payee_code = models.CharField(_("payee credit code"), max_length=18, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    full_amount = models.DecimalField(_("program amount (yuan)"), **MONEY)
    amount = models.DecimalField(_("amount due (yuan)"), **MONEY)
    offset_note = models.CharField(_("difference paid because of"), max_length=200, blank=True)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )
    city_reward = models.OneToOneField(
        CityReward, verbose_name=_("city reward"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="entitlement",
    )
    project = models.OneToOneField(
        SupportProject, verbose_name=_("project"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="entitlement",
    )
    status = models.CharField(
        _("status"), max_length=14, choices=EntitlementStatus.choices,
        default=EntitlementStatus.PENDING,
    )
    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="entitlements",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    recovery_amount = models.DecimalField(_("recovery due (yuan)"), **MONEY, default=0)
    recovered_amount = models.DecimalField(_("recovered (yuan)"), **MONEY, default=0)
    recovery_reason = models.CharField(_("recovery reason"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Whatever the concurrency, a firm gets a once-per-firm award once.
            models.UniqueConstraint(
                fields=["program", "enterprise"],
                condition=models.Q(once_per_firm=True),
                name="%(app_label)s_%(class)s_once_per_firm",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EntitlementStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, amount__lte=models.F("full_amount")),
                name="%(app_label)s_%(class)s_amount_within_program",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    recovered_amount__gte=0,
                    recovery_amount__gte=models.F("recovered_amount"),
                    amount__gte=models.F("recovery_amount"),
                ),
                name="%(app_label)s_%(class)s_recovery_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[EntitlementStatus.PENDING,
                                               EntitlementStatus.CANCELLED])
                | models.Q(allocation__isnull=False),
                name="%(app_label)s_%(class)s_approved_has_allocation",
            ),
        ]

    def __str__(self):
        return f"{self.program} · {self.payee_name}"

    @property
    def recovery_outstanding(self):
        return self.recovery_amount - self.recovered_amount


class EntitlementTransition(TransitionRecord):
    """One change of an entitlement's status, or a repayment on it; the actor is empty for a
    change an event made."""

    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(EntitlementVerb)
    from_status = from_status_field(EntitlementStatus)
    to_status = to_status_field(EntitlementStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("entitlement transition")
        verbose_name_plural = _("entitlement transitions")
