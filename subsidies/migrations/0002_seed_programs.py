"""The plan's programs (甘工信发〔2018〕551号 §三(二)) as editable data, the provincial/national
pair paying both awards as the plan says, and the nightly reconcile in the beat schedule."""

from decimal import Decimal

from django.db import migrations

LEGAL_BASIS = "甘工信发〔2018〕551号"
PROGRAMS = (
    # code, name, kind, payee, amount (yuan), once per firm
    ("provincial-zjtx", "省级专精特新中小企业认定奖励", "provincial_certificate", "enterprise",
     Decimal("300000.00"), True),
    ("national-little-giant", "国家级专精特新“小巨人”认定奖励", "national_certificate",
     "enterprise", Decimal("500000.00"), True),
    ("city-scale-up", "市州净增规上工业企业奖励", "city_scale_up", "city", Decimal("300000.00"),
     False),
    ("project-support", "专项支持项目", "project", "enterprise", None, False),
)
FIRST_YEAR = 2018
RECONCILE = ("奖补对账 reconcile entitlements", "subsidies.tasks.entitlements_reconcile_task",
             "0", "2")


def seed(apps, schema_editor):
    Program = apps.get_model("subsidies", "Program")
    ProgramPair = apps.get_model("subsidies", "ProgramPair")
    for code, name, kind, payee, amount, once in PROGRAMS:
        Program.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "payee": payee, "amount": amount,
                      "once_per_firm": once, "legal_basis": LEGAL_BASIS,
                      "first_year": FIRST_YEAR},
        )
    first, second = sorted(
        Program.objects.filter(
            kind__in=("provincial_certificate", "national_certificate"), first_year=FIRST_YEAR
        ),
        key=lambda p: p.pk,
    )
    ProgramPair.objects.get_or_create(first=first, second=second,
                                      defaults={"highest_only": False})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    name, task, minute, hour = RECONCILE
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": schedule, "enabled": True}
    )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=RECONCILE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("subsidies", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
