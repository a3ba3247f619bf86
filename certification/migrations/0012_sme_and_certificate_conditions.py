"""Eligibility as the 2022 rules state it, in the rule data:

- 专精特新 and innovative-SME applicants must be SMEs (优质中小企业梯度培育管理暂行办法: 中小企业
  as 工信部联企业〔2011〕300号 classes them): a basic condition C0 reading the size class from the
  verified prior-year figures (metric ``is_sme``) joins those rule sets;
- a 小巨人 applicant's provincial 专精特新 recognition (C1) is read from the registry's own
  certificates (metric ``zjtx_certificate_valid``), no longer entered by hand;
- years in the niche market count from the start date the enterprise declares with evidence
  (declared figure ``niche_market_since``), not from the founding date: the descriptions say so.
"""

from django.db import migrations
from django.db.models import Max

SME_RULESETS = ("miit-2022-innovative", "miit-2022-zjtx", "gansu-2026-zjtx")

SME_CONDITION = {
    "code": "C0",
    "kind": "basic_condition",
    "mode": "automatic",
    "group": "basic",
    "title": "属于中小企业：按《中小企业划型标准规定》（工信部联企业〔2011〕300号），"
             "以已核实的上年度数据划型为中型、小型或微型企业",
    "title_en": "A small or medium enterprise: medium, small or micro under the 2011 size"
                " standard, from the verified prior-year figures",
    "description": "按从业人员、营业收入、资产总额划型；大型企业不符合。划型标准未覆盖的行业"
                   "（铁路运输业、金融业）无法自动判定。",
    "description_en": "Classed by employees, operating revenue and total assets; a large"
                      " enterprise does not qualify. Industries the standard does not class"
                      " (railway transport, finance) cannot be decided automatically.",
    "criteria": {"metric": "is_sme", "op": "==", "value": True},
}

CERTIFICATE = {
    "mode": "automatic",
    "criteria": {"metric": "zjtx_certificate_valid", "op": "==", "value": True},
    "description": "以本系统登记的省级专精特新中小企业证书为准：状态有效且在有效期内。",
    "description_en": "Read from the registry: a provincial SRDI certificate that is valid"
                      " and within its term.",
}

NICHE = {
    "以企业成立日期计至上年末，须已登记细分市场。": (
        "以企业申报的细分市场起始日期（须附证明材料）计至上年末，须已登记细分市场。",
        "Counted from the niche-market start date the enterprise declares with evidence to the"
        " end of the prior year; the niche market must be recorded.",
    ),
    "每满2年得1分，最高5分；以企业成立日期计至上年末。": (
        "每满2年得1分，最高5分；以企业申报的细分市场起始日期（须附证明材料）计至上年末。",
        "1 point per full 2 years, at most 5; counted from the niche-market start date the"
        " enterprise declares with evidence to the end of the prior year.",
    ),
}


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("certification", "RuleSet")
    RuleItem = apps.get_model("certification", "RuleItem")
    for ruleset in RuleSet.objects.filter(code__in=SME_RULESETS):
        if RuleItem.objects.filter(ruleset=ruleset, code="C0").exists():
            continue
        # Placed after the items the 2022 seed numbered, which keep their positions.
        last = RuleItem.objects.filter(ruleset=ruleset).aggregate(last=Max("position"))["last"]
        RuleItem.objects.create(ruleset=ruleset, position=(last or 0) + 1, metric="",
                                max_points=None, bands=[], alternatives=[], waives="",
                                **SME_CONDITION)
    RuleItem.objects.filter(
        ruleset__code="miit-2022-little-giant", code="C1", mode="manual"
    ).update(**CERTIFICATE)
    for old, (new, new_en) in NICHE.items():
        RuleItem.objects.filter(description=old).update(description=new, description_en=new_en)


class Migration(migrations.Migration):
    dependencies = [("certification", "0011_ruleset_periods")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
