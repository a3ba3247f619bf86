from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.applications import ApplicationViewSet
from .views.campaigns import CampaignViewSet
from .views.certificates import (
    CertificateViewSet,
    NationalRecommendationViewSet,
    VerificationView,
)
from .views.evaluations import EvaluationViewSet
from .views.experts import AssignmentViewSet, ExpertViewSet
from .views.notices import NoticeViewSet, ObjectionViewSet

app_name = "certification-api"

# SimpleRouter: the API root view at /api/v1/ comes from the registry router.
router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("applications", ApplicationViewSet, basename="application")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("experts", ExpertViewSet, basename="expert")
router.register("expert-assignments", AssignmentViewSet, basename="expert-assignment")
router.register("notices", NoticeViewSet, basename="notice")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register(
    "national-recommendations", NationalRecommendationViewSet, basename="national-recommendation"
)

urlpatterns = router.urls + [
    path("verification/<str:number>/", VerificationView.as_view(), name="verification"),
]
