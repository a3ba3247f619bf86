from rest_framework.routers import SimpleRouter

from .views import NotificationViewSet, ReportViewSet

app_name = "reports-api"

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
