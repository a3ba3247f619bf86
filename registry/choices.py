from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Role
from gansu_sme.workflow import Act


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")  # 省
    PREFECTURE = "prefecture", _("Prefecture")  # 市州（含兰州新区）
    COUNTY = "county", _("County")  # 县区


class SizeClass(models.TextChoices):
    """Size class under the 2011 standard, derived from verified annual figures."""

    LARGE = "large", _("Large")  # 大型
    MEDIUM = "medium", _("Medium")  # 中型
    SMALL = "small", _("Small")  # 小型
    MICRO = "micro", _("Micro")  # 微型


class PeriodKind(models.TextChoices):
    YEAR = "year", pgettext_lazy("period kind", "Year")  # 年报
    QUARTER = "quarter", pgettext_lazy("period kind", "Quarter")  # 季报
    MONTH = "month", pgettext_lazy("period kind", "Month")  # 月报


class ReportStatus(models.TextChoices):
    """Life of a monitoring report (运行监测报表)."""

    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted")  # 已报送
    VERIFIED = "verified", _("Verified")  # 已核实
    RETURNED = "returned", _("Returned")  # 已退回
    SUPERSEDED = "superseded", _("Superseded by a correction")  # 已被更正


class ReportVerb(models.TextChoices):
    FILE = "file", _("Fill in")  # 填报
    SUBMIT = "submit", _("Submit")  # 报送
    VERIFY = "verify", _("Verify")  # 核实
    RETURN = "return", _("Return")  # 退回
    SUPERSEDE = "supersede", _("Supersede by a correction")  # 被更正取代


REPORT_FILER_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF})
# Narrowed by registry.policies.report_verifiable_by to staff bound to the enterprise's own
# region (county staff of its county, or staff of a prefecture unit without counties).
REPORT_VERIFIER_ROLES = frozenset({Role.COUNTY_STAFF, Role.CITY_STAFF})
# status → {verb: status reached}. SUPERSEDED is reached only when a correction of a verified
# report is itself verified; it is never a user's choice.
REPORT_TRANSITIONS = {
    ReportStatus.DRAFT: {ReportVerb.SUBMIT: ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {
        ReportVerb.VERIFY: ReportStatus.VERIFIED,
        ReportVerb.RETURN: ReportStatus.RETURNED,
    },
    ReportStatus.RETURNED: {ReportVerb.SUBMIT: ReportStatus.SUBMITTED},
    ReportStatus.VERIFIED: {ReportVerb.SUPERSEDE: ReportStatus.SUPERSEDED},
    ReportStatus.SUPERSEDED: {},
}
REPORT_ACTS = {
    ReportStatus.DRAFT: (Act(REPORT_FILER_ROLES),),
    ReportStatus.RETURNED: (Act(REPORT_FILER_ROLES),),
    ReportStatus.SUBMITTED: (Act(REPORT_VERIFIER_ROLES),),
    ReportStatus.VERIFIED: (Act(REPORT_VERIFIER_ROLES, waits=False),),
}
# States in which the figures may still be edited by the filing side.
REPORT_EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
# At most one report per enterprise and period is in one of these states at a time.
REPORT_OPEN = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


class PoolKind(models.TextChoices):
    ZJTX = "zjtx", _("SRDI cultivation pool")  # 专精特新培育库
    SCALE_UP = "scale_up", _("Below-to-above-scale pool")  # 规下转规上培育库


class PoolTrack(models.TextChoices):
    """What a 专精特新 pool entry is being cultivated towards (2023 Gansu measures)."""

    INNOVATIVE = "innovative", _("Innovative SME")  # 创新型中小企业
    ZJTX = "zjtx", _("SRDI SME")  # 专精特新中小企业
    LITTLE_GIANT = "little_giant", _("Little giant candidate")  # 专精特新"小巨人"


class PoolTier(models.TextChoices):
    """Which level of government keeps the entry (省市县分级)."""

    COUNTY = "county", _("County tier")  # 县级库
    CITY = "city", _("City tier")  # 市级库
    PROVINCE = "province", _("Province tier")  # 省级库


# The tier above each tier, for promotion.
NEXT_TIER: dict[str, PoolTier] = {PoolTier.COUNTY: PoolTier.CITY, PoolTier.CITY: PoolTier.PROVINCE}


class PoolEntryStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("pool entry status", "Active")  # 在库
    PROMOTED = "promoted", pgettext_lazy("pool entry status", "Promoted")  # 已晋级
    GRADUATED = "graduated", pgettext_lazy("pool entry status", "Graduated")  # 已毕业
    REMOVED = "removed", pgettext_lazy("pool entry status", "Removed")  # 已出库


class PoolEntryVerb(models.TextChoices):
    ADMIT = "admit", _("Admit")  # 入库
    PROMOTE = "promote", _("Promote")  # 晋级
    GRADUATE = "graduate", _("Graduate")  # 毕业
    REMOVE = "remove", _("Remove from the pool")  # 出库


POOL_ENTRY_TRANSITIONS = {
    PoolEntryStatus.ACTIVE: {
        PoolEntryVerb.PROMOTE: PoolEntryStatus.PROMOTED,
        PoolEntryVerb.GRADUATE: PoolEntryStatus.GRADUATED,
        PoolEntryVerb.REMOVE: PoolEntryStatus.REMOVED,
    },
    PoolEntryStatus.PROMOTED: {},
    PoolEntryStatus.GRADUATED: {},
    PoolEntryStatus.REMOVED: {},
}
_CLOSE = frozenset({PoolEntryVerb.GRADUATE, PoolEntryVerb.REMOVE})
# The tier that keeps a list decides on its entries, and so may any tier above it; promotion is
# the next tier's decision. An entry waits for nobody: the pool is worked at the officials' pace.
POOL_ENTRY_ACTS = {
    PoolEntryStatus.ACTIVE: (
        Act({Role.CITY_STAFF}, {PoolEntryVerb.PROMOTE}, {"tier": PoolTier.COUNTY}, waits=False),
        Act({Role.PROVINCIAL_REVIEWER}, {PoolEntryVerb.PROMOTE}, {"tier": PoolTier.CITY},
            waits=False),
        Act({Role.COUNTY_STAFF, Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER}, _CLOSE,
            {"tier": PoolTier.COUNTY}, waits=False),
        Act({Role.CITY_STAFF, Role.PROVINCIAL_REVIEWER}, _CLOSE, {"tier": PoolTier.CITY},
            waits=False),
        Act({Role.PROVINCIAL_REVIEWER}, _CLOSE, {"tier": PoolTier.PROVINCE}, waits=False),
    ),
}


class ScaleUpCategory(models.TextChoices):
    """Working categories of the 规下转规上 pool (2018 plan: 保、增、长、返、补)."""

    KEEP = "keep", _("Keep above scale")  # 保：守住临界的规上企业
    ADD = "add", _("New capacity")  # 增：新建投产、新增产能
    GROW = "grow", _("Grow into scale")  # 长：成长中的规下企业
    RETURN = "return", _("Return to scale")  # 返：退规企业重返
    FILL = "fill", _("Register in statistics")  # 补：达标未入统企业补录


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Open")  # 待解决
    IN_PROGRESS = "in_progress", _("In progress")  # 推进中
    RESOLVED = "resolved", _("Resolved")  # 已解决


class TargetMetric(models.TextChoices):
    """What a yearly target counts (目标任务)."""

    POOL_COUNTY = "pool_county", _("Pool entries, county tier")
    POOL_CITY = "pool_city", _("Pool entries, city tier")
    POOL_PROVINCE = "pool_province", _("Pool entries, province tier")
    POOL_SCALE_UP = "pool_scale_up", _("Below-to-above-scale pool entries")
    NET_NEW_ABOVE_SCALE = "net_new_above_scale", _("Net new above-scale firms")
    CERTIFIED = "certified", _("Provincially certified SRDI firms")
    LITTLE_GIANT = "little_giant", _("National little giants")


class PlanMetric(models.TextChoices):
    """What a target of a multi-year plan measures (the 2018 plan's §一(二))."""

    ABOVE_SCALE_FIRMS = "above_scale_firms", _("Above-scale industrial firms")
    NEW_ABOVE_SCALE = "new_above_scale", _("New above-scale industrial firms over the plan")
    POOL_FIRMS = "pool_firms", _("Firms in the SRDI cultivation pool")
    CERTIFIED = "certified", _("Provincially certified SRDI firms")
    LITTLE_GIANTS = "little_giants", _("Little giants cultivated")
    RECOMMENDED = "recommended", _("Firms recommended for national little giant recognition")
    RD_ABOVE_SCALE = "rd_above_scale", _("R&D spending of above-scale industrial SMEs")
    RD_SRDI = "rd_srdi", _("R&D spending of SRDI SMEs")
    DIGITAL_RD_TOOLS = "digital_rd_tools", _("Above-scale SMEs using digital R&D design tools")
    CNC_RATIO = "cnc_ratio", _("CNC ratio of key processes of above-scale SMEs")
    VALUE_ADDED_SHARE = "value_added_share", _(
        "Share of above-scale industrial SMEs in above-scale industrial value added"
    )
    # §一(二)6; counted by the financing app (financing.selectors.credit_cultivated_figure).
    CREDIT_CULTIVATED = "credit_cultivated", _("SMEs in credit cultivation")


class ImportKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("Enterprises")
    MONITORING = "monitoring", _("Monitoring reports")
    POOL = "pool", _("Pool entries")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Validating")  # 校验中
    INVALID = "invalid", _("Has errors")  # 有错误
    READY = "ready", _("Ready to import")  # 待确认
    IMPORTING = "importing", _("Importing")  # 导入中
    DONE = "done", _("Imported")  # 已导入
    FAILED = "failed", pgettext_lazy("import status", "Failed")  # 失败
    # The file as a whole cannot be used (not the template, no rows, unreadable).
    REFUSED = "refused", pgettext_lazy("import status", "Refused")  # 已拒收
