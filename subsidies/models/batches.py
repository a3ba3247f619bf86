import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gansu_sme.models import TransitionRecord, from_status_field, to_status_field, verb_field
from subsidies.choices import BatchStatus, BatchVerb
from subsidies.querysets import BatchItemQuerySet, ProvinceOnlyQuerySet

from .accounts import ReceivingAccount
from .awards import Entitlement
from .programs import MONEY


@pghistory.track()
class PaymentBatch(models.Model):
    """Entitlements paid together by one bank transfer file, made by one finance officer and
    approved by another."""

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Only the maker changes and submits a batch; recorded so four eyes hold on approval too.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)

    objects = ProvinceOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=BatchStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            # Four eyes: the approver is never the maker.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("created_by")),
                name="%(app_label)s_%(class)s_approver_not_maker",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("submitted_by")),
                name="%(app_label)s_%(class)s_approver_not_submitter",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=BatchStatus.PAID)
                | (~models.Q(bank_reference="") & models.Q(paid_on__isnull=False)),
                name="%(app_label)s_%(class)s_paid_has_bank_reference",
            ),
        ]

    def __str__(self):
        return self.title


@pghistory.track()
class BatchItem(models.Model):
    """An entitlement in a batch; ``is_open`` follows the batch (false once it is paid or
    cancelled), so the partial unique index keeps an entitlement in one open batch at most."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="items"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.PROTECT,
        related_name="batch_items",
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    # The payee's confirmed account when the item was added: what the approver approves and
    # the bank file pays into. Empty only on items made before accounts were kept.
    account = models.ForeignKey(
        ReceivingAccount, verbose_name=_("receiving account"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    is_open = models.BooleanField(_("in an open batch"), default=True)

    objects = BatchItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement"],
                condition=models.Q(is_open=True),
                name="%(app_label)s_%(class)s_one_open_batch",
            ),
            models.UniqueConstraint(
                fields=["batch", "entitlement"], name="%(app_label)s_%(class)s_once_per_batch"
            ),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.entitlement_id}"


class BatchTransition(TransitionRecord):
    """One change of a batch's status: who, from, to, why, when."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("batch"), on_delete=models.PROTECT,
        related_name="transitions",
    )
    verb = verb_field(BatchVerb)
    from_status = from_status_field(BatchStatus)
    to_status = to_status_field(BatchStatus)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("batch transition")
        verbose_name_plural = _("batch transitions")
