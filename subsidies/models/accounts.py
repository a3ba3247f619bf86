import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from registry.models import Enterprise, Region
from subsidies.choices import AccountStatus, AccountVerb
from subsidies.querysets import ReceivingAccountQuerySet

# Shown of an account number to anyone but a finance officer.
VISIBLE_DIGITS = 4


def masked(number: str) -> str:
    """An account number with all but its last four digits hidden: ``**** 1234``."""
    number = (number or "").replace(" ", "")
    if not number:
        return ""
    return f"**** {number[-VISIBLE_DIGITS:]}"


@pghistory.track()
class ReceivingAccount(models.Model):
    """The bank account a payee is paid into (收款账户): a firm's, or for a city reward the
    city's finance bureau account (市州财政专户). Sensitive: the number is shown in full to
    finance officers only.

    One finance officer records it (from the payee's stamped account form), another confirms it;
    only then may a payment use it. Confirming a new account supersedes the payee's previous
    one, so a payee has at most one confirmed (current) account and every earlier one is kept.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="receiving_accounts",
    )
    city = models.ForeignKey(
        Region, verbose_name=_("city"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # Where the row is scoped: the enterprise's region, or the city.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    account_name = models.CharField(_("account name"), max_length=200)  # 户名
    bank_name = models.CharField(_("bank and branch"), max_length=200)  # 开户行
    account_number = models.CharField(_("account number"), max_length=40)  # 账号
    status = models.CharField(
        _("status"), max_length=12, choices=AccountStatus.choices,
        default=AccountStatus.PENDING,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ReceivingAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("receiving account")
        verbose_name_plural = _("receiving accounts")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enterprise__isnull=True) ^ models.Q(city__isnull=True),
                name="%(app_label)s_%(class)s_one_payee",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AccountStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(status=AccountStatus.CONFIRMED),
                name="%(app_label)s_%(class)s_one_current_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["city"], condition=models.Q(status=AccountStatus.CONFIRMED),
                name="%(app_label)s_%(class)s_one_current_per_city",
            ),
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(status=AccountStatus.PENDING),
                name="%(app_label)s_%(class)s_one_pending_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["city"], condition=models.Q(status=AccountStatus.PENDING),
                name="%(app_label)s_%(class)s_one_pending_per_city",
            ),
            # Four eyes: the confirming officer is never the one who recorded it.
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("recorded_by")),
                name="%(app_label)s_%(class)s_confirmer_not_recorder",
            ),
        ]

    def __str__(self):
        return f"{self.account_name} · {self.bank_name} · {self.masked_number}"

    @property
    def payee(self):
        return self.enterprise or self.city

    @property
    def masked_number(self):
        return masked(self.account_number)


class ReceivingAccountTransition(TransitionRecord):
    """One step of a receiving account (recorded, confirmed, rejected, superseded): who, why,
    when."""

    account = models.ForeignKey(
        ReceivingAccount, verbose_name=_("receiving account"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(AccountVerb)
    from_status = from_status_field(AccountStatus)
    to_status = to_status_field(AccountStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("receiving account transition")
        verbose_name_plural = _("receiving account transitions")
