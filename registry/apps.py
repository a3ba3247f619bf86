from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Enterprise registry")

    def ready(self):
        # What waits in this app, for everyone's 我的待办.
        from gansu_sme import inbox
        from registry import inbox as registry_inbox

        inbox.register(*registry_inbox.SOURCES)
