"""Read paths of the registry that are more than a plain filter, one module per area."""

from .enterprises import enterprise_get, enterprise_history, enterprise_list

__all__ = ["enterprise_get", "enterprise_history", "enterprise_list"]
