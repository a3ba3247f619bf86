from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_schedules(sender, **kwargs):
    from reports.services.reports import report_schedules_install

    report_schedules_install()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and notifications")

    def ready(self):
        post_migrate.connect(_install_schedules, sender=self)
