from .enterprises import EnterpriseTable, detail_fields
from .pool import PoolEntryTable

__all__ = ["EnterpriseTable", "PoolEntryTable", "detail_fields"]
