import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from registry.choices import (
    PoolEntryStatus,
    PoolEntryVerb,
    PoolKind,
    PoolTier,
    PoolTrack,
    ScaleUpCategory,
    VisitStatus,
)
from registry.querysets import PoolChildQuerySet, PoolEntryQuerySet

from .enterprises import Enterprise


@pghistory.track()
class PoolEntry(models.Model):
    """An enterprise's place in a cultivation pool (培育库) at one tier.

    Promotion to the next tier closes this entry as promoted and opens a new one above it, so
    each tier's list and the path an enterprise took are both plain rows.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="pool_entries",
    )
    pool = models.CharField(_("pool"), max_length=12, choices=PoolKind.choices)
    track = models.CharField(
        _("cultivated towards"), max_length=16, choices=PoolTrack.choices, blank=True
    )
    tier = models.CharField(_("tier"), max_length=10, choices=PoolTier.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PoolEntryStatus.choices,
        default=PoolEntryStatus.ACTIVE,
    )
    admission_year = models.PositiveSmallIntegerField(_("admission year"))
    admission_reason = models.TextField(_("admission reason"))
    # 规下转规上 only: the working category, the one the figures suggest, and why an official
    # chose another.
    category = models.CharField(
        _("category"), max_length=8, choices=ScaleUpCategory.choices, blank=True
    )
    suggested_category = models.CharField(
        _("suggested category"), max_length=8, choices=ScaleUpCategory.choices, blank=True
    )
    category_override_reason = models.TextField(_("reason for another category"), blank=True)
    statistics_registered = models.BooleanField(
        _("in the statistics directory"), default=False,
        help_text=_("Already counted by the statistics bureau as above scale."),
    )
    # 联系帮扶人
    contact_officer = models.CharField(_("contact officer"), max_length=50, blank=True)
    contact_officer_phone = models.CharField(_("contact officer phone"), max_length=30, blank=True)
    promoted_from = models.OneToOneField(
        "self", verbose_name=_("promoted from"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="promoted_to",
    )
    closed_reason = models.TextField(_("reason for leaving"), blank=True)
    closed_at = models.DateTimeField(_("left at"), null=True, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("admitted by"), on_delete=models.PROTECT,
        related_name="+",
    )
    admitted_at = models.DateTimeField(_("admitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = PoolEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("pool entry")
        verbose_name_plural = _("pool entries")
        ordering = ["-admitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "pool"],
                condition=models.Q(status=PoolEntryStatus.ACTIVE),
                name="%(app_label)s_%(class)s_one_active_per_pool",
            ),
            models.CheckConstraint(
                condition=models.Q(pool=PoolKind.SCALE_UP, track="")
                | models.Q(pool=PoolKind.ZJTX, category="", suggested_category=""),
                name="%(app_label)s_%(class)s_fields_fit_pool",
            ),
            models.CheckConstraint(
                condition=models.Q(pool__in=PoolKind.values)
                & models.Q(tier__in=PoolTier.values)
                & models.Q(status__in=PoolEntryStatus.values),
                name="%(app_label)s_%(class)s_choices_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=PoolEntryStatus.ACTIVE, closed_at__isnull=True)
                | ~models.Q(status=PoolEntryStatus.ACTIVE) & models.Q(closed_at__isnull=False),
                name="%(app_label)s_%(class)s_closed_when_not_active",
            ),
        ]
        indexes = [
            models.Index(fields=["pool", "tier", "status"], name="registry_pool_tier_status"),
            # The list opens on one pool's active entries, latest admitted first.
            models.Index(
                fields=["pool", "status", "admitted_at", "id"], name="registry_pool_admitted_id"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_pool_display()} · {self.get_tier_display()}"


class PoolEntryTransition(TransitionRecord):
    """Admission, promotion, graduation or removal of a pool entry."""

    entry = models.ForeignKey(
        PoolEntry, verbose_name=_("pool entry"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(PoolEntryVerb)
    from_status = from_status_field(PoolEntryStatus)
    to_status = to_status_field(PoolEntryStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("pool entry transition")
        verbose_name_plural = _("pool entry transitions")


@pghistory.track()
class CultivationPlan(models.Model):
    """One-firm-one-plan (一企一策): what will be done for a pool entry, by whom, by when."""

    entry = models.ForeignKey(
        PoolEntry, verbose_name=_("pool entry"), on_delete=models.PROTECT, related_name="plans"
    )
    measures = models.TextField(_("measures"))
    goals = models.TextField(_("goals"))
    responsible_official = models.CharField(_("responsible official"), max_length=50)
    review_on = models.DateField(_("review date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PoolChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-firm-one-plan")
        verbose_name_plural = _("one-firm-one-plans")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.entry} · {self.review_on}"


@pghistory.track()
class ServiceVisit(models.Model):
    """A visit or contact by a cultivation officer (服务走访记录) and what came of it."""

    entry = models.ForeignKey(
        PoolEntry, verbose_name=_("pool entry"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("visit date"))
    officer = models.CharField(_("officer"), max_length=50)
    problems = models.TextField(_("problems raised"))
    actions = models.TextField(_("actions taken"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PoolChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.entry} · {self.visited_on}"
