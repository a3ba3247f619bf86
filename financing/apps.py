from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Financing")

    def ready(self):
        # The registry's plan page counts the firms on the credit-cultivation list through
        # this, without importing this app (it sits above the registry).
        from financing.selectors import PLAN_FIGURES
        from registry import metrics

        for metric, figure in PLAN_FIGURES.items():
            metrics.register_plan_figure(metric, figure)
