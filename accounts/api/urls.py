from rest_framework.routers import DefaultRouter

from accounts.api.views import ApiTokenViewSet

app_name = "accounts-api"

router = DefaultRouter()
router.register("tokens", ApiTokenViewSet, basename="token")

urlpatterns = router.urls
