"""Statuses, kinds and transition tables of the subsidy app; no status string appears elsewhere."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from gansu_sme.workflow import Act


class ProgramKind(models.TextChoices):
    """What earns an award under a program; the event that creates its entitlements."""

    PROVINCIAL_CERTIFICATE = "provincial_certificate", _("Provincial certification award")
    NATIONAL_CERTIFICATE = "national_certificate", _("National little giant award")
    CITY_SCALE_UP = "city_scale_up", _("City reward per net new above-scale firm")
    PROJECT = "project", _("Project-based special support")


class Payee(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    CITY = "city", _("City")


class FundingSource(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial special fund")  # 省级财政专项资金
    CENTRAL = "central", _("Central transfer payment")  # 中央财政转移支付


class EntitlementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")  # 待审核
    APPROVED = "approved", _("Approved")  # 已审核（已预留资金）
    PAID = "paid", _("Paid")  # 已拨付
    RECOVERY_DUE = "recovery_due", _("Recovery due")  # 应追回
    RECOVERED = "recovered", _("Recovered")  # 已追回
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


class EntitlementVerb(models.TextChoices):
    EARN = "earn", _("Earned")  # 产生奖补资格
    APPROVE = "approve", _("Approve")  # 审核通过
    PAY = "pay", _("Mark as paid")  # 拨付
    CANCEL = "cancel", _("Cancel")  # 取消
    CLAW_BACK = "claw_back", _("Claim back")  # 应追回
    RECOVER = "recover", _("Record a repayment")  # 登记追回
    # Only a city reward recomputed above zero reopens (city_rewards._settle_entitlement).
    REOPEN = "reopen", _("Reopen")  # 重新计算后恢复
    RECOMPUTE = "recompute", _("Recompute")  # 重新计算


E, EV = EntitlementStatus, EntitlementVerb
# status → {verb: status reached}. RECOMPUTE keeps the status: a city reward's amount follows
# its recomputation while the award waits.
ENTITLEMENT_TRANSITIONS = {
    E.PENDING: {EV.APPROVE: E.APPROVED, EV.CANCEL: E.CANCELLED, EV.RECOMPUTE: E.PENDING},
    E.APPROVED: {EV.PAY: E.PAID, EV.CANCEL: E.CANCELLED, EV.RECOMPUTE: E.APPROVED},
    E.PAID: {EV.CLAW_BACK: E.RECOVERY_DUE},
    E.RECOVERY_DUE: {EV.RECOVER: E.RECOVERED},
    E.RECOVERED: {},
    E.CANCELLED: {EV.REOPEN: E.PENDING},
}
_FINANCE = frozenset({Role.FINANCE_OFFICER})
# Finance officers decide awards: approve what is pending, put approved ones in a batch, record
# what comes back on a recovery. The system (an event, the nightly reconcile) claws back.
ENTITLEMENT_ACTS = {
    E.PENDING: (Act(_FINANCE),),
    # An approved award waits to be put in a batch; in an open batch, the batch waits instead.
    E.APPROVED: (Act(_FINANCE, inbox=lambda user: ~Q(batch_items__is_open=True)),),
    E.PAID: (Act(_FINANCE, waits=False),),
    E.RECOVERY_DUE: (Act(_FINANCE),),
    E.CANCELLED: (Act(_FINANCE, waits=False),),
}
del E, EV
# Statuses in which the money has left the treasury.
PAID_STATUSES = frozenset(
    {EntitlementStatus.PAID, EntitlementStatus.RECOVERY_DUE, EntitlementStatus.RECOVERED}
)


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted")  # 已提交
    APPROVED = "approved", _("Approved")  # 已审批
    PAID = "paid", _("Paid")  # 已支付
    CANCELLED = "cancelled", _("Cancelled")  # 已作废


class BatchVerb(models.TextChoices):
    SUBMIT = "submit", _("Submit for approval")
    APPROVE = "approve", _("Approve")
    PAY = "pay", _("Mark as paid")
    CANCEL = "cancel", _("Cancel")


# status -> {verb: next status}; buttons and API actions come from this table.
BATCH_TRANSITIONS = {
    BatchStatus.DRAFT: {
        BatchVerb.SUBMIT: BatchStatus.SUBMITTED,
        BatchVerb.CANCEL: BatchStatus.CANCELLED,
    },
    BatchStatus.SUBMITTED: {
        BatchVerb.APPROVE: BatchStatus.APPROVED,
        BatchVerb.CANCEL: BatchStatus.CANCELLED,
    },
    BatchStatus.APPROVED: {
        BatchVerb.PAY: BatchStatus.PAID,
        BatchVerb.CANCEL: BatchStatus.CANCELLED,
    },
    BatchStatus.PAID: {},
    BatchStatus.CANCELLED: {},
}
# The maker builds and submits a draft, another officer approves it and marks it paid (four
# eyes, checked on the batch by the services).
BATCH_ACTS = {
    BatchStatus.DRAFT: (Act(_FINANCE, inbox=lambda user: Q(created_by=user)),),
    BatchStatus.SUBMITTED: (
        Act(_FINANCE, inbox=lambda user: ~Q(created_by=user) & ~Q(submitted_by=user)),
    ),
    BatchStatus.APPROVED: (Act(_FINANCE),),
}
OPEN_BATCH_STATUSES = frozenset({BatchStatus.DRAFT, BatchStatus.SUBMITTED, BatchStatus.APPROVED})


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # 已申报
    VOUCHED = "vouched", _("Vouched for by the city")  # 市州已审核
    APPROVED = "approved", _("Approved")  # 省级已批准
    REJECTED = "rejected", _("Rejected")  # 未批准


class ProjectVerb(models.TextChoices):
    SUBMIT = "submit", _("Put forward")  # 申报
    VOUCH = "vouch", _("Vouch for compliance and authenticity")
    APPROVE = "approve", _("Approve an amount")
    REJECT = "reject", _("Reject")


PROJECT_TRANSITIONS = {
    ProjectStatus.SUBMITTED: {
        ProjectVerb.VOUCH: ProjectStatus.VOUCHED,
        ProjectVerb.REJECT: ProjectStatus.REJECTED,
    },
    ProjectStatus.VOUCHED: {
        ProjectVerb.APPROVE: ProjectStatus.APPROVED,
        ProjectVerb.REJECT: ProjectStatus.REJECTED,
    },
    ProjectStatus.APPROVED: {},
    ProjectStatus.REJECTED: {},
}
# The city vouches for what its counties put forward (城市/县区工信部门), the province decides.
PROJECT_ACTS = {
    ProjectStatus.SUBMITTED: (Act({Role.CITY_STAFF}),),
    ProjectStatus.VOUCHED: (Act(_FINANCE),),
}


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")  # 待复核
    CONFIRMED = "confirmed", _("Confirmed")  # 已复核（在用）
    SUPERSEDED = "superseded", _("Superseded")  # 已停用（被新账户替代）
    REJECTED = "rejected", _("Rejected")  # 复核未通过


class AccountVerb(models.TextChoices):
    RECORD = "record", _("Record")  # 登记
    CONFIRM = "confirm", _("Confirm")  # 复核确认
    REJECT = "reject", _("Reject")  # 退回
    SUPERSEDE = "supersede", _("Supersede")  # 被新账户替代


# A receiving account is recorded by one finance officer and confirmed by another before any
# payment uses it; confirming a new one supersedes the payee's previous account.
ACCOUNT_TRANSITIONS = {
    AccountStatus.PENDING: {
        AccountVerb.CONFIRM: AccountStatus.CONFIRMED,
        AccountVerb.REJECT: AccountStatus.REJECTED,
    },
    AccountStatus.CONFIRMED: {AccountVerb.SUPERSEDE: AccountStatus.SUPERSEDED},
    AccountStatus.SUPERSEDED: {},
    AccountStatus.REJECTED: {},
}
ACCOUNT_ACTS = {
    # Waits for another finance officer than the one who recorded it (four eyes).
    AccountStatus.PENDING: (Act(_FINANCE, inbox=lambda user: ~Q(recorded_by=user)),),
    AccountStatus.CONFIRMED: (Act(_FINANCE, waits=False),),
}
