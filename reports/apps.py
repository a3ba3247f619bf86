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
        from gansu_sme import events
        from reports import receivers

        post_migrate.connect(_install_schedules, sender=self)
        events.credit_code_claimed.connect(
            receivers.on_credit_code_claimed, dispatch_uid="reports.credit_code_claimed"
        )
