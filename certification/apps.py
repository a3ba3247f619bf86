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

        # The registry's targets and plans count certificates through these, without
        # importing this app (it sits above the registry).
        from certification.selectors import targets
        from registry import metrics

        for metric, counter in targets.TARGET_COUNTERS.items():
            metrics.register_target_counter(metric, counter)
        for metric, figure in targets.PLAN_FIGURES.items():
            metrics.register_plan_figure(metric, figure)
