"""Read paths of the registry that are more than a plain filter, one module per area."""

from .enterprises import enterprise_get, enterprise_history, enterprise_list
from .imports import import_job_get, import_job_list
from .monitoring import (
    enterprise_monitoring,
    enterprise_scale_changes,
    monitoring_report_current,
    monitoring_report_get,
    monitoring_report_list,
    monitoring_report_queue,
    monitoring_report_transitions,
)
from .plans import plan_progress
from .pool import (
    pool_entries_of_enterprise,
    pool_entry_detail,
    pool_entry_get,
    pool_entry_list,
    scale_up_category_suggest,
)
from .scale import directory_moves
from .targets import target_list, target_progress

__all__ = [
    "enterprise_get",
    "enterprise_history",
    "enterprise_list",
    "import_job_get",
    "import_job_list",
    "enterprise_monitoring",
    "enterprise_scale_changes",
    "monitoring_report_current",
    "monitoring_report_get",
    "monitoring_report_list",
    "monitoring_report_queue",
    "monitoring_report_transitions",
    "pool_entries_of_enterprise",
    "pool_entry_detail",
    "pool_entry_get",
    "pool_entry_list",
    "scale_up_category_suggest",
    "directory_moves",
    "plan_progress",
    "target_list",
    "target_progress",
]
