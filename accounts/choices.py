from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff account does in the cultivation programme."""

    COUNTY_STAFF = "county_staff", _("County staff")  # 县区工信部门
    CITY_STAFF = "city_staff", _("City staff")  # 市州工信部门
    PROVINCIAL_REVIEWER = "provincial_reviewer", _("Provincial reviewer")  # 省工信厅
    EXPERT = "expert", _("Expert")  # 评审专家
    FINANCE_OFFICER = "finance_officer", _("Finance officer")  # 省级资金管理
    API_CLIENT = "api_client", _("API client")
    AUDITOR = "auditor", _("Auditor")
    # 金融机构人员: reads the financing needs firms agreed to show to its institution.
    INSTITUTION_STAFF = "institution_staff", _("Financial institution staff")


# Region level each role must be bound to; None means the role has no region.
ROLE_REGION_LEVEL = {
    Role.COUNTY_STAFF: "county",
    Role.CITY_STAFF: "prefecture",
    Role.PROVINCIAL_REVIEWER: "province",
    Role.FINANCE_OFFICER: "province",
    Role.AUDITOR: "province",
    Role.API_CLIENT: "any",
    Role.EXPERT: None,
    # Scoped through the institution it works for (financing.FinancialInstitution), not a
    # region of its own: a region would open the registry's pages to a bank.
    Role.INSTITUTION_STAFF: None,
}

# The levels above in words, for messages (registry.choices.RegionLevel sits above this app).
REGION_LEVEL_LABELS = {
    "province": _("province"),
    "prefecture": _("prefecture"),
    "county": _("county"),
}

# Roles that may only read, whatever they are scoped to.
READ_ONLY_ROLES = frozenset({Role.API_CLIENT, Role.AUDITOR, Role.INSTITUTION_STAFF})
