from .enterprises import Enterprise
from .monitoring import MonitoringReport, MonitoringReportTransition
from .pool import CultivationPlan, PoolEntry, PoolEntryTransition, ServiceVisit
from .regions import Industry, IndustryClass, Region
from .targets import Target
from .transfers import ExportRecord, ImportJob

__all__ = [
    "CultivationPlan",
    "Enterprise",
    "ExportRecord",
    "ImportJob",
    "Industry",
    "IndustryClass",
    "MonitoringReport",
    "MonitoringReportTransition",
    "PoolEntry",
    "PoolEntryTransition",
    "Region",
    "ServiceVisit",
    "Target",
]
