from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")  # 省
    PREFECTURE = "prefecture", _("Prefecture")  # 市州（含兰州新区）
    COUNTY = "county", _("County")  # 县区
