from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        # Certification announces certificates on commit; the awards follow from them here.
        from gansu_sme import events
        from subsidies import receivers

        events.certificate_issued.connect(
            receivers.on_certificate_issued, dispatch_uid="subsidies.certificate_issued"
        )
        events.certificate_revoked.connect(
            receivers.on_certificate_revoked, dispatch_uid="subsidies.certificate_revoked"
        )
