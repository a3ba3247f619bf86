from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        # What waits in this app, for everyone's 我的待办.
        from certification import inbox as certification_inbox
        from gansu_sme import inbox

        inbox.register(*certification_inbox.SOURCES)
