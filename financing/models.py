"""Financing needs (融资需求库), financial institutions, bank–enterprise matching events
(银企对接活动) and their outcomes, and credit cultivation (信用培育).

Amounts are Decimal 万元, as the registry's figures and the banks' loan forms state them.
"""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from financing.choices import (
    CreditStars,
    InstitutionKind,
    NeedKind,
    NeedStatus,
    NeedVerb,
    OutcomeStatus,
    OutcomeVerb,
    Urgency,
)
from financing.querysets import (
    CreditQuerySet,
    EventQuerySet,
    InstitutionQuerySet,
    NeedQuerySet,
    OutcomeQuerySet,
)
from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from registry.models import Enterprise, Region

# 万元 with two decimals: up to 9,999,999,999.99 万元.
WAN = {"max_digits": 12, "decimal_places": 2}


@pghistory.track()
class FinancialInstitution(models.Model):
    """A bank branch, guarantor or fund that takes part in matching events, and the accounts
    of its staff, who read the needs firms of its region agreed to show to institutions."""

    name = models.CharField(_("institution"), max_length=100)
    branch = models.CharField(_("branch"), max_length=100, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=InstitutionKind.choices, default=InstitutionKind.BANK
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region served"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Its staff see the shared needs of firms in this region and below."),
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff accounts"), blank=True,
        related_name="financial_institutions",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("financial institution")
        verbose_name_plural = _("financial institutions")
        ordering = ["name", "branch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "branch"], name="%(app_label)s_%(class)s_unique_branch"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InstitutionKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.branch}".strip()


@pghistory.track()
class FinancingNeed(models.Model):
    """One firm's need for money (融资需求): how much, for how long, for what, in which form,
    and whether the firm agreed to show it to financial institutions."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="financing_needs",
    )
    kind = models.CharField(_("kind of financing"), max_length=12, choices=NeedKind.choices)
    amount = models.DecimalField(_("amount (10,000 yuan)"), **WAN)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    purpose = models.CharField(_("purpose"), max_length=200)
    collateral = models.CharField(
        _("collateral"), max_length=200, blank=True,
        help_text=_("What the firm can pledge or mortgage; blank if none."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    agreed_to_share = models.BooleanField(
        _("agreed to share with institutions"), default=False,
        help_text=_("The firm agreed that financial institutions may read this need."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="%(app_label)s_%(class)s_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(term_months__gte=1, term_months__lte=360),
                name="%(app_label)s_%(class)s_term_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NeedKind.values)
                & models.Q(urgency__in=Urgency.values)
                & models.Q(status__in=NeedStatus.values),
                name="%(app_label)s_%(class)s_choices_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="financing_need_status_kind")]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()} · {self.amount}"


class FinancingNeedTransition(TransitionRecord):
    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("financing need"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(NeedVerb)
    from_status = from_status_field(NeedStatus)
    to_status = to_status_field(NeedStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("financing need transition")
        verbose_name_plural = _("financing need transitions")


@pghistory.track()
class MatchingEvent(models.Model):
    """A bank–enterprise matching event (银企对接活动): the institutions invited and the needs
    put to them, each with its outcome."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("organised for"), on_delete=models.PROTECT, related_name="+"
    )
    institutions = models.ManyToManyField(
        FinancialInstitution, verbose_name=_("invited institutions"),
        related_name="matching_events", blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("organised by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching event")
        verbose_name_plural = _("matching events")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.title} ({self.held_on})"


@pghistory.track()
class MatchOutcome(models.Model):
    """What came of one need at one matching event (对接结果): contacted, in review, granted
    (how much, at what rate, when, by which institution) or refused (why)."""

    event = models.ForeignKey(
        MatchingEvent, verbose_name=_("matching event"), on_delete=models.PROTECT,
        related_name="outcomes",
    )
    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("financing need"), on_delete=models.PROTECT,
        related_name="outcomes",
    )
    institution = models.ForeignKey(
        FinancialInstitution, verbose_name=_("institution"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="outcomes",
    )
    status = models.CharField(
        _("outcome"), max_length=12, choices=OutcomeStatus.choices,
        default=OutcomeStatus.PENDING,
    )
    granted_amount = models.DecimalField(
        _("granted amount (10,000 yuan)"), null=True, blank=True, **WAN
    )
    rate = models.DecimalField(
        _("annual rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching outcome")
        verbose_name_plural = _("matching outcomes")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "need"], name="%(app_label)s_%(class)s_one_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OutcomeStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            # A grant states who granted how much, at what rate and when; nothing else does.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=OutcomeStatus.GRANTED, institution__isnull=False,
                        granted_amount__gt=0, rate__isnull=False, granted_on__isnull=False,
                    )
                    | (
                        ~models.Q(status=OutcomeStatus.GRANTED)
                        & models.Q(granted_amount__isnull=True, rate__isnull=True,
                                   granted_on__isnull=True)
                    )
                ),
                name="%(app_label)s_%(class)s_grant_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(status=OutcomeStatus.REFUSED) | models.Q(refusal_reason=""),
                name="%(app_label)s_%(class)s_reason_only_when_refused",
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.need} · {self.get_status_display()}"


class MatchOutcomeTransition(TransitionRecord):
    outcome = models.ForeignKey(
        MatchOutcome, verbose_name=_("matching outcome"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(OutcomeVerb)
    from_status = from_status_field(OutcomeStatus)
    to_status = to_status_field(OutcomeStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("matching outcome transition")
        verbose_name_plural = _("matching outcome transitions")


@pghistory.track()
class CreditCultivation(models.Model):
    """A firm's place on the provincial credit-cultivation list (信用培育名单), §二(六)14 of
    the 2018 plan; the plan counts these firms against its target of 300 by 2020."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="credit_cultivation",
    )
    admitted_on = models.DateField(_("admitted on"))
    note = models.TextField(_("note"), blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("admitted by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit cultivation")
        verbose_name_plural = _("credit cultivation list")
        ordering = ["-admitted_on", "-id"]

    def __str__(self):
        return f"{self.enterprise} · {self.admitted_on}"


@pghistory.track()
class CreditRating(models.Model):
    """A firm's credit star rating (信用星级) of one year, and the body that rated it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="credit_ratings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"), choices=CreditStars.choices)
    rating_body = models.CharField(_("rating body"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit rating")
        verbose_name_plural = _("credit ratings")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="%(app_label)s_%(class)s_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5),
                name="%(app_label)s_%(class)s_stars_range",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year} · {self.get_stars_display()}"
