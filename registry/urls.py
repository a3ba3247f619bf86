from django.urls import path

from .views import enterprises, imports, monitoring, pool, targets

app_name = "registry"
urlpatterns = [
    path("", enterprises.EnterpriseList.as_view(), name="enterprise-list"),
    path("new/", enterprises.enterprise_create, name="enterprise-create"),
    # Pool and target pages come before "<str:uscc>/", which would otherwise take their prefix.
    path("pool/", pool.PoolEntryList.as_view(), name="pool-entry-list"),
    path("pool/<int:pk>/", pool.pool_entry_detail, name="pool-entry-detail"),
    path("pool/<int:pk>/edit/", pool.pool_entry_edit, name="pool-entry-edit"),
    path("pool/<int:pk>/promote/", pool.pool_entry_promote, name="pool-entry-promote"),
    path("pool/<int:pk>/graduate/", pool.pool_entry_graduate, name="pool-entry-graduate"),
    path("pool/<int:pk>/remove/", pool.pool_entry_remove, name="pool-entry-remove"),
    path("pool/<int:pk>/category/", pool.pool_entry_set_category, name="pool-entry-category"),
    path("pool/<int:pk>/plans/new/", pool.cultivation_plan_edit, name="pool-plan-create"),
    path(
        "pool/<int:pk>/plans/<int:plan_pk>/", pool.cultivation_plan_edit, name="pool-plan-edit"
    ),
    path("pool/<int:pk>/visits/new/", pool.service_visit_edit, name="pool-visit-create"),
    path(
        "pool/<int:pk>/visits/<int:visit_pk>/", pool.service_visit_edit, name="pool-visit-edit"
    ),
    path("export/", enterprises.EnterpriseList.as_view(export=True), name="enterprise-export"),
    path("pool/export/", pool.PoolEntryList.as_view(export=True), name="pool-entry-export"),
    path("imports/", imports.import_index, name="import-index"),
    path("imports/<str:kind>/template/", imports.import_template, name="import-template"),
    path("imports/<str:kind>/upload/", imports.import_upload, name="import-upload"),
    path("imports/jobs/<int:pk>/", imports.import_job_detail, name="import-job"),
    path("imports/jobs/<int:pk>/status/", imports.import_job_status, name="import-job-status"),
    path("imports/jobs/<int:pk>/confirm/", imports.import_job_confirm, name="import-job-confirm"),
    path("imports/jobs/<int:pk>/restart/", imports.import_job_restart, name="import-job-restart"),
    path(
        "imports/jobs/<int:pk>/annotated/", imports.import_job_annotated,
        name="import-job-annotated",
    ),
    path("monitoring/", monitoring.MonitoringList.as_view(), name="monitoring-list"),
    path("monitoring/queue/", monitoring.MonitoringQueue.as_view(), name="monitoring-queue"),
    path(
        "monitoring/export/", monitoring.MonitoringList.as_view(export=True),
        name="monitoring-export",
    ),
    path("monitoring/<int:pk>/", monitoring.monitoring_detail, name="monitoring-detail"),
    path("monitoring/<int:pk>/edit/", monitoring.monitoring_edit, name="monitoring-edit"),
    path("monitoring/<int:pk>/submit/", monitoring.monitoring_submit, name="monitoring-submit"),
    path("monitoring/<int:pk>/verify/", monitoring.monitoring_verify, name="monitoring-verify"),
    path("monitoring/<int:pk>/return/", monitoring.monitoring_return, name="monitoring-return"),
    path("targets/", targets.target_progress, name="target-progress"),
    path("targets/set/", targets.target_set, name="target-set"),
    path("targets/plan-targets/<int:pk>/figure/", targets.plan_figure_enter,
         name="plan-figure-enter"),
    path("<str:uscc>/", enterprises.enterprise_detail, name="enterprise-detail"),
    path("<str:uscc>/edit/", enterprises.enterprise_edit, name="enterprise-edit"),
    path("<str:uscc>/deactivate/", enterprises.enterprise_deactivate, name="enterprise-deactivate"),
    path("<str:uscc>/monitoring/new/", monitoring.monitoring_create, name="monitoring-create"),
    path("<str:uscc>/admit/", pool.pool_entry_admit, name="pool-entry-admit"),
]
