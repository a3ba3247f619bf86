from .enterprises import EnterpriseFilterSet

__all__ = ["EnterpriseFilterSet"]
