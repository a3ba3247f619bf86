from .enterprises import DeactivateForm, EnterpriseForm, EnterpriseRegisterForm
from .imports import ImportUploadForm, TemplatePeriodForm
from .pool import (
    CategoryForm,
    CultivationPlanForm,
    PlanFigureForm,
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
    "PlanFigureForm",
    "ImportUploadForm",
    "PoolEntryAdmitForm",
    "PoolEntryEditForm",
    "ReasonForm",
    "ServiceVisitForm",
    "TargetForm",
    "TemplatePeriodForm",
]
