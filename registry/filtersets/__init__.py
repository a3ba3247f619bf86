from .enterprises import EnterpriseFilterSet
from .monitoring import MonitoringReportFilterSet
from .pool import PoolEntryFilterSet
from .targets import TargetFilterSet

__all__ = [
    "EnterpriseFilterSet",
    "MonitoringReportFilterSet",
    "PoolEntryFilterSet",
    "TargetFilterSet",
]
