from .enterprises import DeactivateForm, EnterpriseForm, EnterpriseRegisterForm

__all__ = ["DeactivateForm", "EnterpriseForm", "EnterpriseRegisterForm"]
