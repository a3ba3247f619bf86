import datetime

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from subsidies.choices import Payee, ProgramKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProgramQuerySet(models.QuerySet):
    def valid_on(self, kind, day):
        """The program of ``kind`` valid on ``day`` (the day an award is earned), or None:
        at most one row per kind covers a year (the exclusion constraint)."""
        return self.filter(
            models.Q(last_year__isnull=True) | models.Q(last_year__gte=day.year),
            kind=kind, is_active=True, first_year__lte=day.year,
        ).first()


def _years(first, last):
    """The closed range of years ``[first, last]``; an open end runs to 9999."""
    return Func(first, Coalesce(last, Value(9999)), Value("[]"), function="int4range")


@pghistory.track()
class Program(models.Model):
    """A subsidy the province pays, kept as data: its amount, legal basis and validity are
    edited, never coded. A program without an amount (project support) is decided per project.

    A row is valid from ``first_year`` to ``last_year`` (open when empty), the years of the
    plan that funds it: the 2018 plan's programs run 2018–2020, and a later plan's are new rows
    of the same kind, never overlapping. An award is made under the row valid on the day it is
    earned (``valid_on``).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=ProgramKind.choices)
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

    objects = ProgramQuerySet.as_manager()

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
            ExclusionConstraint(
                name="%(app_label)s_%(class)s_one_per_kind_and_year",
                expressions=[
                    (F("kind"), RangeOperators.EQUAL),
                    (_years(F("first_year"), F("last_year")), RangeOperators.OVERLAPS),
                ],
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

    def valid_on(self, day: datetime.date) -> bool:
        return self.runs_in(day.year)


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
