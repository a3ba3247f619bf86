"""State-changing use cases of the registry, one module per area."""

from .enterprises import (
    ENTERPRISE_EDITOR_ROLES,
    ENTERPRISE_FIELDS,
    enterprise_deactivate,
    enterprise_register,
    enterprise_update,
)

__all__ = [
    "ENTERPRISE_EDITOR_ROLES",
    "ENTERPRISE_FIELDS",
    "enterprise_deactivate",
    "enterprise_register",
    "enterprise_update",
]
