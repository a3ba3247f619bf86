from .enterprises import DeactivateForm, EnterpriseForm, EnterpriseRegisterForm
from .imports import ImportUploadForm, TemplatePeriodForm
from .pool import (
    CategoryForm,
    CultivationPlanForm,
    PoolEntryAdmitForm,
    PoolEntryEditForm,
    ReasonForm,
    ServiceVisitForm,
    TargetForm,
)

__all__ = [
    "CategoryForm",
    "CultivationPlanForm",
    "DeactivateForm",
    "EnterpriseForm",
    "EnterpriseRegisterForm",
    "ImportUploadForm",
    "PoolEntryAdmitForm",
    "PoolEntryEditForm",
    "ReasonForm",
    "ServiceVisitForm",
    "TargetForm",
    "TemplatePeriodForm",
]
