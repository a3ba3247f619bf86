"""The nightly reconcile of the kept region figures, as a django-celery-beat row (changeable in
the admin, read by the one beat process). Asia/Shanghai, before the reports of 02:00 read them.

Kept figures start empty: after migrating an existing database, run the task once
(``manage.py region_figures_reconcile``) or wait for the night."""

from django.db import migrations

TZ = "Asia/Shanghai"
NAME = "registry: reconcile region figures with the monitoring reports (nightly)"
TASK = "registry.tasks.region_figures_reconcile_task"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_month="*", month_of_year="*", day_of_week="*", timezone=TZ,
    )
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": schedule, "enabled": True}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0016_region_figure"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
