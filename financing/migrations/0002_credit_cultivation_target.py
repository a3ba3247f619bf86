"""The 2018 plan's target for credit cultivation (§一(二)6), tracked with its other targets:
at least 300 small and micro firms in credit cultivation by the end of 2020."""

from decimal import Decimal

from django.db import migrations

DOCUMENT = "甘工信发〔2018〕551号"
METRIC = "credit_cultivated"


def load(apps, schema_editor):
    Plan = apps.get_model("registry", "Plan")
    PlanTarget = apps.get_model("registry", "PlanTarget")
    plan = Plan.objects.filter(document=DOCUMENT).first()
    if plan is None:
        return
    PlanTarget.objects.get_or_create(
        plan=plan, metric=METRIC,
        defaults={"value": Decimal(300), "due_year": 2020, "clause": "一(二)6",
                  "wording": "到2020年末,甘肃省信用培育中小微企业达到300家以上"},
    )


def unload(apps, schema_editor):
    apps.get_model("registry", "PlanTarget").objects.filter(
        plan__document=DOCUMENT, metric=METRIC
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0001_initial"),
        ("registry", "0015_credit_cultivated_metric"),
    ]

    operations = [migrations.RunPython(load, unload)]
