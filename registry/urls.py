from django.urls import path

from .views import enterprises

app_name = "registry"
urlpatterns = [
    path("", enterprises.enterprise_list, name="enterprise-list"),
    path("new/", enterprises.enterprise_create, name="enterprise-create"),
    path("<str:uscc>/", enterprises.enterprise_detail, name="enterprise-detail"),
    path("<str:uscc>/edit/", enterprises.enterprise_edit, name="enterprise-edit"),
    path("<str:uscc>/deactivate/", enterprises.enterprise_deactivate, name="enterprise-deactivate"),
]
