"""The outbox's drain as a django-celery-beat row: every minute (gansu_sme.outbox)."""

from django.db import migrations

NAME = "outbox: send tasks left unsent (every minute)"
TASK = "gansu_sme.tasks.outbox_drain_task"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="*", hour="*", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": schedule, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gansu_sme", "0003_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
