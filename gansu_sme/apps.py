from django.apps import AppConfig


class GansuSmeConfig(AppConfig):
    name = "gansu_sme"
    verbose_name = "Gansu SME registry"
