import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import rubric
from certification.choices import ItemKind, ItemMode, Outcome, RuleSetKind
from certification.querysets import EvaluationQuerySet
from registry.models import Enterprise


def _points(label, **options):
    return models.DecimalField(label, max_digits=5, decimal_places=1, **options)


@pghistory.track()
class RuleSet(models.Model):
    """One version of the rules that decide a tier, e.g. the MIIT 2022 专精特新 standard.

    The items, bands and pass mark are rows, not code: a revised standard is a new rule set with a
    later effective date, and the old one is deactivated, never deleted, because evaluations
    name the version they used. A rule set is in force from ``effective_from`` to
    ``effective_until`` (both inclusive; no end date: until further notice), and a campaign
    takes the one active rule set of its kind whose period holds its whole filing window
    (``certification.selectors.ruleset_for_campaign``). Rule sets are loaded from files
    (``certification.services.rulesets``).
    """

    code = models.SlugField(_("version code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleSetKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis (document number)"), max_length=200)  # 文号
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until (inclusive)"), null=True, blank=True)
    pass_mark = _points(_("pass mark"), null=True, blank=True)
    # {group: minimum points}, e.g. {"创新能力": 20} for the innovative-SME evaluation.
    group_minimums = models.JSONField(_("group minimums"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                condition=models.Q(is_active=True),
                name="%(app_label)s_%(class)s_one_active_per_kind_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RuleSetKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__isnull=True) | models.Q(pass_mark__gt=0),
                name="%(app_label)s_%(class)s_pass_mark_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="%(app_label)s_%(class)s_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def in_force_on(self, day):
        """Whether ``day`` lies in the rule set's period (activity aside)."""
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def as_rules(self):
        """The rule set as the engine reads it; one query for the items unless prefetched."""
        return rubric.Rules(
            code=self.code,
            kind=self.kind,
            pass_mark=self.pass_mark,
            group_minimums=self.group_minimums,
            items=tuple(item.as_item() for item in self.items.all()),
        )


@pghistory.track()
class RuleItem(models.Model):
    """One basic condition, direct route, scored indicator or veto of a rule set.

    An automatic item is computed from verified monitoring figures and enterprise facts through
    the metric it names; a manual item is entered by a reviewer or expert with evidence. The
    rule data (bands, alternatives, criteria) is described in ``certification.rubric``.
    """

    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("code"), max_length=8)  # e.g. C1, D2, I11, V3
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=ItemMode.choices)
    # The scoring group of an indicator (专业化, 精细化 …) or the group of a condition; a direct
    # route waives the basic conditions of the group it names in ``waives``.
    group = models.CharField(_("group"), max_length=20)
    title = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    max_points = _points(_("maximum points"), null=True, blank=True)
    bands = models.JSONField(_("bands"), default=list, blank=True)
    alternatives = models.JSONField(_("alternative metrics"), default=list, blank=True)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    waives = models.CharField(_("waives group"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("rule item")
        verbose_name_plural = _("rule items")
        ordering = ["ruleset", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ruleset", "code"], name="%(app_label)s_%(class)s_code_unique"
            ),
            models.UniqueConstraint(
                fields=["ruleset", "position"], name="%(app_label)s_%(class)s_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ItemKind.values, mode__in=ItemMode.values),
                name="%(app_label)s_%(class)s_kind_and_mode_valid",
            ),
            models.CheckConstraint(
                # isnull=False too: a NULL comparison would let the check pass.
                condition=models.Q(kind=ItemKind.SCORED, max_points__isnull=False, max_points__gt=0)
                | (~models.Q(kind=ItemKind.SCORED) & models.Q(max_points__isnull=True)),
                name="%(app_label)s_%(class)s_points_only_when_scored",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind=ItemKind.DIRECT_ROUTE) & ~models.Q(waives=""))
                | (~models.Q(kind=ItemKind.DIRECT_ROUTE) & models.Q(waives="")),
                name="%(app_label)s_%(class)s_waives_only_direct_routes",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        errors = rubric.item_errors(self.as_item())
        if errors:
            raise ValidationError(errors)

    def as_item(self):
        return rubric.Item(
            code=self.code,
            kind=self.kind,
            mode=self.mode,
            group=self.group,
            title=self.title,
            title_en=self.title_en,
            metric=self.metric,
            max_points=self.max_points,
            bands=tuple(self.bands),
            alternatives=tuple(self.alternatives),
            criteria=self.criteria or {},
            waives=self.waives,
        )


@pghistory.track()
class Evaluation(models.Model):
    """One run of a rule set over an enterprise's verified figures and manual inputs.

    The version code, each item's verdict or points and the figures behind it are copied into
    the row, so an evaluation explains itself after the rule set or the figures change.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="evaluations"
    )
    ruleset_code = models.CharField(_("rule set version"), max_length=40)
    # The prior year (上年度) whose verified annual report the evaluation looks back from.
    figures_year = models.PositiveSmallIntegerField(_("year of the figures"))
    evaluated_at = models.DateTimeField(_("evaluated at"), default=timezone.now)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    total_points = _points(_("total points"))
    results = models.JSONField(_("item results"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    inputs = models.JSONField(_("manual inputs"), default=dict, blank=True)
    declared_figures = models.JSONField(_("declared figures"), default=dict, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values),
                name="%(app_label)s_%(class)s_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(total_points__gte=0),
                name="%(app_label)s_%(class)s_total_points_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-evaluated_at"], name="cert_eval_enterprise_at"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.ruleset_code} · {self.get_outcome_display()}"
