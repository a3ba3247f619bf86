from .enterprises import Enterprise
from .monitoring import MonitoringReport, MonitoringReportTransition
from .pool import CultivationPlan, PoolEntry, PoolEntryTransition, ServiceVisit
from .regions import Industry, Region
from .targets import Target
from .transfers import ExportRecord, ImportJob

__all__ = [
    "CultivationPlan",
    "Enterprise",
    "ExportRecord",
    "ImportJob",
    "Industry",
    "MonitoringReport",
    "MonitoringReportTransition",
    "PoolEntry",
    "PoolEntryTransition",
    "Region",
    "ServiceVisit",
    "Target",
]
