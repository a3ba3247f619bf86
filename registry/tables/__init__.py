from .enterprises import ENTERPRISE_COLUMNS, detail_fields, sort_headers
from .pool import POOL_COLUMNS, POOL_DEFAULT_ORDERING

__all__ = [
    "ENTERPRISE_COLUMNS",
    "POOL_COLUMNS",
    "POOL_DEFAULT_ORDERING",
    "detail_fields",
    "sort_headers",
]
