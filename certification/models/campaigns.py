import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certification.choices import CampaignKind, ConflictRule
from certification.models.rules import RuleSet
from registry.models import Region


@pghistory.track()
class Campaign(models.Model):
    """A filing round (申报批次): what is applied for, by which rules, and until when.

    The filing window closes on ``closes_on``; each reviewing stage then has its own deadline,
    a date computed from working days (Chinese official holidays and adjusted working weekends
    counted) and stored, so lists can flag overdue stages with a plain comparison.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=CampaignKind.choices)
    title = models.CharField(_("title"), max_length=200)
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="campaigns"
    )
    opens_on = models.DateField(_("filing opens on"))
    closes_on = models.DateField(_("filing closes on"))
    county_review_days = models.PositiveSmallIntegerField(_("county review (working days)"))
    city_recommendation_days = models.PositiveSmallIntegerField(
        _("city recommendation (working days)")
    )
    province_decision_days = models.PositiveSmallIntegerField(_("province decision (working days)"))
    county_review_due = models.DateField(_("county review due"))
    city_recommendation_due = models.DateField(_("city recommendation due"))
    province_decision_due = models.DateField(_("province decision due"))
    experts_per_application = models.PositiveSmallIntegerField(
        _("experts per application"), default=3
    )
    # Panel scores whose highest and lowest differ by more than this are flagged for the reviewer.
    score_spread_threshold = models.DecimalField(
        _("score spread threshold (points)"), max_digits=5, decimal_places=1, default=20
    )
    # Conflict rules beyond the two that always apply (same employer, declared relationship).
    conflict_rules = models.JSONField(_("extra conflict rules"), default=list, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CampaignKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="%(app_label)s_%(class)s_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    county_review_due__gte=models.F("closes_on"),
                    city_recommendation_due__gte=models.F("county_review_due"),
                    province_decision_due__gte=models.F("city_recommendation_due"),
                ),
                name="%(app_label)s_%(class)s_deadlines_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(experts_per_application__gte=1, notice_days__gte=1),
                name="%(app_label)s_%(class)s_counts_positive",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def extra_conflict_rules(self):
        return [ConflictRule(code) for code in self.conflict_rules]


@pghistory.track()
class CampaignQuota(models.Model):
    """How many applications a prefecture unit may recommend to the province in a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="quotas"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("prefecture unit"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveSmallIntegerField(_("quota"))

    class Meta:
        verbose_name = _("campaign quota")
        verbose_name_plural = _("campaign quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "region"], name="%(app_label)s_%(class)s_one_per_region"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.region}: {self.quota}"
