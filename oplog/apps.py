from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OplogConfig(AppConfig):
    name = "oplog"
    verbose_name = _("Operations log")

    def ready(self):
        from oplog import receivers

        receivers.connect()
