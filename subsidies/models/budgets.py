import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Region
from subsidies.choices import FundingSource
from subsidies.querysets import AllocationQuerySet, ProvinceOnlyQuerySet

from .programs import MONEY


@pghistory.track()
class Budget(models.Model):
    """The money of one year from one funding source; ``allocated`` is what the cities'
    blocks (资金切块) take of it, kept by the services under a row lock."""

    year = models.PositiveSmallIntegerField(_("year"))
    funding_source = models.CharField(
        _("funding source"), max_length=12, choices=FundingSource.choices
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    allocated = models.DecimalField(_("allocated (yuan)"), **MONEY, default=0)
    document = models.CharField(_("budget document"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProvinceOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "funding_source"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "funding_source"], name="%(app_label)s_%(class)s_one_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(allocated__gte=0, allocated__lte=models.F("amount")),
                name="%(app_label)s_%(class)s_allocated_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_funding_source_display()}"

    @property
    def unallocated(self):
        return self.amount - self.allocated


@pghistory.track()
class Allocation(models.Model):
    """A city's block of one budget. Approved entitlements reserve from it, an approved batch
    commits, a payment moves the money to paid; the three never pass the amount."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="allocations"
    )
    city = models.ForeignKey(
        Region, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reserved = models.DecimalField(_("reserved (yuan)"), **MONEY, default=0)
    committed = models.DecimalField(_("committed (yuan)"), **MONEY, default=0)
    paid = models.DecimalField(_("paid (yuan)"), **MONEY, default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["budget", "city__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "city"], name="%(app_label)s_%(class)s_one_per_city"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0, committed__gte=0, paid__gte=0),
                name="%(app_label)s_%(class)s_parts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    amount__gte=models.F("reserved") + models.F("committed") + models.F("paid")
                ),
                name="%(app_label)s_%(class)s_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.budget} · {self.city}"

    @property
    def remaining(self):
        return self.amount - self.reserved - self.committed - self.paid
