from .enterprises import ENTERPRISE_COLUMNS, detail_fields, sort_headers

__all__ = ["ENTERPRISE_COLUMNS", "detail_fields", "sort_headers"]
