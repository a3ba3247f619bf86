"""Statuses, verbs and transition tables of the financing workflows (融资需求库, 银企对接)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Role
from gansu_sme.workflow import Act


class NeedKind(models.TextChoices):
    LOAN = "loan", _("Loan")  # 贷款
    EQUITY = "equity", _("Equity")  # 股权融资
    RECEIVABLES = "receivables", _("Receivables financing")  # 应收账款融资
    GUARANTEE = "guarantee", _("Guarantee")  # 担保


class Urgency(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("urgency", "Normal")  # 一般
    URGENT = "urgent", pgettext_lazy("urgency", "Urgent")  # 较急
    CRITICAL = "critical", pgettext_lazy("urgency", "Critical")  # 紧急


class NeedStatus(models.TextChoices):
    """Life of a financing need: filed, put to the banks at matching events, then its outcome."""

    FILED = "filed", pgettext_lazy("financing need status", "Filed")  # 已登记
    MATCHING = "matching", pgettext_lazy("financing need status", "Matching")  # 对接中
    MET = "met", pgettext_lazy("financing need status", "Met")  # 已满足
    UNMET = "unmet", pgettext_lazy("financing need status", "Closed unmet")  # 未满足
    WITHDRAWN = "withdrawn", pgettext_lazy("financing need status", "Withdrawn")  # 已撤回


class NeedVerb(models.TextChoices):
    FILE = "file", _("File")  # 登记
    MATCH = "match", _("Put to a matching event")  # 纳入对接活动
    MEET = "meet", _("Record as met")  # 满足
    CLOSE = "close", _("Close unmet")  # 关闭（未满足）
    WITHDRAW = "withdraw", _("Withdraw")  # 撤回


NEED_FILER_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF})
# The province runs the matching events (银企对接活动) and so moves needs through them.
MATCHING_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})

NEED_TRANSITIONS = {
    NeedStatus.FILED: {
        NeedVerb.MATCH: NeedStatus.MATCHING,
        NeedVerb.WITHDRAW: NeedStatus.WITHDRAWN,
    },
    NeedStatus.MATCHING: {
        NeedVerb.MEET: NeedStatus.MET,
        NeedVerb.CLOSE: NeedStatus.UNMET,
        NeedVerb.WITHDRAW: NeedStatus.WITHDRAWN,
    },
    NeedStatus.MET: {},
    NeedStatus.UNMET: {},
    NeedStatus.WITHDRAWN: {},
}
# A need waits for nobody: the province puts needs to the banks at its events' pace.
NEED_ACTS = {
    NeedStatus.FILED: (
        Act(NEED_FILER_ROLES, {NeedVerb.WITHDRAW}, waits=False),
        Act(MATCHING_ROLES, {NeedVerb.MATCH, NeedVerb.WITHDRAW}, waits=False),
    ),
    NeedStatus.MATCHING: (
        Act(NEED_FILER_ROLES, {NeedVerb.WITHDRAW}, waits=False),
        Act(MATCHING_ROLES, waits=False),
    ),
}
NEED_OPEN = (NeedStatus.FILED, NeedStatus.MATCHING)
NEED_EDITABLE = frozenset({NeedStatus.FILED})


class OutcomeStatus(models.TextChoices):
    """Where a need stands with the banks after a matching event (对接结果)."""

    PENDING = "pending", pgettext_lazy("matching outcome", "Awaiting contact")  # 待对接
    CONTACTED = "contacted", pgettext_lazy("matching outcome", "Contacted")  # 已对接
    IN_REVIEW = "in_review", pgettext_lazy("matching outcome", "In review")  # 审批中
    GRANTED = "granted", pgettext_lazy("matching outcome", "Granted")  # 已放款/已投资
    REFUSED = "refused", pgettext_lazy("matching outcome", "Refused")  # 未获批


class OutcomeVerb(models.TextChoices):
    PUT = "put", _("Put to the event")  # 纳入活动
    CONTACT = "contact", _("Record contact")  # 记录对接
    REVIEW = "review", _("Record review")  # 进入审批
    GRANT = "grant", _("Record grant")  # 记录获批
    REFUSE = "refuse", _("Record refusal")  # 记录未获批


OUTCOME_TRANSITIONS = {
    OutcomeStatus.PENDING: {
        OutcomeVerb.CONTACT: OutcomeStatus.CONTACTED,
        OutcomeVerb.REFUSE: OutcomeStatus.REFUSED,
    },
    OutcomeStatus.CONTACTED: {
        OutcomeVerb.REVIEW: OutcomeStatus.IN_REVIEW,
        OutcomeVerb.GRANT: OutcomeStatus.GRANTED,
        OutcomeVerb.REFUSE: OutcomeStatus.REFUSED,
    },
    OutcomeStatus.IN_REVIEW: {
        OutcomeVerb.GRANT: OutcomeStatus.GRANTED,
        OutcomeVerb.REFUSE: OutcomeStatus.REFUSED,
    },
    OutcomeStatus.GRANTED: {},
    OutcomeStatus.REFUSED: {},
}
OUTCOME_ACTS = {
    status: (Act(MATCHING_ROLES, waits=False),)
    for status in (OutcomeStatus.PENDING, OutcomeStatus.CONTACTED, OutcomeStatus.IN_REVIEW)
}


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("Bank")  # 银行
    GUARANTOR = "guarantor", _("Guarantee company")  # 融资担保机构
    INVESTOR = "investor", _("Investment fund")  # 投资基金/创投
    OTHER = "other", _("Other financial institution")  # 其他


class CreditStars(models.IntegerChoices):
    """信用星级, as the rating bodies award it: one to five stars."""

    ONE = 1, "★"
    TWO = 2, "★★"
    THREE = 3, "★★★"
    FOUR = 4, "★★★★"
    FIVE = 5, "★★★★★"


CREDIT_WRITER_ROLES = frozenset({Role.PROVINCIAL_REVIEWER})
