from .enterprises import Enterprise
from .figures import RegionFigure
from .monitoring import MonitoringReport, MonitoringReportTransition
from .plans import Plan, PlanFigure, PlanTarget
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
    "Plan",
    "PlanFigure",
    "PlanTarget",
    "PoolEntry",
    "PoolEntryTransition",
    "Region",
    "RegionFigure",
    "ServiceVisit",
    "Target",
]
