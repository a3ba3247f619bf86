from rest_framework.routers import DefaultRouter

from .views import FinancingNeedViewSet, MatchingEventViewSet

app_name = "financing-api"

router = DefaultRouter()
router.register("financing-needs", FinancingNeedViewSet, basename="financing-need")
router.register("matching-events", MatchingEventViewSet, basename="matching-event")

urlpatterns = router.urls
