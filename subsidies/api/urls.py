from rest_framework.routers import SimpleRouter

from .views import (
    AllocationViewSet,
    BudgetViewSet,
    EntitlementViewSet,
    LedgerViewSet,
    PaymentBatchViewSet,
    ProgramViewSet,
)

app_name = "subsidies-api"

# SimpleRouter: the API root view at /api/v1/ comes from the registry router.
router = SimpleRouter()
router.register("subsidy-programs", ProgramViewSet, basename="program")
router.register("budgets", BudgetViewSet, basename="budget")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("entitlements", EntitlementViewSet, basename="entitlement")
router.register("payment-batches", PaymentBatchViewSet, basename="payment-batch")
router.register("subsidy-ledger", LedgerViewSet, basename="ledger")

urlpatterns = router.urls
