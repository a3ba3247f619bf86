from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("", views.EntitlementList.as_view(), name="entitlement-list"),
    path("awards/<int:pk>/", views.entitlement_detail, name="entitlement-detail"),
    path("awards/<int:pk>/approve/", views.entitlement_approve, name="entitlement-approve"),
    path("awards/<int:pk>/cancel/", views.entitlement_cancel, name="entitlement-cancel"),
    path("awards/<int:pk>/recovery/", views.entitlement_recovery, name="entitlement-recovery"),
    path("programs/", views.program_list, name="program-list"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program-edit"),
    path("budgets/", views.budget_list, name="budget-list"),
    path("budgets/<int:pk>/", views.budget_detail, name="budget-detail"),
    path("batches/", views.BatchList.as_view(), name="batch-list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/add/", views.batch_add, name="batch-add"),
    path("batches/<int:pk>/remove/<int:entitlement_pk>/", views.batch_remove,
         name="batch-remove"),
    path("batches/<int:pk>/bank-file/", views.batch_bank_file, name="batch-bank-file"),
    path("batches/<int:pk>/<slug:verb>/", views.batch_transition, name="batch-transition"),
    path("accounts/", views.AccountList.as_view(), name="account-list"),
    path("accounts/new/", views.account_new, name="account-new"),
    path("accounts/<int:pk>/", views.account_detail, name="account-detail"),
    path("accounts/<int:pk>/<slug:verb>/", views.account_transition,
         name="account-transition"),
    path("ledger/", views.Ledger.as_view(), name="ledger"),
    path("ledger/export/", views.Ledger.as_view(export=True), name="ledger-export"),
    path("city-rewards/", views.city_reward_list, name="city-reward-list"),
    path("city-rewards/<int:pk>/", views.city_reward_detail, name="city-reward-detail"),
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path("projects/new/", views.project_submit, name="project-submit"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/<slug:verb>/", views.project_transition,
         name="project-transition"),
]
