from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("new/", views.enterprise_create, name="enterprise-create"),
    path("<str:uscc>/", views.enterprise_detail, name="enterprise-detail"),
    path("<str:uscc>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("<str:uscc>/deactivate/", views.enterprise_deactivate, name="enterprise-deactivate"),
]
