"""The schedules of the reports app, as django-celery-beat rows: changeable in the admin
(Periodic tasks), read by the one beat process. Times are Asia/Shanghai."""

from django.db import migrations

TZ = "Asia/Shanghai"
# name → (task, crontab: minute, hour, day_of_month, month_of_year)
SCHEDULES = {
    "reports: monthly monitoring reports (1st of the month)": (
        "reports.tasks.reports_monthly_generate_task", ("0", "2", "1", "*"),
    ),
    "reports: quarterly KPI reports (1st of each quarter)": (
        "reports.tasks.reports_quarterly_generate_task", ("30", "2", "1", "1,4,7,10"),
    ),
    "reports: daily reminders": ("reports.tasks.notifications_remind_task", ("0", "6", "*", "*")),
    "reports: daily e-mail digest": (
        "reports.tasks.notifications_digest_task", ("30", "7", "*", "*"),
    ),
}


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, (minute, hour, day, month)) in SCHEDULES.items():
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week="*",
            timezone=TZ,
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "enabled": True}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
