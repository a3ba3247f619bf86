from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        # Certification announces certificates on commit; the awards follow from them here.
        from gansu_sme import events, inbox
        from subsidies import inbox as subsidies_inbox
        from subsidies import receivers

        events.certificate_issued.connect(
            receivers.on_certificate_issued, dispatch_uid="subsidies.certificate_issued"
        )
        events.certificate_revoked.connect(
            receivers.on_certificate_revoked, dispatch_uid="subsidies.certificate_revoked"
        )
        # What waits in this app, for everyone's 我的待办.
        inbox.register(*subsidies_inbox.SOURCES)
