from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSetKind(models.TextChoices):
    """Which tier of the 2022 gradient-cultivation rules a rule set decides."""

    INNOVATIVE = "innovative", _("Innovative SME evaluation")  # 创新型中小企业评价
    ZJTX = "zjtx", _("专精特新 SME recognition")  # 专精特新中小企业认定
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
