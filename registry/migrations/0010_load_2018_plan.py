"""The targets of the 2018–2020 implementation plan (甘工信发〔2018〕551号, §一(二) 主要目标),
loaded as data: each with the clause and the plan's own words, due at the end of 2020."""

import datetime
from decimal import Decimal

from django.db import migrations

DOCUMENT = "甘工信发〔2018〕551号"
TITLE = "甘肃省推动中小企业“专精特新”高质量发展实施方案（2018—2020年）"
DUE = 2020
TARGETS = (
    # metric, value, clause, wording
    ("above_scale_firms", "2400", "一(二)1", "规模以上工业企业数达到2400户以上"),
    ("new_above_scale", "500", "一(二)1", "全省3年累计新增规模以上工业企业500户以上"),
    ("pool_firms", "1000", "一(二)1", "培育1000家“专精特新”入库中小企业"),
    ("certified", "200", "一(二)1", "认定省级“专精特新”中小企业200家以上"),
    ("little_giants", "10", "一(二)1", "培育细分领域“行业小巨人”10家以上"),
    ("recommended", "5", "一(二)1", "推荐认定国家细分领域“行业小巨人”企业5户以上"),
    ("value_added_share", "30", "一(二)1",
     "全省规模以上工业中小企业增加值占全部规模以上工业增加值的比重达到30%以上"),
    ("digital_rd_tools", "50", "一(二)3", "规模以上中小企业数字化研发设计工具普及率达到50%"),
    ("cnc_ratio", "50", "一(二)3", "关键工序数控化率达到50%"),
    ("rd_above_scale", "1.5", "一(二)4",
     "全省规模以上工业中小企业研发支出占主营业务收入达到1.5%以上"),
    ("rd_srdi", "3", "一(二)4", "“专精特新”中小企业的研发支出占主营业务收入达到3%以上"),
)


def load(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    Plan = apps.get_model("registry", "Plan")
    PlanTarget = apps.get_model("registry", "PlanTarget")
    plan, _created = Plan.objects.get_or_create(
        document=DOCUMENT,
        defaults={"title": TITLE, "region": Region.objects.get(code="620000"),
                  "issued_on": datetime.date(2018, 11, 22), "first_year": 2018,
                  "last_year": DUE},
    )
    for metric, value, clause, wording in TARGETS:
        PlanTarget.objects.get_or_create(
            plan=plan, metric=metric,
            defaults={"value": Decimal(value), "due_year": DUE, "clause": clause,
                      "wording": wording},
        )


def unload(apps, schema_editor):
    Plan = apps.get_model("registry", "Plan")
    PlanTarget = apps.get_model("registry", "PlanTarget")
    PlanTarget.objects.filter(plan__document=DOCUMENT).delete()
    Plan.objects.filter(document=DOCUMENT).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_plans")]

    operations = [migrations.RunPython(load, unload)]
