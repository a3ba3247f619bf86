import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from subsidies.choices import Payee, ProgramKind

MONEY = {"max_digits": 14, "decimal_places": 2}


@pghistory.track()
class Program(models.Model):
    """A subsidy the province pays, kept as data: its amount, legal basis and years are edited,
    never coded. A program without an amount (project support) is decided per project."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=ProgramKind.choices, unique=True)
    payee = models.CharField(_("payee"), max_length=12, choices=Payee.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), **MONEY, null=True, blank=True,
        help_text=_("Per firm, or per net new firm for the city reward; empty when decided per "
                    "project."),
    )
    once_per_firm = models.BooleanField(_("once per firm"), default=False)
    legal_basis = models.CharField(_("legal basis (document number)"), max_length=100)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy program")
        verbose_name_plural = _("subsidy programs")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(last_year__isnull=True)
                | models.Q(last_year__gte=models.F("first_year")),
                name="%(app_label)s_%(class)s_years_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def runs_in(self, year):
        return (
            self.is_active
            and self.first_year <= year
            and (self.last_year is None or year <= self.last_year)
        )


@pghistory.track()
class ProgramPair(models.Model):
    """Two programs whose awards to one firm may be combined (the plan's default) or not: with
    ``highest_only`` (就高不重复) the later award pays only the difference (差额补齐)."""

    first = models.ForeignKey(
        Program, verbose_name=_("first program"), on_delete=models.PROTECT, related_name="+"
    )
    second = models.ForeignKey(
        Program, verbose_name=_("second program"), on_delete=models.PROTECT, related_name="+"
    )
    highest_only = models.BooleanField(_("highest only, pay the difference"), default=False)

    class Meta:
        verbose_name = _("program pair")
        verbose_name_plural = _("program pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="%(app_label)s_%(class)s_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.first} / {self.second}"
