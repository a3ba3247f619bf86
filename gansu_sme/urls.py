from django.contrib import admin
from django.urls import include, path
from django.views.generic.base import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from gansu_sme.api.tasks import TaskListView
from gansu_sme.inbox_views import inbox_page
from gansu_sme.views import favicon
from reports.views import home

# Under /api/ these answer the API's JSON error shape; pages get the HTML error pages.
handler400 = "gansu_sme.views.bad_request"
handler403 = "gansu_sme.views.permission_denied"
handler404 = "gansu_sme.views.page_not_found"
handler500 = "gansu_sme.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("tasks/", inbox_page, name="inbox"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (PDFs, JSON, errors).
    path("favicon.ico", favicon),
    path("accounts/", include("accounts.urls")),
    path("enterprises/", include("registry.urls")),
    path("certification/", include("certification.urls")),
    path("financing/", include("financing.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/tasks/", TaskListView.as_view(), name="api-tasks"),
    path("api/v1/", include("registry.api.urls")),
    path("api/v1/", include("certification.api.urls")),
    path("api/v1/", include("financing.api.urls")),
    path("api/v1/", include("subsidies.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/v1/", include("accounts.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Its start-up script comes as a file (?script), not inline: the site's CSP allows no
    # inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/docs.html"),
        name="swagger-ui",
    ),
    # The admin's own "change password" is the site's: one page, logged, clearing the flag.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("certification.public_urls")),
]
