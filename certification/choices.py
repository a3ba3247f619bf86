from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Role
from gansu_sme.workflow import Act


class RuleSetKind(models.TextChoices):
    """Which tier of the 2022 gradient-cultivation rules a rule set decides."""

    INNOVATIVE = "innovative", _("Innovative SME evaluation")  # 创新型中小企业评价
    ZJTX = "zjtx", _("SRDI SME recognition")  # 专精特新中小企业认定
    LITTLE_GIANT = "little_giant", _("Little giant recognition")  # 专精特新"小巨人"企业认定


class ItemKind(models.TextChoices):
    SCORED = "scored", _("Scored indicator")  # 评分指标
    BASIC_CONDITION = "basic_condition", _("Basic condition")  # 基本条件
    DIRECT_ROUTE = "direct_route", _("Direct route")  # 直通条件
    VETO = "veto", _("Veto")  # 否决项


class ItemMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")  # 由核实的监测数据和企业信息自动计算
    MANUAL = "manual", _("Manual")  # 由审核人员或专家凭材料填报


class Verdict(models.TextChoices):
    """What the engine concluded about one item.

    For a veto, PASS means the circumstance it names is absent and FAIL that it applies, so that
    PASS always means "this item does not stop the enterprise".
    """

    PASS = "pass", _("Met")  # 满足
    FAIL = "fail", _("Not met")  # 不满足
    SCORED = "scored", _("Scored")  # 已评分
    UNKNOWN = "unknown", _("Undecided")  # 待定（缺少数据或人工填报）


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")  # 通过
    FAILED = "failed", _("Failed")  # 未通过
    INCOMPLETE = "incomplete", _("Incomplete")  # 待补充


class CampaignKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial SRDI recognition")  # 省级专精特新认定
    LITTLE_GIANT = "little_giant", _("Little giant recommendation")  # 小巨人推荐
    RE_REVIEW = "re_review", _("Re-review")  # 复核


# The rule set kind each campaign kind evaluates against.
CAMPAIGN_RULESET_KIND = {
    CampaignKind.PROVINCIAL: RuleSetKind.ZJTX,
    CampaignKind.LITTLE_GIANT: RuleSetKind.LITTLE_GIANT,
    CampaignKind.RE_REVIEW: RuleSetKind.ZJTX,
}


class Stage(models.TextChoices):
    """The reviewing stages that carry a deadline in working days."""

    COUNTY_REVIEW = "county_review", _("County review")  # 县区初审
    CITY_RECOMMENDATION = "city_recommendation", _("City recommendation")  # 市州推荐
    PROVINCE_DECISION = "province_decision", _("Province decision")  # 省级审定


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted")  # 已提交
    COUNTY_REVIEWED = "county_reviewed", _("Reviewed by county")  # 县区已初审
    CITY_RECOMMENDED = "city_recommended", _("Recommended by city")  # 市州已推荐
    PROVINCE_ACCEPTED = "province_accepted", _("Accepted by province")  # 省级已受理
    UNDER_EXPERT_REVIEW = "under_expert_review", _("Under expert review")  # 专家评审中
    APPROVED = "approved", _("Approved")  # 审定通过
    REJECTED = "rejected", _("Rejected")  # 未通过
    PUBLIC_NOTICE = "public_notice", _("In public notice")  # 公示中
    CERTIFIED = "certified", _("Certified")  # 已认定
    # A little-giant campaign ends in the province's recommendation, not a provincial certificate.
    RECOMMENDED = "recommended", _("Recommended to the national level")  # 已推荐至工信部
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 已撤回


class Verb(models.TextChoices):
    """What an official does to an application; each is one service and one API action."""

    SUBMIT = "submit", _("Submit")  # 提交
    REVIEW = "review", _("Pass county review")  # 初审通过
    RECOMMEND = "recommend", _("Recommend to the province")  # 推荐
    ACCEPT = "accept", _("Accept")  # 受理
    START_EXPERT_REVIEW = "start_expert_review", _("Send to experts")  # 组织专家评审
    APPROVE = "approve", _("Approve")  # 审定通过
    REJECT = "reject", _("Reject")  # 不予通过
    PUBLISH = "publish", _("Publish notice")  # 公示
    CERTIFY = "certify", _("Certify")  # 认定
    CONCLUDE_RECOMMENDATION = "conclude_recommendation", _("Recommend nationally")  # 上报推荐
    UPHOLD_OBJECTION = "uphold_objection", _("Objection upheld")  # 异议成立
    RETURN = "return", _("Return")  # 退回
    WITHDRAW = "withdraw", _("Withdraw")  # 撤回


class FilingLevel(models.TextChoices):
    COUNTY = "county", _("County")  # 县区申报
    CITY = "city", _("City")  # 市州直接申报


def return_target(application):
    """Where a return sends an application: back to the stage of the previous owner."""
    S = ApplicationStatus
    if application.status == S.SUBMITTED:
        return S.DRAFT
    if application.status == S.COUNTY_REVIEWED:
        return S.SUBMITTED
    # From the province back to the city's stage; a city-filed application has no county one.
    if application.filing_level == FilingLevel.CITY:
        return S.SUBMITTED
    return S.COUNTY_REVIEWED


S, V = ApplicationStatus, Verb
# status → {verb: status reached}. RETURN's target depends on who filed (``return_target``).
APPLICATION_TRANSITIONS: dict[str, dict[str, Any]] = {
    S.DRAFT: {V.SUBMIT: S.SUBMITTED, V.WITHDRAW: S.WITHDRAWN},
    # A city-filed application has no county stage: the city recommends it from SUBMITTED.
    S.SUBMITTED: {
        V.REVIEW: S.COUNTY_REVIEWED,
        V.RECOMMEND: S.CITY_RECOMMENDED,
        V.RETURN: return_target,
        V.WITHDRAW: S.WITHDRAWN,
    },
    S.COUNTY_REVIEWED: {
        V.RECOMMEND: S.CITY_RECOMMENDED, V.RETURN: return_target, V.WITHDRAW: S.WITHDRAWN,
    },
    S.CITY_RECOMMENDED: {
        V.ACCEPT: S.PROVINCE_ACCEPTED, V.RETURN: return_target, V.WITHDRAW: S.WITHDRAWN,
    },
    S.PROVINCE_ACCEPTED: {
        V.START_EXPERT_REVIEW: S.UNDER_EXPERT_REVIEW,
        V.REJECT: S.REJECTED,
        V.RETURN: return_target,
    },
    S.UNDER_EXPERT_REVIEW: {V.APPROVE: S.APPROVED, V.REJECT: S.REJECTED},
    S.APPROVED: {V.PUBLISH: S.PUBLIC_NOTICE},
    # REJECT from the notice too: a firm that can no longer be certified when the notice closes
    # (its renewed certificate was revoked meanwhile) is rejected rather than held in notice.
    S.PUBLIC_NOTICE: {
        V.CERTIFY: S.CERTIFIED,
        V.CONCLUDE_RECOMMENDATION: S.RECOMMENDED,
        V.UPHOLD_OBJECTION: S.REJECTED,
        V.REJECT: S.REJECTED,
    },
}

# The role of the side that filed an application, which edits its draft and may withdraw it.
FILER_ROLE: dict[str, Role] = {
    FilingLevel.COUNTY: Role.COUNTY_STAFF, FilingLevel.CITY: Role.CITY_STAFF
}
_COUNTY_FILED = {"filing_level": FilingLevel.COUNTY}
_CITY_FILED = {"filing_level": FilingLevel.CITY}
_WITHDRAW = frozenset({V.WITHDRAW})
# The filing side may withdraw until the province accepts, without the application waiting
# for it once it has moved on.
_FILER_WITHDRAWS = (
    Act({Role.COUNTY_STAFF}, _WITHDRAW, _COUNTY_FILED, waits=False),
    Act({Role.CITY_STAFF}, _WITHDRAW, _CITY_FILED, waits=False),
)
_PROVINCE = (Act({Role.PROVINCIAL_REVIEWER}),)
# Who acts on an application in each status: the filing side on its drafts and before review,
# the city on a county-reviewed one, the province from the city's recommendation on.
APPLICATION_ACTS = {
    S.DRAFT: (
        Act({Role.COUNTY_STAFF}, where=_COUNTY_FILED),
        Act({Role.CITY_STAFF}, where=_CITY_FILED),
    ),
    S.SUBMITTED: (
        Act({Role.COUNTY_STAFF}, {V.REVIEW, V.RETURN, V.WITHDRAW}, _COUNTY_FILED),
        # Only a city-filed application skips the county review.
        Act({Role.CITY_STAFF}, {V.RECOMMEND, V.RETURN, V.WITHDRAW}, _CITY_FILED),
    ),
    S.COUNTY_REVIEWED: (
        Act({Role.CITY_STAFF}, {V.RECOMMEND, V.RETURN}, _COUNTY_FILED),
        *_FILER_WITHDRAWS,
    ),
    S.CITY_RECOMMENDED: (
        Act({Role.PROVINCIAL_REVIEWER}, {V.ACCEPT, V.RETURN}),
        *_FILER_WITHDRAWS,
    ),
    S.PROVINCE_ACCEPTED: _PROVINCE,
    S.UNDER_EXPERT_REVIEW: _PROVINCE,
    S.APPROVED: _PROVINCE,
    S.PUBLIC_NOTICE: _PROVINCE,
}
del S, V

# The stage whose deadline runs while an application waits in a status.
STATUS_STAGE: dict[str, Stage] = {
    ApplicationStatus.SUBMITTED: Stage.COUNTY_REVIEW,
    ApplicationStatus.COUNTY_REVIEWED: Stage.CITY_RECOMMENDATION,
    ApplicationStatus.CITY_RECOMMENDED: Stage.PROVINCE_DECISION,
    ApplicationStatus.PROVINCE_ACCEPTED: Stage.PROVINCE_DECISION,
    ApplicationStatus.UNDER_EXPERT_REVIEW: Stage.PROVINCE_DECISION,
}

APPLICATION_FINAL = frozenset(
    {
        ApplicationStatus.REJECTED,
        ApplicationStatus.CERTIFIED,
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.WITHDRAWN,
    }
)


class AttachmentKind(models.TextChoices):
    PAPER_APPLICATION = "paper_application", _("Enterprise's signed application")  # 企业申报书
    FINANCIAL = "financial", _("Financial statements")  # 财务报表
    IP = "ip", _("Intellectual property")  # 知识产权证明
    EVIDENCE = "evidence", _("Other evidence")  # 其他佐证材料


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")  # 已分配
    DECLARED = "declared", _("No conflict declared")  # 已声明无利益冲突
    SUBMITTED = "submitted", _("Scores submitted")  # 已提交评分
    RECUSED = "recused", _("Recused for conflict")  # 回避


# Sheets still open: assigned, or declared and being scored.
ASSIGNMENT_PENDING = (AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED)


# An expert declares (no conflict of interest) on an assigned sheet, then scores the application.
ASSIGNMENT_ACTS = {
    AssignmentStatus.ASSIGNED: (Act({Role.EXPERT}),),
    AssignmentStatus.DECLARED: (Act({Role.EXPERT}),),
}


class ConflictRule(models.TextChoices):
    """Why an expert may not review an application; the first two always apply."""

    SAME_EMPLOYER = "same_employer", _("Works for the applicant")  # 任职于申报企业
    DECLARED_RELATIONSHIP = "declared_relationship", _("Declared relationship")  # 已申报关联关系
    SAME_COUNTY = "same_county", _("Based in the applicant's county")  # 同一县区
    SAME_PREFECTURE = "same_prefecture", _("Based in the applicant's prefecture")  # 同一市州


ALWAYS_APPLIED_CONFLICT_RULES = (ConflictRule.SAME_EMPLOYER, ConflictRule.DECLARED_RELATIONSHIP)

INACTIVE, ALREADY_ASSIGNED, OTHER_FIELD = "inactive", "already_assigned", "other_field"
# Why an expert was left out of a draw, as the audit record and the draw page name it.
EXCLUSION_LABELS = {
    INACTIVE: _("Not in the pool"),
    ConflictRule.SAME_EMPLOYER: ConflictRule.SAME_EMPLOYER.label,
    ConflictRule.DECLARED_RELATIONSHIP: ConflictRule.DECLARED_RELATIONSHIP.label,
    ConflictRule.SAME_COUNTY: ConflictRule.SAME_COUNTY.label,
    ConflictRule.SAME_PREFECTURE: ConflictRule.SAME_PREFECTURE.label,
    ALREADY_ASSIGNED: _("Already on this panel or recused from it"),
    OTHER_FIELD: _("Field of expertise outside the enterprise's industry"),
}


class NoticeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("notice status", "Open")  # 公示中
    CLOSED = "closed", _("Closed")  # 已结束


class NoticePhase(models.TextChoices):
    """A notice's status read against its dates: what its pages say of it today."""

    SCHEDULED = "scheduled", _("Not yet started")  # 待公示
    RUNNING = "running", _("In public notice")  # 公示中
    LAPSED = "lapsed", _("Notice period over, not yet closed")  # 公示期满，待办结
    CLOSED = "closed", _("Closed")  # 已结束


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待处理
    UPHELD = "upheld", _("Upheld")  # 异议成立
    DISMISSED = "dismissed", _("Dismissed")  # 异议不成立


# The province closes an open notice once it has run, and rules on every objection filed.
NOTICE_ACTS = {NoticeStatus.OPEN: (Act({Role.PROVINCIAL_REVIEWER}),)}
OBJECTION_ACTS = {ObjectionStatus.PENDING: (Act({Role.PROVINCIAL_REVIEWER}),)}


class CertificateLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial SRDI SME")  # 省级专精特新中小企业
    NATIONAL = "national", _("National little giant")  # 国家级专精特新"小巨人"企业


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")  # 有效
    EXPIRED = "expired", _("Expired")  # 已过期
    REVOKED = "revoked", _("Revoked")  # 已撤销


class RevocationReason(models.TextChoices):
    FALSIFIED = "falsified", _("Falsified application")  # 申报材料弄虚作假
    MAJOR_INCIDENT = (
        "major_incident",
        _("Major safety, quality or environmental incident"),
    )  # 重大事故
    RELOCATED = "relocated", _("Moved out of the province")  # 迁出本省
    ANNUAL_UPDATE_FAILED = "annual_update_failed", _("Failed the annual update")  # 未通过年度更新
    ON_REQUEST = "on_request", _("At the enterprise's request")  # 企业主动申请


# Revocations whose paid award must be recovered (issue: clawback).
CLAWBACK_REASONS = frozenset({RevocationReason.FALSIFIED, RevocationReason.MAJOR_INCIDENT})


class RecommendationOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the national decision")  # 待工信部认定
    APPROVED = "approved", _("Recognised nationally")  # 认定通过
    REJECTED = "rejected", _("Not recognised")  # 未通过
