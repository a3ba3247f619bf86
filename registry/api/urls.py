from rest_framework.routers import DefaultRouter

from .views.enterprises import EnterpriseViewSet, RegionViewSet
from .views.monitoring import EnterpriseMonitoringReportViewSet, MonitoringReportViewSet
from .views.pool import PoolEntryViewSet, TargetViewSet

app_name = "registry-api"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register(
    r"enterprises/(?P<uscc>[0-9A-Za-z]+)/monitoring-reports",
    EnterpriseMonitoringReportViewSet,
    basename="enterprise-monitoring-report",
)
router.register("monitoring-reports", MonitoringReportViewSet, basename="monitoring-report")
router.register("pool-entries", PoolEntryViewSet, basename="pool-entry")
router.register("targets", TargetViewSet, basename="target")

urlpatterns = router.urls
