from rest_framework.routers import SimpleRouter

app_name = "certification-api"

# SimpleRouter: the API root view at /api/v1/ comes from the registry router.
router = SimpleRouter()

urlpatterns = router.urls
