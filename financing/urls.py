from django.urls import path

from financing import views

app_name = "financing"

urlpatterns = [
    path("needs/", views.NeedList.as_view(), name="need-list"),
    path("needs/export/", views.NeedList.as_view(export=True), name="need-export"),
    path("needs/import/", views.need_import, name="need-import"),
    path("needs/import/template/", views.need_import_template, name="need-import-template"),
    path("needs/new/<str:uscc>/", views.need_file, name="need-file"),
    path("needs/<int:pk>/", views.need_detail, name="need-detail"),
    path("needs/<int:pk>/withdraw/", views.need_withdraw, name="need-withdraw"),
    path("needs/<int:pk>/close/", views.need_close, name="need-close"),
    path("events/", views.EventList.as_view(), name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/needs/", views.event_put_needs, name="event-put-needs"),
    path(
        "events/<int:pk>/outcomes/<int:outcome_pk>/<slug:verb>/", views.outcome_act,
        name="outcome-act",
    ),
    path("report/", views.financing_report, name="report"),
    path("credit/", views.CreditList.as_view(), name="credit-list"),
    path("credit/admit/", views.credit_admit, name="credit-admit"),
    path("credit/rate/", views.credit_rate, name="credit-rate"),
]
