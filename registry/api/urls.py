from rest_framework.routers import DefaultRouter

from .views.enterprises import EnterpriseViewSet, RegionViewSet

app_name = "registry-api"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
