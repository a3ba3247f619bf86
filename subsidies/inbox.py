"""What subsidies put in everyone's 我的待办 (gansu_sme.inbox): awards to approve, to put in a
batch or to recover, batches to build, approve or mark paid, projects to vouch for or decide,
receiving accounts another finance officer recorded, to confirm."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gansu_sme.inbox import Source
from subsidies.choices import (
    ACCOUNT_ACTS,
    BATCH_ACTS,
    ENTITLEMENT_ACTS,
    PROJECT_ACTS,
    AccountStatus,
    BatchStatus,
    EntitlementStatus,
    ProjectStatus,
)
from subsidies.models import Entitlement, PaymentBatch, ReceivingAccount, SupportProject

SOURCES = (
    Source(
        kind="entitlement",
        label=_("Award"),
        model=Entitlement,
        statuses=EntitlementStatus,
        acts=ENTITLEMENT_ACTS,
        url=lambda row: reverse("subsidies:entitlement-detail", args=[row.pk]),
        describe=lambda row: f"{row.payee_name} · {row.program.name}",
        related=("program",),
    ),
    Source(
        kind="payment_batch",
        label=_("Payment batch"),
        model=PaymentBatch,
        statuses=BatchStatus,
        acts=BATCH_ACTS,
        url=lambda row: reverse("subsidies:batch-detail", args=[row.pk]),
        describe=lambda row: row.title,
    ),
    Source(
        kind="support_project",
        label=_("Support project"),
        model=SupportProject,
        statuses=ProjectStatus,
        acts=PROJECT_ACTS,
        url=lambda row: reverse("subsidies:project-detail", args=[row.pk]),
        describe=lambda row: f"{row.enterprise.name} · {row.title}",
        related=("enterprise",),
    ),
    Source(
        kind="receiving_account",
        label=_("Receiving account"),
        model=ReceivingAccount,
        statuses=AccountStatus,
        acts=ACCOUNT_ACTS,
        url=lambda row: reverse("subsidies:account-detail", args=[row.pk]),
        describe=lambda row: f"{row.enterprise.name if row.enterprise_id else row.city.name}"
        f" · {row.bank_name}",
        related=("enterprise", "city"),
    ),
)
